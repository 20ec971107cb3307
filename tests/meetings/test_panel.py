"""The meeting panel a booking page includes: the join link, or that it is being set up."""

import pytest
from django.template.loader import render_to_string

from mockri.bookings.enums import Actor
from mockri.bookings.services import booking_cancel
from mockri.meetings.enums import MeetingStatus
from mockri.meetings.models import Meeting

TEMPLATE = "meetings/includes/meeting_panel.html"
LINK = "https://meet.google.com/abc-defg-hij"


def panel(booking, role: str) -> str:
    booking.refresh_from_db()
    return render_to_string(TEMPLATE, {"booking": booking, "role": role})


@pytest.mark.parametrize("role", ["candidate", "interviewer", "staff"])
def test_a_ready_meeting_shows_the_join_link_to_each_party(booking, role):
    Meeting.objects.create(
        booking=booking,
        provider="google",
        external_id="evt",
        url=LINK,
        status="ready",
        synced_version=1,
    )

    html = panel(booking, role)

    assert f'href="{LINK}" target="_blank" rel="noopener noreferrer">Join the session</a>' in html
    assert "setting up" not in html


def test_a_fallback_link_is_shown_like_any_other(booking):
    Meeting.objects.create(
        booking=booking,
        synced_version=1,
        provider="jitsi",
        external_id="mockri-abc",
        url="https://meet.jit.si/mockri-abc",
        status=MeetingStatus.FAILED_OVER,
        last_error="Google Calendar answered 500: Backend Error",
    )

    html = panel(booking, "candidate")

    assert 'href="https://meet.jit.si/mockri-abc"' in html
    assert "Backend Error" not in html  # staff only


@pytest.mark.parametrize("meeting", [False, True], ids=["no meeting yet", "pending"])
def test_until_the_link_exists_the_candidate_reads_that_it_is_being_set_up(booking, meeting):
    if meeting:
        Meeting.objects.create(booking=booking, provider="google")

    html = panel(booking, "candidate")

    assert "We're setting up your meeting link." in html
    assert "Join the session" not in html


def test_staff_see_the_provider_and_its_last_error(booking):
    Meeting.objects.create(
        booking=booking,
        synced_version=1,
        provider="jitsi",
        external_id="mockri-abc",
        url="https://meet.jit.si/mockri-abc",
        status=MeetingStatus.FAILED_OVER,
        attempts=4,
        last_error="Google Calendar answered 500: Backend Error",
    )

    html = panel(booking, "staff")

    assert "<dd>Google Calendar answered 500: Backend Error</dd>" in html
    assert "Ready (fallback link) (4 failed attempts)" in html


def test_the_interviewer_is_told_to_sign_in_on_meet_jit_si(booking):
    Meeting.objects.create(
        booking=booking,
        synced_version=1,
        provider="jitsi",
        external_id="mockri-abc",
        url="https://meet.jit.si/mockri-abc",
        status=MeetingStatus.READY,
    )

    assert "sign in" in panel(booking, "interviewer")
    assert "sign in" not in panel(booking, "candidate")


def test_a_cancelled_session_shows_no_link(booking, candidate):
    Meeting.objects.create(
        booking=booking,
        provider="google",
        external_id="evt",
        url=LINK,
        status="ready",
        synced_version=1,
    )
    booking_cancel(booking, actor=candidate, actor_role=Actor.CANDIDATE, reason="Got the job.")

    assert panel(booking, "candidate").strip() == ""
    assert "Join the session" not in panel(booking, "staff")


def test_a_link_made_before_the_session_moved_is_not_shown(booking):
    Meeting.objects.create(
        booking=booking, provider="calcom", url=LINK, status="ready", synced_version=1
    )
    booking.__class__.objects.filter(pk=booking.pk).update(version=2)  # moved since

    html = panel(booking, "candidate")

    assert LINK not in html
    assert "updating the meeting link" in html
