"""Meeting services beyond one provider: races, stale retries, the check before the start."""

import json

import responses

from mockri.bookings.enums import Actor
from mockri.bookings.services import booking_cancel
from mockri.meetings.enums import MeetingStatus
from mockri.meetings.models import Meeting
from mockri.meetings.providers.google import event_id_for
from mockri.meetings.selectors import meeting_link_for
from mockri.meetings.services import (
    NO_LINK_BEFORE_START,
    meeting_check_before_start,
    meeting_create_for,
)
from mockri.meetings.tasks import meeting_cancel_task, meeting_create_task
from tests.meetings.conftest import run_meeting_tasks
from tests.meetings.test_google import BACKEND_ERROR, EVENTS_URL, event, token_ok


def test_a_pending_meeting_has_no_link_yet(booking):
    Meeting.objects.create(booking=booking, provider="google")

    assert meeting_link_for(booking) == ""


def test_a_meeting_cancelled_while_google_made_it_is_deleted_again(google, booking):
    event_id = event_id_for(booking.reference)

    def insert_while_the_session_is_cancelled(request):
        Meeting.objects.filter(booking=booking).update(status=MeetingStatus.CANCELLED)
        return 200, {"Content-Type": "application/json"}, json.dumps(event(event_id))

    with responses.RequestsMock() as mock:
        token_ok(mock)
        mock.add_callback(
            responses.POST, EVENTS_URL, callback=insert_while_the_session_is_cancelled
        )
        mock.delete(f"{EVENTS_URL}/{event_id}", status=204)

        meeting = meeting_create_for(booking_id=booking.pk)

        assert mock.calls[-1].request.method == "DELETE"
    assert (meeting.status, meeting.url) == (MeetingStatus.CANCELLED, "")


def test_a_retry_after_the_session_was_cancelled_calls_nothing(google, booking, candidate):
    booking_cancel(booking, actor=candidate, actor_role=Actor.CANDIDATE, reason="Got the job.")

    with responses.RequestsMock() as mock:
        meeting_create_task.call(booking_id=booking.pk, attempt=3)

        assert len(mock.calls) == 0
    assert not Meeting.objects.exists()


def test_a_cancellation_the_provider_keeps_refusing_is_given_up_with_the_error(
    google, booking, candidate, task_queue
):
    event_id = event_id_for(booking.reference)
    Meeting.objects.create(
        booking=booking,
        provider="google",
        external_id=event_id,
        url="https://meet.google.com/abc-defg-hij",
        status=MeetingStatus.READY,
    )
    booking_cancel(booking, actor=candidate, actor_role=Actor.CANDIDATE, reason="Got the job.")

    with responses.RequestsMock() as mock:
        token_ok(mock)
        mock.delete(f"{EVENTS_URL}/{event_id}", status=500, json=BACKEND_ERROR)
        meeting_cancel_task.call(booking_id=booking.pk)
        ran = run_meeting_tasks(task_queue)

    assert ran == ["meeting_cancel_task"] * 3
    meeting = Meeting.objects.get()
    assert (meeting.status, meeting.attempts) == (MeetingStatus.CANCELLED, 4)
    assert meeting.last_error == "Google Calendar answered 500: Backend Error"


def test_a_session_without_a_link_before_the_start_gets_a_jitsi_link(booking):
    meeting = meeting_check_before_start(booking_id=booking.pk)

    assert meeting.status == MeetingStatus.FAILED_OVER
    assert meeting.url.startswith("https://meet.jit.si/mockri-")
    assert meeting.last_error == NO_LINK_BEFORE_START
    assert meeting_link_for(booking) == meeting.url


def test_the_fallback_before_the_start_keeps_the_providers_last_error(google, booking):
    Meeting.objects.create(
        booking=booking,
        provider="google",
        attempts=2,
        last_error="Google Calendar answered 503: Backend Error",
    )

    with responses.RequestsMock():  # a meeting never made there: nothing to cancel
        meeting = meeting_check_before_start(booking_id=booking.pk)

    assert meeting.status == MeetingStatus.FAILED_OVER
    assert meeting.last_error == (
        f"{NO_LINK_BEFORE_START} Last error: Google Calendar answered 503: Backend Error"
    )


def test_a_jitsi_link_needs_no_check(booking):
    made = meeting_create_for(booking_id=booking.pk)

    with responses.RequestsMock() as mock:
        checked = meeting_check_before_start(booking_id=booking.pk)

        assert len(mock.calls) == 0
    assert (checked.status, checked.url) == (MeetingStatus.READY, made.url)


def test_a_cancelled_session_is_not_checked(booking, candidate):
    booking_cancel(booking, actor=candidate, actor_role=Actor.CANDIDATE, reason="Got the job.")

    assert meeting_check_before_start(booking_id=booking.pk) is None
    assert not Meeting.objects.exists()
