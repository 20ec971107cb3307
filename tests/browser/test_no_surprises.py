"""What a newcomer met as rough edges, walked in a real browser: the picker goes to a date, a move
is confirmed before it happens, and the meeting link appears on the booking page by itself."""

import datetime
import re

import pytest

from mockri.bookings.enums import BookingStatus
from mockri.bookings.models import Booking
from mockri.meetings.models import Meeting
from tests.factories import InterviewTypeFactory, UserFactory
from tests.fixtures import SLOT

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def chat(open_interviewer):
    return InterviewTypeFactory(
        name="Career chat", slug="career-chat", price_paise=0, interviewers=[open_interviewer]
    )


@pytest.fixture
def confirmed(chat, open_interviewer):
    candidate = UserFactory(email="kavya@example.com", full_name="Kavya Sharma")
    return Booking.objects.create(
        candidate=candidate,
        interviewer=open_interviewer,
        interview_type=chat,
        status=BookingStatus.CONFIRMED,
        starts_at=SLOT,
        ends_at=SLOT + datetime.timedelta(minutes=chat.duration_minutes),
        busy_until=SLOT + datetime.timedelta(minutes=chat.duration_minutes + 15),
        price_paise=0,
    )


def test_the_picker_jumps_to_the_week_of_a_date(live_server, page, chat):
    page.goto(f"{live_server.url}/interviews/{chat.slug}/book/")

    page.get_by_label("Go to a date").fill("2027-01-20")
    page.get_by_role("button", name="Show that week").click()

    page.get_by_role("heading", name=re.compile(r"^Tue 19 Jan – Mon 25 Jan")).wait_for()
    assert "date=2027-01-20" in page.url


def test_a_move_is_confirmed_before_it_happens(live_server, page, sign_in, confirmed):
    sign_in(confirmed.candidate)
    page.goto(f"{live_server.url}/bookings/{confirmed.reference}/reschedule/")

    page.locator("#slots button.slot").first.click()
    page.get_by_role("heading", name="Move this session?").wait_for()
    confirmed.refresh_from_db()
    assert confirmed.reschedule_count == 0

    page.get_by_role("button", name=re.compile("^Move to ")).click()
    page.get_by_text("Your session has been moved.").wait_for()
    confirmed.refresh_from_db()
    assert confirmed.reschedule_count == 1


def test_the_meeting_link_appears_without_a_reload(live_server, page, sign_in, confirmed):
    sign_in(confirmed.candidate)
    page.goto(f"{live_server.url}/bookings/{confirmed.reference}/")
    page.get_by_text("This page updates itself when the link is ready.").wait_for()

    Meeting.objects.create(
        booking=confirmed,
        provider="jitsi",
        url="https://meet.jit.si/mockri-test-room",
        status="ready",
        synced_version=confirmed.version,
    )

    page.get_by_role("link", name="Join the session").wait_for(timeout=15_000)
