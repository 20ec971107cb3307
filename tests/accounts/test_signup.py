import re
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.urls import reverse
from django.utils.html import escape

from mockri.accounts.forms import UNDER_18_MESSAGE
from mockri.accounts.models import Consent, ConsentSource, User
from tests.factories import UserFactory
from tests.fixtures import emails_sent

pytestmark = pytest.mark.django_db

SIGNUP = {
    "full_name": "Kavya  Sharma",
    "email": "Kavya@Example.com",
    "password1": "a long and private passphrase",
    "is_adult": "on",
    "accepts_privacy_policy": "on",
    "timezone": "Europe/London",
}


def confirm_email_from_outbox(client):
    """Open the link of the latest verification email and confirm, as the person would."""
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+", mail.outbox[-1].body).group(0)
    opened = client.get(urlsplit(link).path, follow=True)
    assert opened.status_code == 200
    return client.post(opened.request["PATH_INFO"])


def sign_up(client, **changes):
    data = {**SIGNUP, **changes}
    with emails_sent():
        return client.post(
            reverse("account_signup"), {k: v for k, v in data.items() if v is not None}
        )


def test_sign_up_asks_only_for_name_email_password_and_the_two_checkboxes(client):
    form = client.get(reverse("account_signup")).context["form"]

    assert list(form.fields) == [
        "full_name",
        "email",
        "password1",
        "is_adult",
        "accepts_privacy_policy",
        "timezone",
    ]
    assert not form.fields["is_adult"].initial
    assert not form.fields["accepts_privacy_policy"].initial


def test_sign_up_creates_the_account_with_a_bcrypt_hash_and_records_consent(
    client, settings, real_hashers
):
    settings.PRIVACY_POLICY_VERSION = "2026-05-16"

    response = sign_up(client)

    assert response.status_code == 302
    user = User.objects.get()
    assert (user.email, user.full_name, user.timezone) == (
        "kavya@example.com",
        "Kavya Sharma",
        "Europe/London",
    )
    assert user.password.startswith("bcrypt_sha256$")
    assert list(Consent.objects.values_list("user", "policy_version", "source", "ip_address")) == [
        (user.pk, "2026-05-16", ConsentSource.SIGNUP_FORM, "127.0.0.1")
    ]


def test_a_new_account_signs_in_only_after_confirming_its_email(client):
    signed_up = sign_up(client)
    before = client.session.get("_auth_user_id")

    confirmed = confirm_email_from_outbox(client)

    assert signed_up.url == reverse("account_email_verification_sent")
    assert before is None
    assert confirmed.status_code == 302
    assert client.session["_auth_user_id"] == str(User.objects.get().pk)
    assert User.objects.get().emailaddress_set.get().verified


def test_sign_up_sends_a_verification_email_with_text_and_html(client):
    sign_up(client)

    (message,) = mail.outbox
    assert message.to == ["kavya@example.com"]
    assert message.subject == "Mockri: Welcome! Confirm your email address"
    assert "/accounts/confirm-email/" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert "/accounts/confirm-email/" in html


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"is_adult": None}, UNDER_18_MESSAGE),
        ({"accepts_privacy_policy": None}, "Please read and accept the Privacy Policy"),
    ],
)
def test_sign_up_without_a_required_checkbox_is_refused_and_stores_nothing(
    client, changes, message
):
    response = sign_up(client, **changes)

    assert response.status_code == 200
    assert escape(message) in response.content.decode()
    assert not User.objects.exists()
    assert not Consent.objects.exists()
    assert mail.outbox == []


def test_a_browsers_old_zone_name_is_stored_under_its_canonical_name(client):
    sign_up(client, timezone="Asia/Calcutta")

    assert User.objects.get().timezone == "Asia/Kolkata"


def test_an_unknown_browser_timezone_falls_back_to_india(client):
    sign_up(client, timezone="Not/AZone")

    assert User.objects.get().timezone == "Asia/Kolkata"


@pytest.mark.parametrize(
    "password",
    ["short-pw1", "password1234", "kavyasharma1"],
    ids=["nine characters", "common", "like the name"],
)
def test_weak_passwords_are_refused(client, password):
    response = sign_up(client, password1=password, email="kavyasharma1@example.com")

    assert response.status_code == 200
    assert not User.objects.exists()


@pytest.mark.parametrize(
    "password",
    ["x" * 100, "é" * 40, "नमस्ते दुनिया यह एक लंबा पासवर्ड है"],
    ids=["100 characters", "80 bytes", "devanagari"],
)
def test_long_and_non_ascii_passwords_sign_up_and_sign_in(client, real_hashers, password):
    sign_up(client, password1=password)
    confirm_email_from_outbox(client)
    client.logout()

    response = client.post(
        reverse("account_login"), {"login": "kavya@example.com", "password": password}
    )

    assert response.status_code == 302
    assert client.session.get("_auth_user_id") == str(User.objects.get().pk)


def test_signing_up_with_an_existing_email_looks_the_same_as_a_new_one(client):
    UserFactory(email="kavya@example.com", full_name="Kavya Sharma")

    again = sign_up(client, full_name="Someone Else")
    fresh = sign_up(client, email="new.person@example.com")

    assert again.status_code == fresh.status_code == 302
    assert again.url == fresh.url
    assert User.objects.filter(email="kavya@example.com").get().full_name == "Kavya Sharma"
    assert [message.to for message in mail.outbox] == [
        ["kavya@example.com"],
        ["new.person@example.com"],
    ]
