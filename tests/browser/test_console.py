"""The operator rescues a session whose interviewer dropped out, in a real browser."""

import datetime
import re
import zoneinfo

import pytest
from django.conf import settings as project_settings
from django.test import Client
from django.utils import timezone

from mockri.bookings.enums import BookingStatus
from mockri.bookings.models import Booking
from mockri.notifications.models import OutboxEmail
from mockri.notifications.services import booking_announce_emails
from mockri.operations.task_queue import task_queue_drain
from tests.factories import InterviewerProfileFactory, InterviewTypeFactory, UserFactory
from tests.fixtures import open_all_week

INDIA = zoneinfo.ZoneInfo("Asia/Kolkata")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def signed_in_with_two_factor(page, live_server, user, two_factor):
    """Staff with an authenticator, signed in (the sign-in form's TOTP step is allauth's own,
    tested there): the session cookie of a signed-in client, given to the browser."""
    two_factor(user)
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [
            {
                "name": project_settings.SESSION_COOKIE_NAME,
                "value": client.cookies[project_settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )


def test_staff_find_a_booking_reassign_it_and_see_the_emails_go(
    live_server, page, two_factor, private_storage, settings
):
    # The queue in the database, as in production: the live server's thread queues there.
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
    ananya = open_all_week(
        InterviewerProfileFactory(user__full_name="Ananya Iyer").user.interviewer_profile,
        "00:00",
        "23:30",
    )
    sarah = open_all_week(
        InterviewerProfileFactory(user__full_name="Sarah Collins").user.interviewer_profile,
        "00:00",
        "23:30",
    )
    design = InterviewTypeFactory(
        name="System Design", slug="system-design", interviewers=[ananya, sarah]
    )
    candidate = UserFactory(email="kavya@example.com", full_name="Kavya Sharma")
    starts_at = (timezone.now() + datetime.timedelta(hours=1)).replace(microsecond=0)
    # Within one day's hours where the interviewers live (00:00 to 23:30 in India), as the
    # console offers only interviewers whose own hours hold the whole session.
    if starts_at.astimezone(INDIA).hour >= 22:
        starts_at += datetime.timedelta(hours=3)
    booking = Booking.objects.create(
        candidate=candidate,
        interviewer=ananya,
        interview_type=design,
        status=BookingStatus.CONFIRMED,
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(hours=1),
        busy_until=starts_at + datetime.timedelta(hours=1),
        price_paise=design.price_paise,
    )
    booking_announce_emails(booking_id=booking.pk)  # as when it was confirmed: Ananya was told
    staff = UserFactory(full_name="Mockri Staff", is_staff=True)
    signed_in_with_two_factor(page, live_server, staff, two_factor)

    page.goto(f"{live_server.url}/console/")
    page.get_by_label("Find a booking, receipt, payment or person").fill(booking.reference)
    page.get_by_role("button", name="Find").click()
    page.wait_for_url(re.compile(rf"/console/bookings/{booking.reference}/$"))

    page.get_by_label("New interviewer").select_option(label="Sarah Collins")
    page.get_by_label("Why (kept in the history)").first.fill("Ananya is ill")
    page.get_by_role("button", name="Reassign").click()
    page.get_by_text(
        "Reassigned: the candidate and both interviewers are being emailed."
    ).wait_for()

    booking.refresh_from_db()
    assert booking.interviewer == sarah
    timeline = page.locator("#timeline")
    assert "Ananya Iyer -> Sarah Collins: Ananya is ill" in timeline.inner_text()

    task_queue_drain(budget_seconds=60)  # the worker: the emails are queued, then sent
    page.reload()

    told = OutboxEmail.objects.get(kind="session_reassigned")
    assert (told.to_address, told.status) == (ananya.user.email, "sent")
    entry = page.locator(f"#email-{told.pk}")
    assert f"Email session reassigned to {ananya.user.email}" in entry.inner_text()
    assert "Sent (1 attempt)" in entry.inner_text()
