"""Cal.com API v2 bookings: only the network is faked, with `responses`, in the shapes of the
bookings controller's 2024-08-13 inputs and outputs (INTEGRATIONS.md §2.4): the list of
bookings (GET /v2/bookings, filtered by attendee email and status, with no metadata filter) that
every create reads first, the create itself, reschedule and cancel."""

import json
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
import responses

from mockri.bookings.enums import Actor
from mockri.bookings.services import booking_cancel, booking_reschedule
from mockri.meetings.enums import MeetingStatus
from mockri.meetings.models import Meeting
from mockri.meetings.providers import get_provider
from mockri.meetings.providers.calcom import meeting_url
from mockri.meetings.services import (
    meeting_cancel_for,
    meeting_check_before_start,
    meeting_create_for,
    meeting_update_for,
)
from mockri.meetings.tasks import meeting_create_task
from tests.fixtures import SLOT_BOTH
from tests.meetings.conftest import CALCOM_API_KEY, CALCOM_EVENT_TYPE_ID, run_meeting_tasks

API = "https://api.cal.com/v2"
UID = "qvoPJQLUZsGBRkhn1x2wrM"
NEW_UID = "hF3nQ7tZpWcX1yLk9sVbAe"
OLD_UID = "m2TqZcVbN8pWx4RkLs7yHd"
START = "2026-12-02T04:30:00.000Z"
OWN_EVENT_TYPE_ID = 456  # an event type Ananya hosts
SINGLE_LENGTH = (
    "Can't specify 'lengthInMinutes' because event type does not have multiple possible "
    "lengths. Please, remove the 'lengthInMinutes' field from the request."
)


def booking_output(uid: str, *, start: str, status: str = "accepted", **fields) -> dict:
    """A BookingOutput_2024_08_13 in its success envelope."""
    return {
        "status": "success",
        "data": {
            "id": 4211,
            "uid": uid,
            "title": "Mockri mock interview between Mockri and Kavya Sharma",
            "status": status,
            "start": start,
            "end": start.replace("04:30", "04:50").replace("09:30", "09:50"),
            "duration": 20,
            "eventTypeId": CALCOM_EVENT_TYPE_ID,
            "eventType": {"id": CALCOM_EVENT_TYPE_ID, "slug": "mock-interview"},
            "location": f"https://app.cal.com/video/{uid}",
            "hosts": [{"id": 7, "name": "Mockri", "email": "sessions@mockri.com"}],
            "attendees": [
                {"name": "Kavya Sharma", "email": "kavya@example.com", "timeZone": "Asia/Kolkata"}
            ],
            "guests": ["ananya@example.com"],
            "metadata": {"mockri_booking": "MK-TEST", "mockri_version": "1"},
            **fields,
        },
    }


def listed(*bookings: dict) -> dict:
    """GetBookingsOutput_2024_08_13: the bookings and their pagination."""
    return {
        "status": "success",
        "data": [booking["data"] for booking in bookings],
        "pagination": {
            "totalItems": len(bookings),
            "remainingItems": 0,
            "returnedItems": len(bookings),
            "itemsPerPage": 100,
            "currentPage": 1,
            "totalPages": 1,
            "hasNextPage": False,
            "hasPreviousPage": False,
        },
    }


def ours(booking, version: int = 1) -> dict:
    return {"mockri_booking": booking.reference, "mockri_version": str(version)}


def error(status_code: int, message: str) -> dict:
    code = {400: "BadRequestException", 404: "NotFoundException"}.get(status_code, "Error")
    return {"status": "error", "error": {"code": code, "message": message}}


@pytest.fixture
def mock():
    with responses.RequestsMock() as requests_mock:
        yield requests_mock


def sent(call) -> dict:
    return json.loads(call.request.body)


def query(call) -> dict:
    return {key: values[0] for key, values in parse_qs(urlsplit(call.request.url).query).items()}


def calls(mock) -> list[str]:
    return [f"{c.request.method} {urlsplit(c.request.url).path}" for c in mock.calls]


def test_a_booking_is_created_on_the_event_type_with_the_api_version_header(
    calcom, booking, interviewer, mock
):
    mock.get(f"{API}/bookings", json=listed())
    mock.post(f"{API}/bookings", status=201, json=booking_output(UID, start=START))

    meeting = meeting_create_for(booking_id=booking.pk)

    lookup, create = mock.calls
    for call in (lookup, create):
        assert call.request.headers["cal-api-version"] == "2024-08-13"
        assert call.request.headers["Authorization"] == f"Bearer {CALCOM_API_KEY}"
    assert query(lookup) == {
        "attendeeEmail": "kavya@example.com",
        "status": "upcoming",
        "take": "100",
    }
    assert sent(create) == {
        "start": "2026-12-02T04:30:00Z",
        "eventTypeId": CALCOM_EVENT_TYPE_ID,
        "attendee": {
            "name": "Kavya Sharma",
            "email": "kavya@example.com",
            "timeZone": "Asia/Kolkata",
            "language": "en",
        },
        "guests": [interviewer.email],
        "metadata": {"mockri_booking": booking.reference, "mockri_version": "1"},
        "lengthInMinutes": 20,
    }
    assert (meeting.status, meeting.provider, meeting.external_id, meeting.url) == (
        MeetingStatus.READY,
        "calcom",
        UID,
        f"https://app.cal.com/video/{UID}",
    )
    assert meeting.interviewer == booking.interviewer


def test_a_session_is_booked_on_the_event_type_its_interviewer_hosts_with_no_guest(
    calcom, booking, profile, mock
):
    profile.calcom_event_type_id = OWN_EVENT_TYPE_ID
    profile.save()
    mock.get(f"{API}/bookings", json=listed())
    own = {"eventTypeId": OWN_EVENT_TYPE_ID, "eventType": {"id": OWN_EVENT_TYPE_ID, "slug": "ai"}}
    mock.post(f"{API}/bookings", status=201, json=booking_output(UID, start=START, **own))

    meeting = meeting_create_for(booking_id=booking.pk)

    body = sent(mock.calls[1])
    assert (body["eventTypeId"], "guests" in body) == (OWN_EVENT_TYPE_ID, False)
    assert meeting.external_id == UID


def test_an_event_type_with_one_length_is_booked_again_without_asking_for_a_length(
    calcom, booking, mock
):
    mock.get(f"{API}/bookings", json=listed())
    mock.post(f"{API}/bookings", status=400, json=error(400, SINGLE_LENGTH))
    mock.post(f"{API}/bookings", status=201, json=booking_output(UID, start=START))

    meeting = meeting_create_for(booking_id=booking.pk)

    with_length, without = (sent(call) for call in mock.calls[1:])
    assert with_length["lengthInMinutes"] == 20
    assert without == {k: v for k, v in with_length.items() if k != "lengthInMinutes"}
    assert (meeting.status, meeting.external_id) == (MeetingStatus.READY, UID)


def test_a_booking_of_another_length_is_cancelled_and_the_session_falls_back_to_jitsi(
    calcom, booking, mock, task_queue
):
    mock.get(f"{API}/bookings", json=listed())
    mock.post(f"{API}/bookings", status=400, json=error(400, SINGLE_LENGTH))
    mock.post(f"{API}/bookings", status=201, json=booking_output(UID, start=START, duration=30))
    mock.post(f"{API}/bookings/{UID}/cancel", json=booking_output(UID, start=START))

    meeting_create_task.call(booking_id=booking.pk)

    assert sent(mock.calls[-1]) == {
        "cancellationReason": "Made with the wrong length for this Mockri session."
    }
    meeting = Meeting.objects.get(booking=booking)
    assert meeting.status == MeetingStatus.FAILED_OVER
    assert meeting.last_error == (
        f"The Cal.com event type {CALCOM_EVENT_TYPE_ID} made a 30-minute booking for a "
        "20-minute session: give it that length, or offer it as one of several durations."
    )
    # Not retried (a setup mistake); the fallback link is announced.
    assert task_queue.names() == ["meeting_ready_emails_task"]


@pytest.mark.parametrize(
    ("status_code", "message"),
    [
        (
            400,
            "Provided 'lengthInMinutes' is not one of the possible lengths for the event type. "
            "The possible lengths are: 30, 60",
        ),
        (404, f"Event type with id={OWN_EVENT_TYPE_ID} not found"),
        (400, "User either already has booking at this time or is not available"),
    ],
    ids=["length not offered", "unknown event type", "slot taken"],
)
def test_a_refused_booking_falls_back_to_jitsi_without_retrying(
    calcom, booking, mock, task_queue, status_code, message
):
    mock.get(f"{API}/bookings", json=listed())
    mock.post(f"{API}/bookings", status=status_code, json=error(status_code, message))

    meeting_create_task.call(booking_id=booking.pk)

    meeting = Meeting.objects.get(booking=booking)
    assert meeting.status == MeetingStatus.FAILED_OVER
    assert meeting.last_error == f"Cal.com answered {status_code}: {message}"
    assert task_queue.names() == ["meeting_ready_emails_task"]  # the fallback link's emails


# A create whose answer was lost


def test_a_retry_after_a_lost_answer_adopts_the_booking_cal_com_made(
    calcom, booking, mock, task_queue
):
    made = booking_output(UID, start=START, metadata=ours(booking))
    mock.get(f"{API}/bookings", json=listed())  # first try: nothing yet
    mock.post(f"{API}/bookings", body=requests.exceptions.ReadTimeout("read timed out"))
    mock.get(f"{API}/bookings", json=listed(made))  # the retry finds what Cal.com made

    meeting_create_task.call(booking_id=booking.pk)
    assert Meeting.objects.get(booking=booking).status == MeetingStatus.PENDING
    assert run_meeting_tasks(task_queue) == ["meeting_create_task"]

    assert calls(mock) == ["GET /v2/bookings", "POST /v2/bookings", "GET /v2/bookings"]
    meeting = Meeting.objects.get(booking=booking)
    assert (meeting.status, meeting.external_id, meeting.url, meeting.attempts) == (
        MeetingStatus.READY,
        UID,
        f"https://app.cal.com/video/{UID}",
        0,
    )


def test_a_booking_left_for_an_older_version_is_cancelled_before_booking_again(
    calcom, booking, interviewer, mock
):
    moved = booking_reschedule(
        booking, actor=interviewer, actor_role=Actor.INTERVIEWER, new_start=SLOT_BOTH
    )
    stale = booking_output(OLD_UID, start=START, metadata=ours(booking, version=1))
    mock.get(f"{API}/bookings", json=listed(stale))
    mock.post(f"{API}/bookings/{OLD_UID}/cancel", json=booking_output(OLD_UID, start=START))
    new_start = "2026-12-02T09:30:00.000Z"
    mock.post(f"{API}/bookings", status=201, json=booking_output(UID, start=new_start))

    meeting = meeting_create_for(booking_id=moved.pk)

    assert calls(mock) == [
        "GET /v2/bookings",
        f"POST /v2/bookings/{OLD_UID}/cancel",
        "POST /v2/bookings",
    ]
    assert sent(mock.calls[1]) == {
        "cancellationReason": "Replaced by a newer booking of the same Mockri session."
    }
    assert sent(mock.calls[2])["metadata"] == ours(booking, version=2)
    assert meeting.external_id == UID


def test_the_candidates_other_cal_com_bookings_are_left_alone(calcom, booking, mock):
    others = [
        booking_output("otherSession001", start=START, metadata={"mockri_booking": "MK-OTHER1"}),
        booking_output("notMockri000001", start=START, metadata={}),
        booking_output("cancelledOne001", start=START, status="cancelled", metadata=ours(booking)),
    ]
    mock.get(f"{API}/bookings", json=listed(*others))
    mock.post(f"{API}/bookings", status=201, json=booking_output(UID, start=START))

    meeting = meeting_create_for(booking_id=booking.pk)

    assert calls(mock) == ["GET /v2/bookings", "POST /v2/bookings"]
    assert meeting.external_id == UID


@pytest.mark.parametrize(
    ("response", "permanent"),
    [
        ({"status": 500, "json": error(500, "Internal server error")}, False),
        ({"status": 200, "json": {"status": "success", "data": {"uid": UID}}}, False),
        ({"status": 401, "json": error(401, "Invalid API Key")}, True),
    ],
    ids=["server error", "unreadable", "refused key"],
)
def test_a_lookup_that_fails_makes_no_booking(
    calcom, booking, mock, task_queue, response, permanent
):
    mock.get(f"{API}/bookings", **response)

    meeting_create_task.call(booking_id=booking.pk)

    assert calls(mock) == ["GET /v2/bookings"]
    meeting = Meeting.objects.get(booking=booking)
    if permanent:
        assert meeting.status == MeetingStatus.FAILED_OVER
        assert meeting.last_error == "Cal.com answered 401: Invalid API Key"
    else:
        assert meeting.status == MeetingStatus.PENDING
        assert task_queue.names() == ["meeting_create_task"]  # tried again in a minute


def test_moving_the_session_reschedules_the_cal_com_booking_and_keeps_its_new_uid(
    calcom, booking, interviewer, mock
):
    mock.get(f"{API}/bookings", json=listed())
    mock.post(f"{API}/bookings", status=201, json=booking_output(UID, start=START))
    mock.post(
        f"{API}/bookings/{UID}/reschedule",
        status=201,
        json=booking_output(NEW_UID, start="2026-12-02T09:30:00.000Z", rescheduledFromUid=UID),
    )
    meeting_create_for(booking_id=booking.pk)
    booking_reschedule(
        booking, actor=interviewer, actor_role=Actor.INTERVIEWER, new_start=SLOT_BOTH
    )

    meeting = meeting_update_for(booking_id=booking.pk)

    reschedule = mock.calls[2]
    assert reschedule.request.headers["cal-api-version"] == "2024-08-13"
    assert sent(reschedule) == {
        "start": "2026-12-02T09:30:00Z",
        "reschedulingReason": "Moved in Mockri.",
    }
    assert (meeting.external_id, meeting.url, meeting.synced_version) == (
        NEW_UID,
        f"https://app.cal.com/video/{NEW_UID}",
        2,
    )


def test_cancelling_the_session_cancels_the_cal_com_booking_with_the_reason(
    calcom, booking, candidate, calcom_meeting, mock
):
    calcom_meeting(UID)
    mock.post(
        f"{API}/bookings/{UID}/cancel", json=booking_output(UID, start=START, status="cancelled")
    )
    booking_cancel(booking, actor=candidate, actor_role=Actor.CANDIDATE, reason="Got the job.")

    meeting = meeting_cancel_for(booking_id=booking.pk)

    (call,) = mock.calls
    assert call.request.headers["cal-api-version"] == "2024-08-13"
    assert sent(call) == {"cancellationReason": "Got the job."}
    assert meeting.status == MeetingStatus.CANCELLED


@pytest.mark.parametrize(
    "then",
    [
        {"status": 404, "json": error(404, f"Booking with uid={UID} was not found")},
        {"json": booking_output(UID, start=START, status="cancelled")},
    ],
    ids=["gone", "cancelled"],
)
def test_a_booking_cal_com_will_not_cancel_twice_counts_as_cancelled(calcom, mock, then):
    mock.post(
        f"{API}/bookings/{UID}/cancel",
        status=400,
        json=error(400, "This booking has already been cancelled."),
    )
    mock.get(f"{API}/bookings/{UID}", **then)

    assert get_provider("calcom").cancel(UID, reason="Got the job.") is None


def test_the_check_before_the_start_falls_back_when_cal_com_cancelled_the_booking(
    calcom, booking, calcom_meeting, mock
):
    calcom_meeting(UID)
    mock.get(
        f"{API}/bookings/{UID}",
        json=booking_output(UID, start=START, status="cancelled"),
    )
    mock.post(f"{API}/bookings/{UID}/cancel", status=400, json={"status": "error"})

    meeting = meeting_check_before_start(booking_id=booking.pk)

    assert meeting.status == MeetingStatus.FAILED_OVER
    assert meeting.last_error == "The Cal.com booking is cancelled."


@pytest.mark.parametrize(
    ("output", "url"),
    [
        ({"location": "https://app.cal.com/video/abc"}, "https://app.cal.com/video/abc"),
        (
            {"location": "integrations:daily", "meetingUrl": "https://meet.google.com/a-b-c"},
            "https://meet.google.com/a-b-c",
        ),
        (
            {"location": "", "metadata": {"videoCallUrl": "https://app.cal.com/video/x"}},
            "https://app.cal.com/video/x",
        ),
        ({"location": "Office, 2nd floor"}, ""),
    ],
)
def test_the_link_is_the_location_when_it_is_a_link(output, url):
    assert meeting_url(output) == url
