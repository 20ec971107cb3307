"""Google Meet through the Calendar API v3: only the network is faked, with `responses`, in the
shapes of the Events reference (INTEGRATIONS.md §3)."""

import datetime
import json
from urllib.parse import parse_qs, urlsplit

import pytest
import responses

from mockri.bookings.enums import Actor
from mockri.bookings.services import booking_cancel, booking_reschedule
from mockri.meetings.enums import MeetingStatus
from mockri.meetings.models import Meeting
from mockri.meetings.providers.google import event_id_for, meet_link
from mockri.meetings.services import (
    meeting_cancel_for,
    meeting_check_before_start,
    meeting_create_for,
    meeting_update_for,
)
from mockri.meetings.tasks import meeting_create_task, meeting_update_task
from tests.fixtures import NOW, SLOT, SLOT_BOTH
from tests.meetings.conftest import GOOGLE_TOKEN, run_meeting_tasks

TOKEN_URL = "https://oauth2.googleapis.com/token"
EVENTS_URL = "https://www.googleapis.com/calendar/v3/calendars/primary/events"
MEET = "https://meet.google.com/abc-defg-hij"
JITSI = r"https://meet\.jit\.si/mockri-[a-z0-9]{24}"
BACKEND_ERROR = {
    "error": {
        "code": 500,
        "message": "Backend Error",
        "errors": [{"domain": "global", "reason": "backendError", "message": "Backend Error"}],
    }
}


def event(event_id: str, *, link: str = MEET, status: str = "success", **fields) -> dict:
    """An event as Google answers it (§3.2 of INTEGRATIONS.md)."""
    conference = {
        "createRequest": {
            "requestId": "mockri-MK-TEST-v1",
            "conferenceSolutionKey": {"type": "hangoutsMeet"},
            "status": {"statusCode": status},
        },
        "conferenceSolution": {"key": {"type": "hangoutsMeet"}, "name": "Google Meet"},
    }
    body = {
        "kind": "calendar#event",
        "id": event_id,
        "status": "confirmed",
        "htmlLink": "https://www.google.com/calendar/event?eid=abc",
        "summary": "Mockri mock interview",
        "conferenceData": conference,
        **fields,
    }
    if link:
        body["hangoutLink"] = link
        conference["conferenceId"] = link.rsplit("/", 1)[-1]
        conference["entryPoints"] = [
            {"entryPointType": "video", "uri": link, "label": link.removeprefix("https://")},
            {"entryPointType": "phone", "uri": "tel:+1-555-010-0000", "pin": "123456789"},
        ]
    return body


def token_ok(mock) -> None:
    mock.post(
        TOKEN_URL,
        json={
            "access_token": GOOGLE_TOKEN,
            "expires_in": 3599,
            "scope": "https://www.googleapis.com/auth/calendar.events",
            "token_type": "Bearer",
        },
    )


def request_json(call) -> dict:
    return json.loads(call.request.body)


def query(call) -> dict:
    return {key: values[0] for key, values in parse_qs(urlsplit(call.request.url).query).items()}


@pytest.fixture
def mock():
    with responses.RequestsMock() as requests_mock:
        yield requests_mock


def test_the_event_is_inserted_with_a_meet_create_request_and_both_people(
    google, booking, candidate, interviewer, mock
):
    event_id = event_id_for(booking.reference)
    token_ok(mock)
    mock.post(EVENTS_URL, json=event(event_id))

    meeting = meeting_create_for(booking_id=booking.pk)

    insert = mock.calls[1]
    assert query(insert) == {"conferenceDataVersion": "1", "sendUpdates": "none"}
    sent = request_json(insert)
    assert sent["id"] == event_id
    assert sent["conferenceData"] == {
        "createRequest": {
            "requestId": f"mockri-{booking.reference}-v1",
            "conferenceSolutionKey": {"type": "hangoutsMeet"},
        }
    }
    assert sent["attendees"] == [
        {"email": "kavya@example.com", "displayName": "Kavya Sharma"},
        {"email": interviewer.email, "displayName": "Ananya Iyer"},
    ]
    # 10:00 to 10:20 in the interviewer's zone.
    assert sent["start"] == {"dateTime": "2026-12-02T10:00:00+05:30", "timeZone": "Asia/Kolkata"}
    assert sent["end"] == {"dateTime": "2026-12-02T10:20:00+05:30", "timeZone": "Asia/Kolkata"}
    assert sent["summary"] == "Mockri mock interview: Career chat"
    assert (meeting.status, meeting.provider, meeting.external_id, meeting.url) == (
        MeetingStatus.READY,
        "google",
        event_id,
        MEET,
    )


def test_the_access_token_comes_from_the_refresh_token(google, booking, mock):
    token_ok(mock)
    mock.post(EVENTS_URL, json=event(event_id_for(booking.reference)))

    meeting_create_for(booking_id=booking.pk)

    token_request = mock.calls[0].request
    assert token_request.url == TOKEN_URL
    assert parse_qs(token_request.body) == {
        "client_id": ["1234567890-test.apps.googleusercontent.com"],
        "client_secret": ["GOCSPX-test-client-secret"],
        "refresh_token": ["1//test-refresh-token"],
        "grant_type": ["refresh_token"],
    }
    assert mock.calls[1].request.headers["Authorization"] == f"Bearer {GOOGLE_TOKEN}"


def test_the_link_is_read_from_the_video_entry_point_when_there_is_no_hangout_link():
    body = event("evt1", link="https://meet.google.com/xyz-abcd-efg")
    del body["hangoutLink"]

    assert meet_link(body) == "https://meet.google.com/xyz-abcd-efg"


def test_an_event_without_any_link_has_none():
    assert meet_link(event("evt1", link="", status="pending")) == ""


def test_an_insert_repeated_after_a_lost_answer_reads_the_event_it_made(google, booking, mock):
    event_id = event_id_for(booking.reference)
    token_ok(mock)
    mock.post(EVENTS_URL, status=409, json={"error": {"code": 409, "message": "Duplicate"}})
    mock.get(f"{EVENTS_URL}/{event_id}", json=event(event_id))

    meeting = meeting_create_for(booking_id=booking.pk)

    assert (meeting.status, meeting.url) == (MeetingStatus.READY, MEET)


def test_a_conference_still_being_made_is_read_again_on_the_retry(
    google, booking, mock, task_queue
):
    event_id = event_id_for(booking.reference)
    token_ok(mock)
    mock.post(EVENTS_URL, json=event(event_id, link="", status="pending"))
    mock.get(f"{EVENTS_URL}/{event_id}", json=event(event_id))

    meeting_create_task.call(booking_id=booking.pk)
    pending = Meeting.objects.get(booking=booking)
    run_meeting_tasks(task_queue)

    assert (pending.status, pending.external_id, pending.url) == (
        MeetingStatus.PENDING,
        event_id,
        "",
    )
    meeting = Meeting.objects.get(booking=booking)
    assert (meeting.status, meeting.url, meeting.attempts) == (MeetingStatus.READY, MEET, 0)
    assert [call.request.method for call in mock.calls] == ["POST", "POST", "POST", "GET"]


def test_a_server_error_schedules_a_retry_a_minute_later(google, booking, mock, task_queue):
    token_ok(mock)
    mock.post(EVENTS_URL, status=500, json=BACKEND_ERROR)

    meeting_create_task.call(booking_id=booking.pk)

    meeting = Meeting.objects.get(booking=booking)
    assert (meeting.status, meeting.attempts) == (MeetingStatus.PENDING, 1)
    assert meeting.last_error == "Google Calendar answered 500: Backend Error"
    (retry,) = task_queue.enqueued
    assert retry.task.name == "meeting_create_task"
    assert retry.kwargs == {"booking_id": booking.pk, "attempt": 2}
    assert retry.task.run_after == NOW + datetime.timedelta(minutes=1)


def test_retries_wait_longer_each_time(google, booking, mock, task_queue):
    token_ok(mock)
    mock.post(EVENTS_URL, status=503, json=BACKEND_ERROR)
    delays = []

    for attempt in (1, 2, 3):
        meeting_create_task.call(booking_id=booking.pk, attempt=attempt)
        (retry,) = task_queue.enqueued
        delays.append(retry.task.run_after - NOW)
        task_queue.backend.clear()

    assert delays == [datetime.timedelta(minutes=m) for m in (1, 5, 15)]


def test_a_provider_that_keeps_failing_leaves_a_jitsi_link_and_the_error(
    google, booking, mock, task_queue
):
    token_ok(mock)
    mock.post(EVENTS_URL, status=500, json=BACKEND_ERROR)

    meeting_create_task.call(booking_id=booking.pk)
    ran = run_meeting_tasks(task_queue)

    assert ran == ["meeting_create_task"] * 3
    assert len([c for c in mock.calls if c.request.url.startswith(EVENTS_URL)]) == 4
    meeting = Meeting.objects.get(booking=booking)
    assert meeting.status == MeetingStatus.FAILED_OVER
    assert meeting.provider == "jitsi"
    assert meeting.url.startswith("https://meet.jit.si/mockri-")
    assert meeting.last_error == "Google Calendar answered 500: Backend Error"
    assert meeting.attempts == 4


def test_a_revoked_refresh_token_falls_back_at_once(google, booking, mock, task_queue):
    mock.post(
        TOKEN_URL,
        status=400,
        json={"error": "invalid_grant", "error_description": "Token has been expired or revoked."},
    )

    meeting_create_task.call(booking_id=booking.pk)

    meeting = Meeting.objects.get(booking=booking)
    assert meeting.status == MeetingStatus.FAILED_OVER
    assert meeting.last_error == "Google sign-in answered 400: invalid_grant"
    assert task_queue.names() == ["meeting_ready_emails_task"]  # not retried; the link announced


def test_moving_the_session_patches_the_event_times(google, booking, interviewer, mock):
    event_id = event_id_for(booking.reference)
    token_ok(mock)
    mock.post(EVENTS_URL, json=event(event_id))
    mock.patch(f"{EVENTS_URL}/{event_id}", json=event(event_id))
    meeting_create_for(booking_id=booking.pk)
    booking_reschedule(
        booking, actor=interviewer, actor_role=Actor.INTERVIEWER, new_start=SLOT_BOTH
    )

    meeting = meeting_update_for(booking_id=booking.pk)

    patch = mock.calls[3]
    assert patch.request.method == "PATCH"
    assert query(patch) == {"conferenceDataVersion": "1", "sendUpdates": "none"}
    sent = request_json(patch)
    assert sent["start"] == {"dateTime": "2026-12-02T15:00:00+05:30", "timeZone": "Asia/Kolkata"}
    assert sent["end"] == {"dateTime": "2026-12-02T15:20:00+05:30", "timeZone": "Asia/Kolkata"}
    assert "conferenceData" not in sent
    assert (meeting.url, meeting.synced_version, meeting.starts_at) == (MEET, 2, SLOT_BOTH)


def test_an_update_already_applied_calls_nothing(google, booking, mock):
    event_id = event_id_for(booking.reference)
    token_ok(mock)
    mock.post(EVENTS_URL, json=event(event_id))
    meeting_create_for(booking_id=booking.pk)

    meeting_update_for(booking_id=booking.pk)

    assert len(mock.calls) == 2


def test_cancelling_the_session_deletes_the_event(google, booking, candidate, mock):
    event_id = event_id_for(booking.reference)
    token_ok(mock)
    mock.post(EVENTS_URL, json=event(event_id))
    mock.delete(f"{EVENTS_URL}/{event_id}", status=204)
    meeting_create_for(booking_id=booking.pk)
    booking_cancel(booking, actor=candidate, actor_role=Actor.CANDIDATE, reason="Got the job.")

    meeting = meeting_cancel_for(booking_id=booking.pk)

    delete = mock.calls[3]
    assert delete.request.method == "DELETE"
    assert query(delete) == {"sendUpdates": "none"}
    assert meeting.status == MeetingStatus.CANCELLED


def test_an_event_already_deleted_counts_as_cancelled(google, booking, candidate, mock):
    event_id = event_id_for(booking.reference)
    token_ok(mock)
    mock.post(EVENTS_URL, json=event(event_id))
    mock.delete(f"{EVENTS_URL}/{event_id}", status=410, json={"error": {"code": 410}})
    meeting_create_for(booking_id=booking.pk)
    booking_cancel(booking, actor=candidate, actor_role=Actor.CANDIDATE, reason="Got the job.")

    assert meeting_cancel_for(booking_id=booking.pk).status == MeetingStatus.CANCELLED


def test_the_check_before_the_start_falls_back_when_the_event_is_gone(google, booking, mock):
    event_id = event_id_for(booking.reference)
    token_ok(mock)
    mock.post(EVENTS_URL, json=event(event_id))
    mock.get(f"{EVENTS_URL}/{event_id}", status=404, json={"error": {"code": 404}})
    meeting_create_for(booking_id=booking.pk)

    meeting = meeting_check_before_start(booking_id=booking.pk)

    assert meeting.status == MeetingStatus.FAILED_OVER
    assert meeting.last_error == "The Google Calendar event no longer exists."
    assert meeting.url.startswith("https://meet.jit.si/mockri-")


def test_the_check_before_the_start_keeps_the_link_when_google_is_only_unreachable(
    google, booking, mock
):
    event_id = event_id_for(booking.reference)
    token_ok(mock)
    mock.post(EVENTS_URL, json=event(event_id))
    mock.get(f"{EVENTS_URL}/{event_id}", status=503, json=BACKEND_ERROR)
    meeting_create_for(booking_id=booking.pk)

    meeting = meeting_check_before_start(booking_id=booking.pk)

    assert (meeting.status, meeting.url) == (MeetingStatus.READY, MEET)


def test_the_fallback_deletes_the_stale_event_when_an_update_keeps_failing(
    google, booking, interviewer, mock, task_queue
):
    event_id = event_id_for(booking.reference)
    token_ok(mock)
    mock.post(EVENTS_URL, json=event(event_id))
    mock.patch(f"{EVENTS_URL}/{event_id}", status=500, json=BACKEND_ERROR)
    mock.delete(f"{EVENTS_URL}/{event_id}", status=204)
    meeting_create_for(booking_id=booking.pk)
    booking_reschedule(
        booking, actor=interviewer, actor_role=Actor.INTERVIEWER, new_start=SLOT_BOTH
    )

    meeting_update_task.call(booking_id=booking.pk)
    run_meeting_tasks(task_queue)

    meeting = Meeting.objects.get(booking=booking)
    assert meeting.status == MeetingStatus.FAILED_OVER
    assert meeting.starts_at == SLOT_BOTH != SLOT
    assert mock.calls[-1].request.method == "DELETE"
