"""The fallback chain in production: a provider that fails for good hands the session to the
other configured provider the privacy policy names (Google Meet <-> Cal.com), then leaves it
without a link and alerts staff; never a room on meet.jit.si unless Jitsi is allowed outside the
policy. Only the network is faked."""

import pytest
import responses
from django.core import mail
from django.template.loader import render_to_string

from mockri.meetings.enums import MeetingStatus
from mockri.meetings.models import Meeting
from mockri.meetings.providers import fallback_providers, get_provider
from mockri.meetings.providers.base import ProviderError
from mockri.meetings.selectors import meeting_current_link_for
from mockri.meetings.services import (
    NO_LINK_BEFORE_START,
    meeting_check_before_start,
    meeting_fall_back,
)
from mockri.meetings.tasks import meeting_create_task
from mockri.notifications.models import OutboxEmail
from mockri.notifications.services import booking_announce_emails
from tests.fixtures import send_queued_emails
from tests.meetings.test_calcom import API, START, UID, booking_output, error, listed
from tests.meetings.test_google import EVENTS_URL, MEET, TOKEN_URL, event, token_ok

GOOGLE_REVOKED = "Google sign-in answered 400: invalid_grant"
CALCOM_REFUSED = "Cal.com answered 400: User either already has booking at this time"


@pytest.fixture
def production(settings, google, calcom):
    """Both listed providers configured, Jitsi not allowed (DEBUG=False's default)."""
    settings.MEETING_JITSI_OUTSIDE_PRIVACY_POLICY = False


@pytest.fixture
def mock():
    with responses.RequestsMock() as requests_mock:
        yield requests_mock


def google_revoked(mock) -> None:
    mock.post(TOKEN_URL, status=400, json={"error": "invalid_grant"})


def calcom_refuses(mock) -> None:
    mock.get(f"{API}/bookings", json=listed())
    mock.post(
        f"{API}/bookings",
        status=400,
        json=error(400, "User either already has booking at this time"),
    )


def test_the_chain_is_the_other_listed_provider_and_jitsi_only_where_allowed(settings, production):
    assert fallback_providers("google") == ["calcom"]
    assert fallback_providers("calcom") == ["google"]

    settings.MEETING_JITSI_OUTSIDE_PRIVACY_POLICY = True
    assert fallback_providers("google") == ["calcom", "jitsi"]

    settings.CALCOM_API_KEY = ""  # Cal.com not configured
    assert fallback_providers("google") == ["jitsi"]


def test_jitsi_is_refused_where_it_is_not_allowed(settings):
    settings.MEETING_JITSI_OUTSIDE_PRIVACY_POLICY = False

    with pytest.raises(ProviderError) as refused:
        get_provider("jitsi")

    assert refused.value.permanent is True
    assert "outside the privacy policy" in refused.value.message


def test_google_failing_for_good_falls_back_to_cal_com(
    settings, production, booking, mock, task_queue
):
    settings.MEETING_PROVIDER = "google"
    google_revoked(mock)
    mock.get(f"{API}/bookings", json=listed())
    mock.post(f"{API}/bookings", status=201, json=booking_output(UID, start=START))

    meeting_create_task.call(booking_id=booking.pk)

    meeting = Meeting.objects.get(booking=booking)
    assert (meeting.status, meeting.provider, meeting.external_id, meeting.url) == (
        MeetingStatus.FAILED_OVER,
        "calcom",
        UID,
        f"https://app.cal.com/video/{UID}",
    )
    assert meeting.last_error == GOOGLE_REVOKED
    assert meeting_current_link_for(booking) == f"https://app.cal.com/video/{UID}"
    assert task_queue.names() == ["meeting_ready_emails_task"]


def test_cal_com_failing_for_good_falls_back_to_google(
    settings, production, booking, mock, task_queue
):
    settings.MEETING_PROVIDER = "calcom"
    calcom_refuses(mock)
    token_ok(mock)
    mock.post(EVENTS_URL, json=event("evt1"))

    meeting_create_task.call(booking_id=booking.pk)

    meeting = Meeting.objects.get(booking=booking)
    assert (meeting.status, meeting.provider, meeting.url) == (
        MeetingStatus.FAILED_OVER,
        "google",
        MEET,
    )
    assert meeting.last_error == CALCOM_REFUSED
    assert task_queue.names() == ["meeting_ready_emails_task"]


def test_both_failing_leave_no_link_and_alert_staff_by_email(
    settings, production, booking, candidate, staff, mock, task_queue
):
    settings.MEETING_PROVIDER = "google"
    google_revoked(mock)
    calcom_refuses(mock)

    meeting_create_task.call(booking_id=booking.pk)

    meeting = Meeting.objects.get(booking=booking)
    assert (meeting.status, meeting.provider, meeting.external_id, meeting.url) == (
        MeetingStatus.NO_LINK,
        "google",
        "",
        "",
    )
    assert meeting.last_error == f"{GOOGLE_REVOKED} Fallback calcom failed: {CALCOM_REFUSED}"
    assert meeting_current_link_for(booking) == ""
    assert task_queue.names() == ["meeting_no_link_emails_task"]

    task_queue.run_all()
    send_queued_emails()

    (alert,) = mail.outbox
    assert alert.to == [staff.email]
    assert alert.subject == f"Mockri: No meeting link for session {booking.reference} on Wed 2 Dec"
    assert f"Why: {meeting.last_error}" in alert.body
    assert f"/console/bookings/{booking.reference}/#meeting" in alert.body
    assert OutboxEmail.objects.get(kind="meeting_no_link").booking == booking


def test_a_session_without_a_link_tells_both_people_the_link_will_follow(
    settings, production, booking, candidate, mock, task_queue
):
    settings.MEETING_PROVIDER = "google"
    google_revoked(mock)
    calcom_refuses(mock)
    meeting_create_task.call(booking_id=booking.pk)

    booking_announce_emails(booking_id=booking.pk)

    confirmation = OutboxEmail.objects.get(kind="booking_confirmed", recipient=candidate)
    assert "we'll email it to you as soon as it's ready" in confirmation.text_body
    assert "jit.si" not in confirmation.text_body


def test_staff_see_on_the_booking_that_it_has_no_link(settings, production, booking, mock):
    settings.MEETING_PROVIDER = "google"
    google_revoked(mock)
    calcom_refuses(mock)
    meeting_create_task.call(booking_id=booking.pk)
    booking.refresh_from_db()

    staff_panel = render_to_string(
        "meetings/includes/meeting_panel.html", {"booking": booking, "role": "staff"}
    )
    candidate_panel = render_to_string(
        "meetings/includes/meeting_panel.html", {"booking": booking, "role": "candidate"}
    )

    assert "No link (staff alerted)" in staff_panel
    assert "No provider could make a link; staff were emailed." in staff_panel
    assert GOOGLE_REVOKED in staff_panel
    assert "We're setting up your meeting link." in candidate_panel
    assert "staff" not in candidate_panel


def test_with_only_one_provider_configured_a_failure_leaves_no_link_never_jitsi(
    settings, production, booking, mock, task_queue
):
    settings.MEETING_PROVIDER = "google"
    settings.CALCOM_API_KEY = ""
    google_revoked(mock)

    meeting_create_task.call(booking_id=booking.pk)
    fallen = meeting_check_before_start(booking_id=booking.pk)

    assert (fallen.status, fallen.url) == (MeetingStatus.NO_LINK, "")
    assert fallen.last_error.startswith(NO_LINK_BEFORE_START)
    assert not Meeting.objects.filter(url__contains="jit.si").exists()


def test_a_session_without_a_link_gets_one_before_the_start_once_a_provider_recovers(
    settings, production, booking, mock, task_queue
):
    settings.MEETING_PROVIDER = "google"
    google_revoked(mock)
    calcom_refuses(mock)
    meeting_create_task.call(booking_id=booking.pk)
    task_queue.backend.clear()
    mock.replace(
        responses.POST, f"{API}/bookings", status=201, json=booking_output(UID, start=START)
    )

    meeting = meeting_check_before_start(booking_id=booking.pk)

    assert (meeting.status, meeting.provider, meeting.url) == (
        MeetingStatus.FAILED_OVER,
        "calcom",
        f"https://app.cal.com/video/{UID}",
    )
    assert task_queue.names() == ["meeting_ready_emails_task"]


def test_a_fallback_is_not_made_twice(settings, production, booking, mock):
    settings.MEETING_PROVIDER = "google"
    google_revoked(mock)
    mock.get(f"{API}/bookings", json=listed())
    mock.post(f"{API}/bookings", status=201, json=booking_output(UID, start=START))
    meeting_create_task.call(booking_id=booking.pk)
    calls = len(mock.calls)

    again = meeting_fall_back(booking_id=booking.pk, reason="Replaced by staff.")

    assert len(mock.calls) == calls
    assert (again.provider, again.external_id) == ("calcom", UID)
