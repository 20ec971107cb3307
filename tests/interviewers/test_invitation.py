import datetime

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import (
    SECRET_SESSION_KEY,
    format_hotp_value,
    hotp_value,
    yield_hotp_counters_from_time,
)
from django.urls import reverse

from mockri.accounts.models import Consent, User
from mockri.catalogue.models import InterviewerProfile
from mockri.catalogue.selectors import interviewers_listed
from mockri.interviewers.services import application_accept
from mockri.lib.tokens import token_digest
from tests.factories import CompanyFactory, UserFactory
from tests.fixtures import NOW

pytestmark = pytest.mark.django_db
PASSWORD = {"password1": "a long new passphrase 42", "password2": "a long new passphrase 42"}


@pytest.fixture
def invite(pending, staff, monkeypatch):
    """Accept the pending application; returns the link's path (the token is in the email)."""
    tokens = iter(["invitation-token-1"])
    monkeypatch.setattr("mockri.interviewers.services.token_new", lambda: next(tokens))
    application_accept(application=pending, reason="Welcome.", staff=staff, now=NOW)
    return reverse("interviewers:invitation", args=["invitation-token-1"])


def test_following_the_link_creates_an_unlisted_interviewer_who_must_set_up_two_factor(
    client, invite, pending, system_design
):
    CompanyFactory(name="Swiggy", aliases="Swiggy India")  # curated by staff
    response = client.post(invite, PASSWORD)

    assert (response.status_code, response["Location"]) == (
        302,
        reverse("interviewers:onboarding"),
    )
    user = User.objects.get(email="meera@example.com")
    assert (user.full_name, user.is_interviewer, user.check_password(PASSWORD["password1"])) == (
        "Meera Krishnan",
        True,
        True,
    )
    assert EmailAddress.objects.get(user=user).verified
    consent = Consent.objects.get(user=user)
    assert (consent.source, consent.accepted_at, consent.ip_address) == (
        "application",
        NOW,
        "203.0.113.9",
    )
    profile = InterviewerProfile.objects.get(user=user)
    assert (profile.display_name, profile.headline, profile.years_experience) == (
        "Meera Krishnan",
        "Senior Software Engineer, Swiggy",
        7,
    )
    assert [language.name for language in profile.languages.all()] == ["English", "Tamil"]
    assert [company.name for company in profile.companies.all()] == ["Swiggy"]
    assert list(profile.interview_types.all()) == [system_design]
    assert profile.is_listed is False
    assert not interviewers_listed().filter(pk=profile.pk).exists()
    # Signed in, and the interviewer area first asks for two-factor authentication.
    onboarding = client.get(reverse("interviewers:onboarding"))
    assert (onboarding.status_code, onboarding["Location"]) == (302, reverse("mfa_activate_totp"))


def test_with_two_factor_the_new_interviewer_lands_on_onboarding(client, invite, two_factor):
    client.post(invite, PASSWORD)
    two_factor(User.objects.get(email="meera@example.com"))

    response = client.get(reverse("interviewers:onboarding"))

    assert response.status_code == 200
    assert "Get started as an interviewer" in response.content.decode()


def test_after_two_factor_setup_the_recovery_codes_page_leads_on_to_onboarding(client, invite):
    client.post(invite, PASSWORD)
    client.get(reverse("interviewers:onboarding"))  # sent to set up two-factor first
    # allauth asks for the password again before a second factor is added
    client.post(
        f"{reverse('account_reauthenticate')}?next={reverse('mfa_activate_totp')}",
        {"password": PASSWORD["password1"]},
    )
    client.get(reverse("mfa_activate_totp"))
    secret = client.session[SECRET_SESSION_KEY]
    code = format_hotp_value(hotp_value(secret, next(yield_hotp_counters_from_time())))

    activated = client.post(reverse("mfa_activate_totp"), {"code": code})
    codes = client.get(activated["Location"]).content.decode()

    assert activated["Location"] == reverse("mfa_view_recovery_codes")
    assert f'href="{reverse("interviewers:onboarding")}" data-testid="continue' in codes
    assert client.get(reverse("interviewers:onboarding")).status_code == 200


def test_the_link_works_once(client, invite):
    client.post(invite, PASSWORD)
    client.logout()

    response = client.get(invite)

    assert response.status_code == 410
    assert "already been used or has expired" in response.content.decode()
    assert User.objects.filter(email="meera@example.com").count() == 1


def test_the_link_expires(client, invite, settings, time_machine):
    time_machine.move_to(NOW + datetime.timedelta(days=settings.INTERVIEWER_INVITATION_DAYS))

    assert client.get(invite).status_code == 410
    assert client.post(invite, PASSWORD).status_code == 410
    assert not User.objects.filter(email="meera@example.com").exists()


def test_an_unknown_link_is_404(client, db):
    assert client.get(reverse("interviewers:invitation", args=["nope"])).status_code == 404


def test_mismatched_passwords_make_no_account(client, invite):
    response = client.post(invite, {**PASSWORD, "password2": "something else entirely"})

    assert response.status_code == 422
    assert "The two passwords differ." in response.content.decode()
    assert not User.objects.filter(email="meera@example.com").exists()


def test_an_existing_account_with_the_address_signs_in_and_is_upgraded(client, invite, now):
    existing = UserFactory(email="meera@example.com", full_name="Meera K")

    page = client.get(invite)
    assert "already have a Mockri account" in page.content.decode()
    assert client.post(invite, PASSWORD).status_code == 200  # not signed in: nothing happens
    client.force_login(existing)
    response = client.post(invite)

    assert response["Location"] == reverse("interviewers:onboarding")
    existing.refresh_from_db()
    assert existing.is_interviewer is True
    assert existing.full_name == "Meera K"  # their account, as they keep it
    assert InterviewerProfile.objects.get(user=existing).is_listed is False
    assert User.objects.filter(email="meera@example.com").count() == 1


def test_someone_signed_in_with_another_account_cannot_use_the_link(client, invite, candidate):
    client.force_login(candidate)

    response = client.post(invite, PASSWORD)

    assert response.status_code == 403
    candidate.refresh_from_db()
    assert candidate.is_interviewer is False
    assert not User.objects.filter(email="meera@example.com").exists()


def test_only_the_digest_of_the_token_is_stored(invite, pending):
    invitation = pending.invitations.get()

    assert invitation.token_sha256 == token_digest("invitation-token-1")


def test_onboarding_is_404_for_candidates(client, candidate):
    client.force_login(candidate)

    assert client.get(reverse("interviewers:onboarding")).status_code == 404
