"""A newcomer follows the invitation, sets up two-factor authentication, completes onboarding
and goes live, in a real browser. (Payout details join the path with the earnings app.)"""

import re

import pytest
from allauth.mfa.totp.internal.auth import (
    format_hotp_value,
    hotp_value,
    yield_hotp_counters_from_time,
)
from django.urls import reverse
from django.utils import timezone

from mockri.catalogue.models import InterviewerProfile
from mockri.interviewers.services import ApplicationDetails, application_accept, application_submit
from tests.factories import InterviewTypeFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "a long new passphrase 42"


def test_an_invited_interviewer_sets_up_two_factor_onboards_and_goes_live(
    live_server, page, monkeypatch
):
    design = InterviewTypeFactory(name="System Design", slug="system-design")
    application = application_submit(
        details=ApplicationDetails(
            full_name="Meera Krishnan",
            email="meera@example.com",
            current_company="Swiggy",
            current_role="Senior Software Engineer",
            years_experience=7,
            companies_interviewed_for=["Swiggy"],
            interview_types=[design],
            languages=["English", "Tamil"],
            profile_url="https://www.linkedin.com/in/meera",
            motivation="I have run 150 backend interviews.",
        ),
        ip_address=None,
        now=timezone.now(),
    )
    monkeypatch.setattr("mockri.interviewers.services.token_new", lambda: "browser-invitation")
    application_accept(
        application=application,
        reason="Welcome.",
        staff=UserFactory(is_staff=True),
        now=timezone.now(),
    )

    # The emailed link: choose a password, then two-factor, then onboarding to going live.
    page.goto(live_server.url + reverse("interviewers:invitation", args=["browser-invitation"]))
    invitation_followed_with_two_factor(page, password=PASSWORD)
    assert "Still to do: Your profile, Weekly hours, Payout details." in page.content()
    onboarding_completed(
        page,
        live_server,
        about="Backend engineer for 7 years; 150 interviews run.",
        weekday="Monday",
        upi_id="meera@okaxis",
        holder="Meera Krishnan",
    )
    assert "You're live" in page.content()

    profile = InterviewerProfile.objects.get(user__email="meera@example.com")
    assert profile.is_listed and profile.went_live_at is not None
    page.goto(live_server.url + reverse("bookings:directory"))
    assert "Meera Krishnan" in page.content()


def invitation_followed_with_two_factor(page, *, password: str) -> str:
    """On the invitation's page: choose a password, set up the authenticator (allauth asks for
    the password again first), pass the recovery codes; lands on onboarding. Returns the
    authenticator's secret, for signing in again later."""
    page.get_by_label("Choose a password").fill(password)
    page.get_by_label("The password again").fill(password)
    page.get_by_role("button", name="Create my interviewer account").click()

    page.wait_for_url(re.compile(r"/accounts/reauthenticate/"))
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_url(re.compile(r"/2fa/totp/activate/"))
    secret = page.locator("#authenticator_secret").input_value()
    page.get_by_label("Authenticator code").fill(authenticator_code(secret))
    page.get_by_role("button", name="Turn on two-step sign-in").click()

    page.wait_for_url(re.compile(r"/2fa/recovery-codes/"))
    page.get_by_test_id("continue-after-two-factor").click()
    page.wait_for_url(re.compile(r"/interviewer/onboarding/$"))
    return secret


def authenticator_code(secret: str) -> str:
    """What the authenticator app shows now (the clock the server sees, travelled or not)."""
    return format_hotp_value(hotp_value(secret, next(yield_hotp_counters_from_time())))


def onboarding_completed(
    page, live_server, *, about: str, weekday: str, upi_id: str, holder: str
) -> None:
    """From onboarding: the profile (started from the application), 18:00-21:00 on `weekday`,
    a UPI id, then "Go live"; lands on the dashboard."""
    page.locator('[data-step="profile"] a').click()
    page.get_by_label("About you").fill(about)
    page.get_by_label("Seniority").select_option("senior")
    page.get_by_role("button", name="Save profile").click()
    page.wait_for_url(re.compile(r"/interviewer/onboarding/$"))

    # Weekly hours, in the scheduling app's editor.
    page.locator('[data-step="hours"] a').click()
    page.get_by_label("Day", exact=True).select_option(label=weekday)
    page.get_by_label("From").first.fill("18:00")
    page.get_by_label("To").first.fill("21:00")
    page.get_by_role("button", name="Add hours").click()
    page.get_by_text("18:00").first.wait_for()

    # Where the earnings go: a UPI id (the earnings app's step).
    page.goto(live_server.url + reverse("interviewers:onboarding"))
    page.locator('[data-step="payout_details"] a').click()
    page.get_by_label("UPI", exact=True).check()
    page.get_by_label("Account holder's name").fill(holder)
    page.get_by_label("UPI id").fill(upi_id)
    page.get_by_role("button", name="Save payout details").click()
    page.get_by_text("Your payout details are saved.").wait_for()

    page.goto(live_server.url + reverse("interviewers:onboarding"))
    page.get_by_role("button", name="Go live").click()
    page.wait_for_url(re.compile(r"/interviewer/$"))
