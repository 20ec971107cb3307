"""A session staff move to another interviewer (bookings.services.booking_reassign): its meeting
follows. Cal.com cancels the old booking and books the new interviewer's event type; Google
replaces the attendees of the same event; Jitsi opens a new room, since the previous interviewer
knows the old one's name. Only the network is
faked, with `responses`, in the providers' documented shapes."""

import pytest
import requests
import responses

from mockri.bookings.services import booking_reassign
from mockri.meetings.enums import MeetingStatus
from mockri.meetings.models import Meeting
from mockri.meetings.providers.google import event_id_for
from mockri.meetings.services import meeting_create_for, meeting_update_for
from mockri.meetings.signals import meeting_ready
from mockri.meetings.tasks import meeting_update_task
from tests.meetings.conftest import CALCOM_EVENT_TYPE_ID, run_meeting_tasks
from tests.meetings.test_calcom import (
    API,
    NEW_UID,
    START,
    UID,
    booking_output,
    calls,
    error,
    listed,
    ours,
    sent,
)
from tests.meetings.test_google import EVENTS_URL, MEET, event, request_json, token_ok

SARAHS_EVENT_TYPE_ID = 789
ALREADY_CANCELLED = "This booking has already been cancelled."


@pytest.fixture
def reassign(booking, free_type, staff, other_profile, task_queue):
    """Give the booking to Sarah (other_profile), who takes its interview type; the tasks the
    change queued are dropped (tests run the meeting's update themselves)."""
    free_type.interviewers.add(other_profile)

    def move():
        moved = booking_reassign(booking, staff_user=staff, interviewer=other_profile)
        task_queue.backend.clear()
        return moved

    return move


@pytest.fixture
def announced():
    """meeting_ready as a receiver sees it: (booking id, link)."""
    received = []

    def receive(sender, meeting, **kwargs):
        received.append((meeting.booking_id, meeting.url))

    meeting_ready.connect(receive)
    yield received
    meeting_ready.disconnect(receive)


@pytest.fixture
def mock():
    with responses.RequestsMock() as requests_mock:
        yield requests_mock


@pytest.fixture
def sarah_hosts_an_event_type(other_profile):
    other_profile.calcom_event_type_id = SARAHS_EVENT_TYPE_ID
    other_profile.save()


def on_sarahs_event_type(uid: str, booking, version: int = 2) -> dict:
    return booking_output(
        uid,
        start=START,
        eventTypeId=SARAHS_EVENT_TYPE_ID,
        eventType={"id": SARAHS_EVENT_TYPE_ID, "slug": "mock-interview"},
        metadata=ours(booking, version),
    )


def cancelled(uid: str) -> dict:
    return booking_output(uid, start=START, status="cancelled")


def test_cal_com_cancels_the_old_booking_and_books_the_new_interviewers_event_type(
    calcom,
    booking,
    calcom_meeting,
    reassign,
    sarah_hosts_an_event_type,
    other_profile,
    announced,
    mock,
    django_capture_on_commit_callbacks,
):
    calcom_meeting(UID)
    reassign()
    mock.post(f"{API}/bookings/{UID}/cancel", json=cancelled(UID))
    mock.get(f"{API}/bookings", json=listed())
    mock.post(f"{API}/bookings", status=201, json=on_sarahs_event_type(NEW_UID, booking))

    with django_capture_on_commit_callbacks(execute=True):
        meeting = meeting_update_for(booking_id=booking.pk)

    assert calls(mock) == [
        f"POST /v2/bookings/{UID}/cancel",
        "GET /v2/bookings",
        "POST /v2/bookings",
    ]
    assert sent(mock.calls[0]) == {
        "cancellationReason": "The session moved to another interviewer in Mockri."
    }
    create = sent(mock.calls[2])
    assert (create["eventTypeId"], "guests" in create) == (SARAHS_EVENT_TYPE_ID, False)
    assert create["metadata"] == ours(booking, version=2)
    assert (meeting.external_id, meeting.interviewer, meeting.synced_version) == (
        NEW_UID,
        other_profile,
        2,
    )
    assert announced == [(booking.pk, f"https://app.cal.com/video/{NEW_UID}")]


def test_cal_com_books_an_interviewer_without_an_event_type_as_a_guest_of_the_shared_one(
    calcom, booking, calcom_meeting, reassign, other_interviewer, mock
):
    calcom_meeting(UID)
    reassign()
    mock.post(f"{API}/bookings/{UID}/cancel", json=cancelled(UID))
    mock.get(f"{API}/bookings", json=listed())
    mock.post(f"{API}/bookings", status=201, json=booking_output(NEW_UID, start=START))

    meeting_update_for(booking_id=booking.pk)

    create = sent(mock.calls[2])
    assert (create["eventTypeId"], create["guests"]) == (
        CALCOM_EVENT_TYPE_ID,
        [other_interviewer.email],
    )


def test_a_move_retried_after_the_new_booking_failed_finds_the_old_one_cancelled_and_finishes(
    calcom, booking, calcom_meeting, reassign, sarah_hosts_an_event_type, mock, task_queue
):
    calcom_meeting(UID)
    reassign()
    mock.post(f"{API}/bookings/{UID}/cancel", json=cancelled(UID))
    mock.get(f"{API}/bookings", json=listed())
    mock.post(f"{API}/bookings", status=503, json=error(503, "Service Unavailable"))
    # The retry: Cal.com refuses to cancel twice; the booking is read and found cancelled.
    mock.post(f"{API}/bookings/{UID}/cancel", status=400, json=error(400, ALREADY_CANCELLED))
    mock.get(f"{API}/bookings/{UID}", json=cancelled(UID))
    mock.get(f"{API}/bookings", json=listed())
    mock.post(f"{API}/bookings", status=201, json=on_sarahs_event_type(NEW_UID, booking))

    meeting_update_task.call(booking_id=booking.pk)
    failed = Meeting.objects.get()
    assert (failed.status, failed.attempts, failed.external_id) == (MeetingStatus.READY, 1, UID)
    assert failed.last_error == "Cal.com answered 503: Service Unavailable"
    assert run_meeting_tasks(task_queue) == ["meeting_update_task"]

    meeting = Meeting.objects.get()
    assert (meeting.external_id, meeting.attempts, meeting.last_error) == (NEW_UID, 0, "")
    assert calls(mock)[3:5] == [f"POST /v2/bookings/{UID}/cancel", f"GET /v2/bookings/{UID}"]


def test_a_move_whose_new_booking_was_made_but_its_answer_lost_adopts_it(
    calcom, booking, calcom_meeting, reassign, sarah_hosts_an_event_type, mock, task_queue
):
    calcom_meeting(UID)
    reassign()
    mock.post(f"{API}/bookings/{UID}/cancel", json=cancelled(UID))
    mock.get(f"{API}/bookings", json=listed())
    mock.post(f"{API}/bookings", body=requests.exceptions.ReadTimeout("read timed out"))
    mock.post(f"{API}/bookings/{UID}/cancel", status=400, json=error(400, ALREADY_CANCELLED))
    mock.get(f"{API}/bookings/{UID}", json=cancelled(UID))
    mock.get(f"{API}/bookings", json=listed(on_sarahs_event_type(NEW_UID, booking)))

    meeting_update_task.call(booking_id=booking.pk)
    run_meeting_tasks(task_queue)

    assert calls(mock)[-1] == "GET /v2/bookings"  # adopted: no second create
    assert Meeting.objects.get().external_id == NEW_UID


def test_an_old_booking_cal_com_will_not_cancel_stops_the_move_before_anything_is_made(
    calcom, booking, calcom_meeting, reassign, mock, task_queue
):
    calcom_meeting(UID)
    reassign()
    mock.post(f"{API}/bookings/{UID}/cancel", status=400, json=error(400, "User not found"))
    mock.get(f"{API}/bookings/{UID}", json=booking_output(UID, start=START))  # still accepted

    meeting_update_task.call(booking_id=booking.pk)

    # The fallback tries once more to cancel it, quietly; nothing was made for Sarah.
    assert calls(mock) == [f"POST /v2/bookings/{UID}/cancel", f"GET /v2/bookings/{UID}"] * 2
    meeting = Meeting.objects.get()
    assert meeting.last_error == "Cal.com answered 400: User not found"
    # Refused for good: the session falls back to Jitsi, announced like any link.
    assert meeting.status == MeetingStatus.FAILED_OVER
    assert meeting.url.startswith("https://meet.jit.si/mockri-")
    assert task_queue.names() == ["meeting_ready_emails_task"]


def test_a_move_that_keeps_failing_falls_back_to_jitsi_and_announces_the_link(
    calcom,
    booking,
    calcom_meeting,
    reassign,
    other_profile,
    announced,
    task_queue,
    django_capture_on_commit_callbacks,
):
    calcom_meeting(UID)
    reassign()
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        mock.post(f"{API}/bookings/{UID}/cancel", json=cancelled(UID))
        mock.get(f"{API}/bookings", status=502, json=error(502, "Bad Gateway"))

        with django_capture_on_commit_callbacks(execute=True):
            meeting_update_task.call(booking_id=booking.pk)
            ran = run_meeting_tasks(task_queue)

    assert ran == ["meeting_update_task"] * 3
    meeting = Meeting.objects.get()
    assert (meeting.status, meeting.attempts, meeting.interviewer) == (
        MeetingStatus.FAILED_OVER,
        4,
        other_profile,
    )
    assert meeting.last_error == "Cal.com answered 502: Bad Gateway"
    assert announced == [(booking.pk, meeting.url)]


def test_a_meeting_not_known_to_be_made_for_whom_is_only_read_again(
    calcom, booking, calcom_meeting, reassign, mock
):
    # Made before Mockri recorded the interviewer: a move cannot be told from a re-read.
    Meeting.objects.filter(pk=calcom_meeting(UID).pk).update(interviewer=None)
    reassign()
    mock.get(f"{API}/bookings/{UID}", json=booking_output(UID, start=START))

    meeting = meeting_update_for(booking_id=booking.pk)

    assert (meeting.external_id, meeting.synced_version) == (UID, 2)


def test_google_keeps_the_event_and_its_link_and_replaces_the_attendees(
    google, booking, candidate, reassign, other_interviewer, other_profile, mock
):
    event_id = event_id_for(booking.reference)
    token_ok(mock)
    mock.post(EVENTS_URL, json=event(event_id))
    mock.patch(f"{EVENTS_URL}/{event_id}", json=event(event_id))
    meeting_create_for(booking_id=booking.pk)
    reassign()

    meeting = meeting_update_for(booking_id=booking.pk)

    patch = mock.calls[-1]
    assert patch.request.method == "PATCH"
    assert [a["email"] for a in request_json(patch)["attendees"]] == [
        candidate.email,
        other_interviewer.email,
    ]
    # The event reads naturally in the new interviewer's calendar (Europe/London).
    assert request_json(patch)["start"]["timeZone"] == "Europe/London"
    assert (meeting.url, meeting.interviewer, meeting.synced_version) == (MEET, other_profile, 2)


def test_a_jitsi_session_gets_a_new_room_the_previous_interviewer_does_not_know(
    booking, reassign, announced, django_capture_on_commit_callbacks
):
    made = meeting_create_for(booking_id=booking.pk)
    reassign()

    with django_capture_on_commit_callbacks(execute=True), responses.RequestsMock() as mock:
        moved = meeting_update_for(booking_id=booking.pk)
        assert len(mock.calls) == 0

    assert moved.url != made.url
    assert moved.url.startswith("https://meet.jit.si/mockri-")
    assert moved.synced_version == 2
    assert announced[-1] == (booking.pk, moved.url)
