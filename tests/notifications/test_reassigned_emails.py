"""A session staff move to another interviewer: the new interviewer gets "New session", the
candidate the change, and the previous interviewer one email saying it moved, whose METHOD:CANCEL
invitation takes it out of their calendar. Meetings are Jitsi links (no network)."""

import pytest
from django.core import mail
from icalendar import Calendar

from mockri.bookings.enums import Actor
from mockri.bookings.services import booking_reassign, booking_reschedule
from mockri.notifications.models import OutboxEmail
from mockri.notifications.services import booking_reassigned_emails
from tests.fixtures import SLOT, SLOT_BOTH

pytestmark = pytest.mark.django_db
MOVED_AWAY = "Mockri: Moved to another interviewer: Career chat on Wed 2 Dec"


@pytest.fixture
def work(task_queue, django_capture_on_commit_callbacks):
    """Run what a worker would run now, and what that queues on commit (emails are sent);
    reminders and announcements waiting for their time stay queued."""

    def run():
        while due := task_queue.due(excluding=("reminder_send_task",)):
            result = due[0]
            task_queue.backend.results.remove(result)
            with django_capture_on_commit_callbacks(execute=True):
                result.task.call(*result.args, **result.kwargs)

    return run


@pytest.fixture
def session(now, candidate, free_type, profile, other_profile, book, work, commit):
    """A confirmed session with Ananya, announced to both people; Sarah takes its type too."""
    free_type.interviewers.add(other_profile)
    with commit():
        booking = book(candidate=candidate, interview_type=free_type, interviewer=profile)
    work()
    return booking


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def give_to(staff, commit):
    def reassign(booking, profile):
        with commit():
            return booking_reassign(booking, staff_user=staff, interviewer=profile)

    return reassign


def inbox(person) -> list[str]:
    return [m.subject for m in mail.outbox if m.to == [person.email]]


def test_the_previous_interviewer_is_told_once_and_the_session_leaves_their_calendar(
    session, candidate, interviewer, other_interviewer, other_profile, give_to, work
):
    mail.outbox.clear()

    give_to(session, other_profile)
    work()
    booking_reassigned_emails(booking_id=session.pk)  # again: nothing more
    work()

    assert inbox(interviewer) == [MOVED_AWAY]
    assert inbox(other_interviewer) == ["Mockri: New session: Career chat on Wed 2 Dec"]
    assert inbox(candidate) == ["Mockri: Moved: Career chat is now on Wed 2 Dec"]
    (moved_away,) = [m for m in mail.outbox if m.to == [interviewer.email]]
    # Ananya reads her own time (India); the page is no longer hers, so it is not linked.
    assert "Wednesday 2 December 2026, 10:00 am to 10:20 am IST (Asia/Kolkata)" in (moved_away.body)
    assert "has moved to another interviewer" in moved_away.body
    assert session.get_absolute_url() not in moved_away.body
    filename, ics, mimetype = moved_away.attachments[0]
    assert (filename, mimetype) == ("mockri-interview.ics", "text/calendar")
    calendar = Calendar.from_ical(ics)
    event = calendar.walk("VEVENT")[0]
    assert calendar["METHOD"] == "CANCEL"
    assert (str(event["UID"]), int(event["SEQUENCE"])) == (f"{session.reference}@mockri", 2)
    assert event.decoded("DTSTART") == SLOT
    assert str(event["ATTENDEE"]) == f"mailto:{interviewer.email}"  # only the one removed
    assert "LOCATION" not in event


def test_a_later_change_of_time_tells_the_previous_interviewer_nothing_more(
    session, interviewer, other_interviewer, other_profile, give_to, work, commit
):
    give_to(session, other_profile)
    work()
    mail.outbox.clear()

    with commit():
        booking_reschedule(
            session, actor=other_interviewer, actor_role=Actor.INTERVIEWER, new_start=SLOT_BOTH
        )
    work()

    assert inbox(interviewer) == []
    assert OutboxEmail.objects.filter(kind="session_reassigned").count() == 1


def test_an_interviewer_never_told_of_the_session_is_not_told_it_moved(
    now, candidate, free_type, profile, other_profile, book, interviewer, give_to, work, commit
):
    free_type.interviewers.add(other_profile)
    with commit():
        booking = book(candidate=candidate, interview_type=free_type, interviewer=profile)

    give_to(booking, other_profile)  # before its announcement went out
    work()

    assert inbox(interviewer) == []
    assert not OutboxEmail.objects.filter(kind="session_reassigned").exists()


def test_losing_the_session_again_after_getting_it_back_is_told_again(
    session, interviewer, other_interviewer, profile, other_profile, give_to, work
):
    for to in (other_profile, profile, other_profile):
        give_to(session, to)
        work()

    assert inbox(interviewer).count(MOVED_AWAY) == 2
    assert inbox(other_interviewer).count(MOVED_AWAY) == 1


def test_a_previous_interviewer_whose_address_bounced_gets_nothing(
    session, interviewer, other_profile, give_to, work, now
):
    interviewer.email_bounced_at = now
    interviewer.save()
    mail.outbox.clear()

    give_to(session, other_profile)
    work()

    assert inbox(interviewer) == []
