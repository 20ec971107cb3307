"""Meeting services beyond one provider: races, stale retries, the check before the start."""

import json

import pytest
import responses

from mockri.bookings.enums import Actor
from mockri.bookings.services import booking_cancel, booking_reschedule
from mockri.meetings.enums import MeetingStatus
from mockri.meetings.models import Meeting
from mockri.meetings.providers.base import ProviderError
from mockri.meetings.providers.google import event_id_for
from mockri.meetings.selectors import meeting_current_link_for
from mockri.meetings.services import (
    NO_LINK_BEFORE_START,
    meeting_check_before_start,
    meeting_create_for,
    meeting_fall_back,
    meeting_update_for,
)
from mockri.meetings.signals import meeting_ready
from mockri.meetings.tasks import meeting_create_task
from tests.fixtures import SLOT_BOTH
from tests.meetings.conftest import run_meeting_tasks
from tests.meetings.test_google import BACKEND_ERROR, EVENTS_URL, event, token_ok

NEW_MEET = "https://meet.google.com/xyz-wxyz-xyz"


def test_a_pending_meeting_has_no_link_yet(booking):
    Meeting.objects.create(booking=booking, provider="google")

    assert meeting_current_link_for(booking) == ""


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
        ran = run_meeting_tasks(task_queue)

    assert ran == ["meeting_cancel_task"] * 4
    meeting = Meeting.objects.get()
    assert (meeting.status, meeting.attempts) == (MeetingStatus.CANCELLED, 4)
    assert meeting.last_error == "Google Calendar answered 500: Backend Error"


def test_a_session_without_a_link_before_the_start_gets_a_jitsi_link(booking):
    meeting = meeting_check_before_start(booking_id=booking.pk)

    assert meeting.status == MeetingStatus.FAILED_OVER
    assert meeting.url.startswith("https://meet.jit.si/mockri-")
    assert meeting.last_error == NO_LINK_BEFORE_START
    assert meeting_current_link_for(booking) == meeting.url


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


@pytest.fixture
def announced():
    """meeting_ready as a receiver sees it: (booking id, link as stored when it is sent)."""
    received = []

    def receive(sender, meeting, **kwargs):
        stored = Meeting.objects.values_list("url", flat=True).get(pk=meeting.pk)
        received.append((meeting.booking_id, stored))

    meeting_ready.connect(receive)
    yield received
    meeting_ready.disconnect(receive)


def test_a_made_meeting_is_announced_ready_in_the_transaction_that_stores_its_link(
    booking, announced, task_queue
):
    meeting = meeting_create_for(booking_id=booking.pk)

    assert announced == [(booking.pk, meeting.url)]
    assert task_queue.names() == ["meeting_ready_emails_task"]


def test_a_failing_meeting_ready_receiver_leaves_the_link_unstored(booking, task_queue):
    def broken(sender, meeting, **kwargs):
        raise RuntimeError("receiver failed")

    meeting_ready.connect(broken)
    try:
        with pytest.raises(RuntimeError):
            meeting_create_for(booking_id=booking.pk)
    finally:
        meeting_ready.disconnect(broken)

    meeting = Meeting.objects.get(booking=booking)
    assert (meeting.status, meeting.url) == (MeetingStatus.PENDING, "")


def test_a_failed_attempt_announces_nothing_and_the_fallback_announces_its_link(
    google, booking, announced, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True), responses.RequestsMock() as mock:
        token_ok(mock)
        mock.post(EVENTS_URL, status=500, json=BACKEND_ERROR)
        with pytest.raises(ProviderError):
            meeting_create_for(booking_id=booking.pk)
    assert announced == []

    with django_capture_on_commit_callbacks(execute=True):
        meeting = meeting_fall_back(booking_id=booking.pk, reason="Google kept failing.")

    assert announced == [(booking.pk, meeting.url)]
    assert meeting.url.startswith("https://meet.jit.si/mockri-")


def test_a_moved_session_is_announced_when_its_meeting_is_moved(
    booking, interviewer, announced, django_capture_on_commit_callbacks
):
    made = meeting_create_for(booking_id=booking.pk)
    moved = booking_reschedule(
        booking, actor=interviewer, actor_role=Actor.INTERVIEWER, new_start=SLOT_BOTH
    )
    announced.clear()

    with django_capture_on_commit_callbacks(execute=True):
        meeting = meeting_update_for(booking_id=moved.pk)
        meeting_update_for(booking_id=moved.pk)  # already moved: announced again, nothing called

    assert announced == [(booking.pk, made.url)] * 2
    assert meeting.synced_version == 2


def test_a_new_link_found_before_the_start_is_announced(
    google, booking, announced, django_capture_on_commit_callbacks
):
    event_id = event_id_for(booking.reference)
    with responses.RequestsMock() as mock:
        token_ok(mock)
        mock.post(EVENTS_URL, json=event(event_id))
        mock.get(f"{EVENTS_URL}/{event_id}", json=event(event_id, link=NEW_MEET))
        meeting_create_for(booking_id=booking.pk)
        announced.clear()
        with django_capture_on_commit_callbacks(execute=True):
            meeting_check_before_start(booking_id=booking.pk)

    assert announced == [(booking.pk, NEW_MEET)]
