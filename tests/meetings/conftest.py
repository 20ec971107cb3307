import hashlib
import hmac
import json
from pathlib import Path

import pytest

from mockri.bookings.enums import BookingStatus
from mockri.meetings.enums import MeetingStatus
from mockri.meetings.models import Meeting

# Byte-exact copies of /work/shared/fixtures/providers/calcom-*.json (Cal.com's documented
# webhook samples, version 2021-10-20).
FIXTURES = Path(__file__).resolve().parent / "fixtures"
CALCOM_WEBHOOK_SECRET = "mockri_calcom_webhook_test_secret"
CALCOM_API_KEY = "cal_test_0123456789abcdef"
CALCOM_EVENT_TYPE_ID = 123
GOOGLE_TOKEN = "ya29.a0-test-access-token"


def calcom_body(trigger: str) -> bytes:
    return (FIXTURES / f"calcom-{trigger}.json").read_bytes()


def calcom_body_with(trigger: str, **payload_changes) -> bytes:
    """A fixture with changed payload fields, re-serialised (sign what you send)."""
    event = json.loads(calcom_body(trigger))
    target = event.get("payload", event)
    target.update(payload_changes)
    return json.dumps(event).encode()


def sign(body: bytes, secret: str = CALCOM_WEBHOOK_SECRET) -> str:
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def _is_meeting_task(result) -> bool:
    # The meetings app's own tasks (notifications' meeting_ready_emails_task is not one).
    return result.task.func.__module__ == "mockri.meetings.tasks"


def run_meeting_tasks(task_queue) -> list[str]:
    """Run the queued meeting tasks, deferred ones included (as if their time had come), and
    any they queue; return their names in order."""
    ran = []
    while queued := [r for r in task_queue.enqueued if _is_meeting_task(r)]:
        result = queued[0]
        task_queue.backend.results.remove(result)
        ran.append(result.task.name)
        result.task.call(*result.args, **result.kwargs)
    return ran


def meeting_task_names(task_queue) -> list[str]:
    return [r.task.name for r in task_queue.enqueued if _is_meeting_task(r)]


@pytest.fixture
def booking(now, candidate, profile, free_type, book, task_queue):
    """A confirmed free session with Ananya (Asia/Kolkata) at SLOT, 20 minutes long; the tasks
    its confirmation queued are dropped (tests run the meeting's tasks themselves)."""
    made = book(candidate=candidate, interview_type=free_type, interviewer=profile)
    assert made.status == BookingStatus.CONFIRMED
    task_queue.backend.clear()
    return made


@pytest.fixture
def google(settings):
    settings.MEETING_PROVIDER = "google"
    settings.GOOGLE_CLIENT_ID = "1234567890-test.apps.googleusercontent.com"
    settings.GOOGLE_CLIENT_SECRET = "GOCSPX-test-client-secret"
    settings.GOOGLE_CALENDAR_REFRESH_TOKEN = "1//test-refresh-token"
    settings.GOOGLE_CALENDAR_ID = "primary"


@pytest.fixture
def calcom(settings):
    settings.MEETING_PROVIDER = "calcom"
    settings.CALCOM_API_KEY = CALCOM_API_KEY
    settings.CALCOM_API_URL = "https://api.cal.com/v2"
    settings.CALCOM_EVENT_TYPE_ID = CALCOM_EVENT_TYPE_ID
    settings.CALCOM_WEBHOOK_SECRET = CALCOM_WEBHOOK_SECRET


@pytest.fixture
def calcom_meeting(booking):
    """Make `booking` one that Cal.com knows by `uid`."""

    def make(uid: str) -> Meeting:
        return Meeting.objects.create(
            booking=booking,
            provider="calcom",
            external_id=uid,
            url=f"https://app.cal.com/video/{uid}",
            status=MeetingStatus.READY,
            synced_version=booking.version,
            starts_at=booking.starts_at,
            interviewer=booking.interviewer,
        )

    return make
