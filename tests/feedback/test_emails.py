import datetime

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.urls import reverse

from mockri.bookings.enums import Actor, NoShowSide
from mockri.bookings.services import (
    booking_cancel,
    booking_confirm_payment,
    booking_record_outcome,
    booking_reschedule,
)
from mockri.feedback.emails import feedback_request_send, rate_interviewer_email
from mockri.feedback.services import feedback_correct, feedback_submit
from mockri.notifications.models import OutboxEmail
from mockri.notifications.tasks import outbox_send_task
from tests.feedback.conftest import run_due, scorecard
from tests.fixtures import NOW, SLOT

pytestmark = pytest.mark.django_db
HOUR = datetime.timedelta(hours=1)
END = SLOT + HOUR
PLAN, SEND, RATE = (
    "feedback_request_plan_task",
    "feedback_request_send_task",
    "rate_interviewer_email_task",
)


@pytest.fixture
def confirmed(
    now, candidate, scored_type, profile, book, task_queue, django_capture_on_commit_callbacks
):
    """A paid session at SLOT for a candidate in London, its confirmation's work queued."""
    candidate.timezone = "Europe/London"
    candidate.save()
    with django_capture_on_commit_callbacks(execute=True):
        booking = booking_confirm_payment(
            book(candidate=candidate, interview_type=scored_type, interviewer=profile)
        )
    return booking


def emails(kind: str) -> list[OutboxEmail]:
    return list(OutboxEmail.objects.filter(kind=kind).select_related("recipient"))


def test_the_feedback_request_is_planned_for_the_end_of_the_session(confirmed, task_queue):
    run_due(task_queue, PLAN)

    (planned,) = [r for r in task_queue.enqueued if r.task.name == SEND]
    assert planned.task.run_after == END
    assert planned.kwargs == {"booking_id": confirmed.pk, "ends_at": END.isoformat()}


def test_the_interviewer_is_asked_for_feedback_when_the_session_ends_in_their_time_zone(
    confirmed, interviewer, task_queue
):
    run_due(task_queue, PLAN)
    run_due(task_queue, SEND)
    assert emails("feedback_request") == []  # not before the end

    with time_machine.travel(END, tick=False):
        run_due(task_queue, SEND)

    (email,) = emails("feedback_request")
    assert email.recipient == interviewer
    assert email.subject == "Mockri: Feedback for Kavya Sharma: System Design on Wed 2 Dec"
    assert "10:00 am to 11:00 am IST (Asia/Kolkata)" in email.text_body
    assert settings.SITE_URL + confirmed.get_absolute_url() in email.text_body
    assert "record how it went" in email.text_body
    assert not feedback_request_send(booking_id=confirmed.pk, ends_at=END.isoformat())
    assert len(emails("feedback_request")) == 1


def test_no_feedback_request_for_a_cancelled_session(
    confirmed, candidate, task_queue, django_capture_on_commit_callbacks
):
    run_due(task_queue, PLAN)
    with django_capture_on_commit_callbacks(execute=True):
        booking_cancel(confirmed, actor=candidate, actor_role=Actor.CANDIDATE, reason="", now=NOW)

    with time_machine.travel(END, tick=False):
        run_due(task_queue, PLAN, SEND)

    assert emails("feedback_request") == []


def test_a_moved_session_is_asked_about_at_its_new_end_only(
    confirmed, candidate, interviewer, task_queue, django_capture_on_commit_callbacks
):
    run_due(task_queue, PLAN)
    with django_capture_on_commit_callbacks(execute=True):
        booking_reschedule(
            confirmed,
            actor=candidate,
            actor_role=Actor.CANDIDATE,
            new_start=SLOT + 3 * HOUR,
            now=NOW,
        )
    run_due(task_queue, PLAN)

    with time_machine.travel(END, tick=False):
        run_due(task_queue, SEND)
        at_the_old_end = emails("feedback_request")
    with time_machine.travel(END + 3 * HOUR, tick=False):
        run_due(task_queue, SEND)

    assert at_the_old_end == []
    (email,) = emails("feedback_request")
    assert email.recipient == interviewer
    assert "1:00 pm to 2:00 pm IST (Asia/Kolkata)" in email.text_body


def test_no_feedback_request_once_the_feedback_is_written(
    confirmed, interviewer, task_queue, django_capture_on_commit_callbacks
):
    run_due(task_queue, PLAN)
    with time_machine.travel(SLOT + datetime.timedelta(minutes=50), tick=False):
        feedback_submit(booking=confirmed, interviewer=interviewer, **scorecard())

    with time_machine.travel(END, tick=False):
        run_due(task_queue, SEND)

    assert emails("feedback_request") == []


def test_a_session_completed_before_its_end_still_asks_for_the_scorecard(
    confirmed, interviewer, task_queue
):
    run_due(task_queue, PLAN)
    booking_record_outcome(confirmed, actor=interviewer, actor_role=Actor.INTERVIEWER, now=SLOT)

    with time_machine.travel(END, tick=False):
        run_due(task_queue, SEND)

    (email,) = emails("feedback_request")
    assert "Please write the scorecard" in email.text_body


def test_the_candidate_is_asked_to_rate_once_the_session_is_completed(
    confirmed, candidate, interviewer, task_queue, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        booking_record_outcome(confirmed, actor=interviewer, actor_role=Actor.INTERVIEWER, now=END)
    run_due(task_queue, RATE)

    (email,) = emails("rate_interviewer")
    assert email.recipient == candidate
    assert email.subject == "Mockri: How was your session with Ananya Iyer?"
    assert "4:30 am to 5:30 am GMT (Europe/London)" in email.text_body
    assert reverse("feedback:rate", kwargs={"reference": confirmed.reference}) in email.text_body
    assert not rate_interviewer_email(booking_id=confirmed.pk)
    assert len(emails("rate_interviewer")) == 1


def test_a_no_show_is_not_rated(
    confirmed, interviewer, task_queue, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        booking_record_outcome(
            confirmed,
            actor=interviewer,
            actor_role=Actor.INTERVIEWER,
            no_show_side=NoShowSide.CANDIDATE,
            now=END,
        )

    assert RATE not in task_queue.names()
    assert not rate_interviewer_email(booking_id=confirmed.pk)
    assert emails("rate_interviewer") == []


def test_the_candidate_is_told_when_the_feedback_is_first_submitted_not_on_corrections(
    confirmed, candidate, interviewer, task_queue, django_capture_on_commit_callbacks
):
    with (
        time_machine.travel(END, tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        feedback_submit(booking=confirmed, interviewer=interviewer, **scorecard())
        feedback_correct(
            booking=confirmed, interviewer=interviewer, **scorecard(hire_signal="strong_yes")
        )
    run_due(task_queue, RATE)

    (ready,) = emails("feedback_ready")
    assert ready.recipient == candidate
    assert ready.subject == "Mockri: Your feedback from Ananya Iyer is ready"
    assert "4:30 am to 5:30 am GMT (Europe/London)" in ready.text_body
    assert "Clarified" not in ready.text_body  # the feedback stays behind sign-in
    assert [e.recipient for e in emails("rate_interviewer")] == [candidate]


def test_the_feedback_ready_email_is_sent_with_text_and_html(
    confirmed, candidate, interviewer, task_queue, django_capture_on_commit_callbacks
):
    with (
        time_machine.travel(END, tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        feedback_submit(booking=confirmed, interviewer=interviewer, **scorecard())
    (ready,) = emails("feedback_ready")

    outbox_send_task.call(email_id=ready.pk)

    (message,) = [m for m in mail.outbox if "feedback" in m.subject]
    assert message.to == [candidate.email]
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html" and confirmed.reference in html


def test_a_candidate_who_closed_their_account_is_not_asked_to_rate(
    confirmed, candidate, interviewer
):
    booking_record_outcome(confirmed, actor=interviewer, actor_role=Actor.INTERVIEWER, now=END)
    candidate.is_active = False
    candidate.save()

    assert not rate_interviewer_email(booking_id=confirmed.pk)
    assert not feedback_request_send(booking_id=confirmed.pk, ends_at=END.isoformat())
