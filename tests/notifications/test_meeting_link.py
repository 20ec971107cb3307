"""The emails announcing a confirmed or moved session wait for its meeting link (meetings'
meeting_ready), but never longer than MEETING_LINK_WAIT: then they go without it, and the link
follows in an email of its own. Tasks run in chosen orders; only Google's HTTP API is faked."""

import datetime
import re

import pytest
import responses
import time_machine
from django.core import mail
from icalendar import Calendar

from mockri.bookings.enums import Actor
from mockri.bookings.services import booking_reassign, booking_reschedule
from mockri.meetings.selectors import meeting_current_link_for
from mockri.notifications.services import MEETING_LINK_WAIT, meeting_ready_emails
from tests.fixtures import NOW, SLOT_BOTH
from tests.meetings.test_google import BACKEND_ERROR, EVENTS_URL, JITSI, MEET, event, token_ok

pytestmark = pytest.mark.django_db
MINUTE = datetime.timedelta(minutes=1)
WAIT = MEETING_LINK_WAIT // MINUTE  # minutes
NEW_MEET = "https://meet.google.com/xyz-wxyz-xyz"
LINK_FOLLOWS = "we'll email it to you as soon as it's ready"


@pytest.fixture
def google(settings):
    settings.MEETING_PROVIDER = "google"
    settings.GOOGLE_CLIENT_ID = "1234567890-test.apps.googleusercontent.com"
    settings.GOOGLE_CLIENT_SECRET = "GOCSPX-test-client-secret"
    settings.GOOGLE_CALENDAR_REFRESH_TOKEN = "1//test-refresh-token"
    settings.GOOGLE_CALENDAR_ID = "primary"
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        token_ok(mock)
        yield mock


@pytest.fixture
def work(task_queue, django_capture_on_commit_callbacks):
    """Run, one at a time in queue order, what a worker would run now (emails are sent), and
    what that queues on commit; reminders and the tasks named in `holding` stay queued."""

    def run(*holding: str) -> list[str]:
        ran = []
        while due := task_queue.due(excluding=("reminder_send_task", *holding)):
            result = due[0]
            task_queue.backend.results.remove(result)
            with django_capture_on_commit_callbacks(execute=True):
                result.task.call(*result.args, **result.kwargs)
            ran.append(result.task.name)
        return ran

    return run


@pytest.fixture
def book_session(now, candidate, free_type, profile, book, django_capture_on_commit_callbacks):
    def make():
        with django_capture_on_commit_callbacks(execute=True):
            return book(candidate=candidate, interview_type=free_type, interviewer=profile)

    return make


def inbox(person) -> list:
    return [message for message in mail.outbox if message.to == [person.email]]


def at(minutes: int):
    return time_machine.travel(NOW + minutes * MINUTE, tick=False)


def test_the_confirmation_waits_for_the_meeting_and_carries_its_link(
    book_session, candidate, interviewer, work, task_queue
):
    booking = book_session()

    work("meeting_create_task")  # the meeting is slow to be made: nothing goes without it
    assert mail.outbox == []
    work()
    with at(WAIT):
        ran_at_the_end_of_the_wait = work()

    link = meeting_current_link_for(booking)
    (confirmation,) = inbox(candidate)
    (assigned,) = inbox(interviewer)
    assert confirmation.subject == "Mockri: You're booked: Career chat on Wed 2 Dec"
    assert assigned.subject == "Mockri: New session: Career chat on Wed 2 Dec"
    assert f"Join: {link}" in confirmation.body and f"Join: {link}" in assigned.body
    assert ran_at_the_end_of_the_wait == ["booking_announce_emails_task"]  # it found them sent
    assert task_queue.names().count("reminder_send_task") == 2


def test_a_link_ready_just_as_the_wait_ends_is_in_one_confirmation_whichever_task_runs_first(
    book_session, candidate, interviewer, work
):
    booking = book_session()
    work("meeting_ready_emails_task")  # the meeting is made; its emails' task is late

    with at(WAIT):
        work("meeting_ready_emails_task")  # the end of the wait comes first
        work()

    link = meeting_current_link_for(booking)
    assert [len(inbox(candidate)), len(inbox(interviewer))] == [1, 1]
    assert all(f"Join: {link}" in message.body for message in mail.outbox)


def test_a_provider_outage_sends_the_confirmation_after_the_wait_and_the_link_when_it_comes(
    google, book_session, candidate, interviewer, work
):
    google.post(EVENTS_URL, status=500, json=BACKEND_ERROR)
    booking = book_session()

    work()  # Google fails; the meeting is tried again 1, 5 and 15 minutes after each failure
    assert mail.outbox == []
    with at(WAIT):
        work()
    no_link = inbox(candidate) + inbox(interviewer)
    with at(10):
        work()
    with at(25):
        work()  # the fourth failure: the session falls back to Jitsi

    link = meeting_current_link_for(booking)
    assert [m.subject.split(":")[1].strip() for m in no_link] == ["You're booked", "New session"]
    assert all(LINK_FOLLOWS in m.body and "Join:" not in m.body for m in no_link)
    for person in (candidate, interviewer):
        first, link_email = inbox(person)
        assert first in no_link
        assert link_email.subject == "Mockri: Your meeting link for Career chat on Wed 2 Dec"
        assert f"Join: {link}" in link_email.body
        invitation = Calendar.from_ical(link_email.attachments[0][1]).walk("VEVENT")[0]
        assert str(invitation["LOCATION"]) == link
        assert invitation["SEQUENCE"] == 1
        assert invitation.decoded("DTSTAMP") == NOW + 25 * MINUTE
    assert re.fullmatch(JITSI, link)


def test_the_link_email_is_sent_once_however_often_the_meeting_is_announced(
    google, book_session, candidate, work
):
    google.post(EVENTS_URL, status=500, json=BACKEND_ERROR)
    booking = book_session()
    for minutes in (0, WAIT, 10, 25):
        with at(minutes):
            work()

    with at(30):
        meeting_ready_emails(booking_id=booking.pk)
        work()

    assert len(inbox(candidate)) == 2


def test_the_emails_of_a_move_wait_for_the_moved_meeting_and_carry_its_new_link(
    google, book_session, candidate, interviewer, work, django_capture_on_commit_callbacks
):
    google.post(EVENTS_URL, json=event("x"))
    booking = book_session()
    work()
    google.patch(f"{EVENTS_URL}/{booking.meeting.external_id}", json=event("x", link=NEW_MEET))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        booking_reschedule(
            booking, actor=interviewer, actor_role=Actor.INTERVIEWER, new_start=SLOT_BOTH
        )

    work("meeting_update_task")
    assert mail.outbox == []
    work()
    with at(WAIT):
        work()

    assert [m.subject for m in mail.outbox] == [
        "Mockri: Moved: Career chat is now on Wed 2 Dec"
    ] * 2
    assert all(f"Join: {NEW_MEET}" in m.body and MEET not in m.body for m in mail.outbox)
    invitation = Calendar.from_ical(mail.outbox[0].attachments[0][1]).walk("VEVENT")[0]
    assert (invitation["SEQUENCE"], invitation.decoded("DTSTART")) == (2, SLOT_BOTH)


def test_a_move_whose_meeting_is_slow_goes_after_the_wait_and_the_link_follows(
    google, book_session, candidate, interviewer, work, django_capture_on_commit_callbacks
):
    """The old link is not given out as the current one: after some moves it no longer works
    (Cal.com books anew, a reassigned Jitsi session gets a new room)."""
    google.post(EVENTS_URL, json=event("x"))
    booking = book_session()
    work()
    patch = google.patch(
        f"{EVENTS_URL}/{booking.meeting.external_id}", status=503, json=BACKEND_ERROR
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        booking_reschedule(
            booking, actor=interviewer, actor_role=Actor.INTERVIEWER, new_start=SLOT_BOTH
        )

    work()
    with at(WAIT):
        work()

    assert [m.to for m in mail.outbox] == [[candidate.email], [interviewer.email]]
    assert all("we'll email it to you as soon as it's ready" in m.body for m in mail.outbox)
    assert not any(MEET in m.body for m in mail.outbox)

    google.replace(responses.PATCH, patch.url, json=event("x"))
    mail.outbox.clear()
    for minute in range(WAIT, 30):  # the provider's retries come and succeed
        with at(minute):
            work()

    assert [m.to for m in mail.outbox] == [[candidate.email], [interviewer.email]]
    assert all(MEET in m.body for m in mail.outbox)


def test_a_new_interviewer_is_told_of_a_new_session_the_previous_of_its_move_and_the_candidate(
    book_session,
    candidate,
    interviewer,
    other_interviewer,
    other_profile,
    free_type,
    staff,
    work,
    django_capture_on_commit_callbacks,
):
    free_type.interviewers.add(other_profile)
    booking = book_session()
    work()
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        booking_reassign(booking, staff_user=staff, interviewer=other_profile)
    work()

    assert sorted((m.to[0], m.subject.split(":")[1].strip()) for m in mail.outbox) == sorted(
        [
            (candidate.email, "Moved"),
            (other_interviewer.email, "New session"),
            (interviewer.email, "Moved to another interviewer"),
        ]
    )
