"""Cal.com API v2 bookings: only the network is faked, with `responses`, in the shapes of the
bookings controller's 2024-08-13 inputs and outputs (INTEGRATIONS.md §2.4)."""

import json

import pytest
import responses

from mockri.bookings.enums import Actor
from mockri.bookings.services import booking_cancel, booking_reschedule
from mockri.meetings.enums import MeetingStatus
from mockri.meetings.models import Meeting
from mockri.meetings.providers.calcom import meeting_url
from mockri.meetings.services import (
    meeting_cancel_for,
    meeting_check_before_start,
    meeting_create_for,
    meeting_update_for,
)
from mockri.meetings.tasks import meeting_create_task
from tests.bookings.support import SLOT_BOTH
from tests.meetings.conftest import CALCOM_API_KEY, CALCOM_EVENT_TYPE_ID

API = "https://api.cal.com/v2"
UID = "qvoPJQLUZsGBRkhn1x2wrM"
NEW_UID = "hF3nQ7tZpWcX1yLk9sVbAe"
START = "2026-12-02T04:30:00.000Z"


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


@pytest.fixture
def mock():
    with responses.RequestsMock() as requests_mock:
        yield requests_mock


def sent(call) -> dict:
    return json.loads(call.request.body)


def test_a_booking_is_created_on_the_event_type_with_the_api_version_header(
    calcom, booking, interviewer, mock
):
    mock.post(f"{API}/bookings", status=201, json=booking_output(UID, start=START))

    meeting = meeting_create_for(booking_id=booking.pk)

    (call,) = mock.calls
    assert call.request.headers["cal-api-version"] == "2024-08-13"
    assert call.request.headers["Authorization"] == f"Bearer {CALCOM_API_KEY}"
    assert sent(call) == {
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
    }
    assert (meeting.status, meeting.provider, meeting.external_id, meeting.url) == (
        MeetingStatus.READY,
        "calcom",
        UID,
        f"https://app.cal.com/video/{UID}",
    )


def test_moving_the_session_reschedules_the_cal_com_booking_and_keeps_its_new_uid(
    calcom, booking, interviewer, mock
):
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

    reschedule = mock.calls[1]
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


def test_a_refused_booking_falls_back_to_jitsi_without_retrying(calcom, booking, mock, task_queue):
    mock.post(
        f"{API}/bookings",
        status=400,
        json={
            "status": "error",
            "error": {"code": "BadRequestException", "message": "User either already has booking"},
        },
    )

    meeting_create_task.call(booking_id=booking.pk)

    meeting = Meeting.objects.get(booking=booking)
    assert meeting.status == MeetingStatus.FAILED_OVER
    assert meeting.last_error == "Cal.com answered 400: User either already has booking"
    assert task_queue.enqueued == []


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
