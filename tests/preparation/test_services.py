"""The reminder before a real interview, and the purge of interview dates that have passed."""

import datetime

import pytest
from django.core import mail

from mockri.feedback.models import Feedback
from mockri.notifications.models import OutboxEmail
from mockri.preparation.models import CandidateProfile
from mockri.preparation.services import interview_dates_purge, interview_reminders_send
from mockri.preparation.tasks import interview_reminders_task
from mockri.privacy.services import retention_run
from tests.fixtures import NOW, emails_sent, past_session

pytestmark = pytest.mark.django_db
IST = datetime.timezone(datetime.timedelta(hours=5, minutes=30))
# Three days before an interview on Sunday 20 December, 09:00 in India.
REMINDER_AT = datetime.datetime(2026, 12, 17, 9, 0, tzinfo=IST)
SECOND = datetime.timedelta(seconds=1)


@pytest.fixture(autouse=True)
def three_days(settings):
    settings.INTERVIEW_REMINDER_DAYS = 3
    settings.INTERVIEW_DATE_GRACE_DAYS = 14


def feedback_for(candidate, profile, interview_type, *, days_ago, work_on):
    booking = past_session(
        candidate=candidate,
        interviewer=profile,
        interview_type=interview_type,
        starts_at=NOW - datetime.timedelta(days=days_ago),
    )
    return Feedback.objects.create(
        booking=booking,
        hire_signal="no",
        strengths="Clear explanations.",
        areas_to_improve=work_on,
        submitted_at=booking.ends_at + datetime.timedelta(hours=2),
    )


def test_the_reminder_goes_days_before_with_the_latest_feedbacks_work_on_next(
    candidate, profile, rounds, prepare
):
    prepare(candidate)
    feedback_for(candidate, profile, rounds[0], days_ago=9, work_on="Older advice.")
    feedback_for(candidate, profile, rounds[1], days_ago=2, work_on="1. Size the data first.")

    assert interview_reminders_send(now=REMINDER_AT - SECOND) == 0
    with emails_sent():
        assert interview_reminders_send(now=REMINDER_AT) == 1

    [message] = mail.outbox
    assert message.to == [candidate.email]
    assert message.subject == (
        "Mockri: Your interview on Sunday 20 December: a last look at your feedback"
    )
    assert "for the software engineer role is on Sunday 20 December" in message.body
    assert "(System Design, 29 November), what to work on next:\n\n1. Size the data first." in (
        message.body
    )
    assert "Older advice." not in message.body
    assert "/account/preparation/" in message.body
    assert CandidateProfile.objects.get().reminded_for == datetime.date(2026, 12, 20)


def test_the_reminder_goes_once_and_again_for_a_moved_date(candidate, prepare):
    prepare(candidate)
    interview_reminders_send(now=REMINDER_AT)

    assert interview_reminders_send(now=REMINDER_AT + datetime.timedelta(hours=1)) == 0
    prepare(candidate, interview_on=datetime.date(2026, 12, 21))
    assert interview_reminders_send(now=REMINDER_AT + datetime.timedelta(days=1)) == 1
    assert OutboxEmail.objects.filter(kind="interview_reminder").count() == 2


def test_without_feedback_the_reminder_points_to_the_plan(candidate, prepare):
    prepare(candidate, target_role=None)

    interview_reminders_send(now=REMINDER_AT)

    body = OutboxEmail.objects.get().text_body
    assert "Your real interview is on Sunday 20 December. Good luck!" in body
    assert "work on next" not in body
    assert "Your plan: http" in body


def test_no_reminder_once_the_interview_day_has_come(candidate, prepare):
    prepare(candidate)

    on_the_day = datetime.datetime(2026, 12, 20, 8, 0, tzinfo=IST)

    assert interview_reminders_send(now=on_the_day) == 0


def test_the_reminder_follows_the_candidates_zone(candidate, prepare):
    candidate.timezone = "America/New_York"
    candidate.save()
    prepare(candidate)
    nine_in_new_york = datetime.datetime(2026, 12, 17, 14, 0, tzinfo=datetime.UTC)

    assert interview_reminders_send(now=nine_in_new_york - SECOND) == 0
    assert interview_reminders_send(now=nine_in_new_york) == 1


def test_the_reminders_chain_comes_back_every_hour(now, task_queue):
    interview_reminders_task.call()

    [queued] = task_queue.enqueued
    assert queued.task.name == "interview_reminders_task"
    assert queued.task.run_after == NOW + datetime.timedelta(hours=1)


def test_an_interview_date_is_deleted_its_grace_period_after_it_passed(candidate, prepare):
    prepare(candidate)
    the_day_after_grace = datetime.datetime(2027, 1, 4, 0, 30, tzinfo=datetime.UTC)

    assert interview_dates_purge(now=the_day_after_grace - datetime.timedelta(days=1)) == 0
    result = retention_run(now=the_day_after_grace)

    assert result["interview dates past"] == 1
    profile = CandidateProfile.objects.get()
    assert (profile.interview_on, profile.target_role.slug) == (None, "software-engineer")
