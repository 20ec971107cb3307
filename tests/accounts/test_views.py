import re

import pytest
from django.core import mail
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from mockri.notifications.models import OutboxEmail
from tests.factories import UserFactory
from tests.fixtures import emails_sent

pytestmark = pytest.mark.django_db


def test_the_profile_needs_a_signed_in_user(client):
    response = client.get(reverse("accounts:profile"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_the_profile_shows_name_email_timezone_and_links(client, candidate):
    client.force_login(candidate)

    response = client.get(reverse("accounts:profile"))
    page = response.content.decode()

    assert response["Cache-Control"].startswith("max-age=0")
    for text in [
        candidate.full_name,
        candidate.email,
        "Asia/Kolkata",
        reverse("account_change_password"),
        reverse("usersessions_list"),
        reverse("mfa_index"),
        reverse("privacy:my_data"),
        "Verified",
    ]:
        assert text in page, text


def test_the_profile_saves_name_and_timezone(client, candidate):
    client.force_login(candidate)

    response = client.post(
        reverse("accounts:profile"), {"full_name": "  Kavya   S ", "timezone": "Europe/London"}
    )

    assert response.status_code == 302
    candidate.refresh_from_db()
    assert (candidate.full_name, candidate.timezone) == ("Kavya S", "Europe/London")


def test_a_bad_timezone_is_a_form_error_and_changes_nothing(client, candidate):
    client.force_login(candidate)

    response = client.post(
        reverse("accounts:profile"), {"full_name": "Kavya", "timezone": "Mars/Olympus"}
    )

    assert response.status_code == 200
    assert response.context["form"].errors["timezone"]
    candidate.refresh_from_db()
    assert candidate.timezone == "Asia/Kolkata"


def test_a_user_sees_only_their_own_avatar(client, candidate, other_candidate, private_storage):
    other_candidate.avatar.save("a.png", ContentFile(b"\x89PNG\r\n\x1a\nother"))
    other_candidate.avatar_content_type = "image/png"
    other_candidate.save()
    client.force_login(candidate)

    mine = client.get(reverse("accounts:avatar"))
    client.force_login(other_candidate)
    theirs = client.get(reverse("accounts:avatar"))

    assert mine.status_code == 404
    assert theirs.status_code == 200
    assert theirs["Content-Type"] == "image/png"
    assert "no-store" in theirs["Cache-Control"]


def test_changing_the_email_needs_the_new_address_verified(client, candidate):
    client.force_login(candidate)

    with emails_sent():
        response = client.post(
            reverse("account_email"), {"action_add": "", "email": "kavya.new@example.com"}
        )

    assert response.status_code == 302
    candidate.refresh_from_db()
    assert candidate.email == "kavya@example.com"  # still the old one until verified
    assert candidate.emailaddress_set.get(email="kavya.new@example.com").verified is False
    assert mail.outbox[-1].to == ["kavya.new@example.com"]


def test_password_reset_looks_the_same_for_known_and_unknown_addresses(client, candidate):
    with emails_sent():
        known = client.post(reverse("account_reset_password"), {"email": candidate.email})
        unknown = client.post(reverse("account_reset_password"), {"email": "nobody@example.com"})

    assert known.status_code == unknown.status_code == 302
    assert known.url == unknown.url
    assert [message.to for message in mail.outbox] == [[candidate.email], ["nobody@example.com"]]
    assert "within the next hour" in mail.outbox[0].body


def test_a_password_reset_link_expires_after_an_hour(settings):
    assert settings.PASSWORD_RESET_TIMEOUT == 60 * 60


def test_too_many_password_reset_requests_get_429(client, candidate, shared_cache):
    statuses = [
        client.post(reverse("account_reset_password"), {"email": candidate.email}).status_code
        for _ in range(6)
    ]

    assert statuses == [302] * 5 + [429]


def test_a_password_change_is_confirmed_by_a_branded_email(client, candidate):
    client.force_login(candidate)

    with emails_sent():
        client.post(
            reverse("account_change_password"),
            {
                "oldpassword": "correct horse battery staple",
                "password1": "a brand new passphrase",
                "password2": "a brand new passphrase",
            },
        )

    (notice,) = mail.outbox
    assert notice.subject == "Mockri: Your password was changed"
    assert notice.body.startswith(f"Hi {candidate.full_name},")
    assert "If you didn't make this change" in notice.body
    html, mimetype = notice.alternatives[0]
    assert mimetype == "text/html"
    assert "hello@mockri.com" in html


@pytest.fixture
def bounced(now):
    return UserFactory(email="bounced@example.com", email_bounced_at=timezone.now())


def address_check_link(client, person) -> str:
    client.force_login(person)
    client.post(reverse("accounts:address_check_send"))
    email = OutboxEmail.objects.get(kind="address_check")
    assert email.to_address == "bounced@example.com"  # sent despite the bounce
    return re.search(r"/account/email/check/[^/\s]+/", email.text_body).group(0)


def test_a_bounced_address_is_emailed_a_link_that_makes_it_deliverable_again(client, bounced):
    link = address_check_link(client, bounced)

    page = client.get(link)
    response = client.post(link)

    bounced.refresh_from_db()
    assert b"Yes, email me again" in page.content
    assert response.status_code == 302
    assert bounced.email_bounced_at is None


def test_the_link_only_works_for_its_owner_and_address(client, bounced):
    link = address_check_link(client, bounced)
    other = UserFactory(email="other@example.com", email_bounced_at=bounced.email_bounced_at)
    client.force_login(other)

    assert client.post(link).status_code == 404
    other.refresh_from_db()
    assert other.email_bounced_at is not None

    bounced.email = "new@example.com"
    bounced.save()
    client.force_login(bounced)
    assert client.post(link).status_code == 404  # the link proved the old address only


def test_the_bounce_banner_offers_the_test_link(client, bounced):
    client.force_login(bounced)

    assert b"Send a test link to bounced@example.com" in client.get("/").content


@pytest.mark.parametrize(
    "url",
    [
        "/accounts/google/login/",
        "/accounts/google/login/callback/",
        "/accounts/google/login/token/",
    ],
)
def test_google_sign_in_is_not_found_while_google_is_not_set_up(client, settings, url):
    settings.SOCIALACCOUNT_PROVIDERS = {
        "google": {**settings.SOCIALACCOUNT_PROVIDERS["google"], "APPS": []}
    }

    assert (client.get(url).status_code, client.post(url).status_code) == (404, 404)
