"""allauth's pages a new user meets speak in Mockri's headings and tone, not the library's."""

import pytest
from allauth.account.models import EmailAddress, EmailConfirmationHMAC
from django.urls import reverse

from tests.accounts.test_signup import sign_up
from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db


def test_after_sign_up_the_page_says_to_check_the_inbox(client):
    response = sign_up(client)
    page = client.get(response.url).content.decode()

    assert "<h1>Check your inbox</h1>" in page
    assert "Verify Your Email Address" not in page


def test_the_confirmation_link_asks_to_confirm_the_address_in_our_words(client, candidate):
    EmailAddress.objects.filter(user=candidate).update(verified=False)
    address = EmailAddress.objects.get(user=candidate)
    key = EmailConfirmationHMAC(address).key

    page = client.get(reverse("account_confirm_email", args=[key])).content.decode()

    assert "<h1>Confirm your email address</h1>" in page
    assert f"Is <strong>{candidate.email}</strong> yours?" in page
    assert "Yes, confirm my address" in page


def test_a_spoilt_confirmation_link_says_what_to_do_next(client):
    page = client.get(reverse("account_confirm_email", args=["not-a-key"])).content.decode()

    assert "This link has expired or was already used." in page
    assert reverse("account_email") in page


def test_setting_up_two_step_sign_in_explains_each_step(client, staff):
    client.force_login(staff)
    # allauth asks for the password again before two-step sign-in is turned on.
    client.post(reverse("account_reauthenticate"), {"password": TEST_PASSWORD})

    page = client.get(reverse("mfa_activate_totp")).content.decode()

    assert "<h1>Set up two-step sign-in</h1>" in page
    assert 'src="data:image/svg+xml;base64,' in page
    assert "Turn on two-step sign-in" in page
    assert "Activate Authenticator App" not in page
