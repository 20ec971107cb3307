"""Google sign-in end to end, with only Google's HTTP endpoints faked (documented shapes)."""

import time
from urllib.parse import parse_qs, urlsplit

import jwt
import pytest
import responses
from django.core import mail
from django.urls import reverse

from mockri.accounts.models import Consent, ConsentSource, User
from tests.factories import UserFactory
from tests.fixtures import emails_sent

pytestmark = pytest.mark.django_db

CLIENT_ID = "123-mockri.apps.googleusercontent.com"
TOKEN_URL = "https://oauth2.googleapis.com/token"
PICTURE = "https://lh3.googleusercontent.com/a/ACg8ocKavya=s96-c"


@pytest.fixture(autouse=True)
def google_configured(settings):
    settings.SOCIALACCOUNT_PROVIDERS = {
        "google": {
            **settings.SOCIALACCOUNT_PROVIDERS["google"],
            "APPS": [{"client_id": CLIENT_ID, "secret": "test-secret", "key": ""}],
        }
    }


def id_token(**claims) -> str:
    now = int(time.time())
    payload = {
        "iss": "https://accounts.google.com",
        "azp": CLIENT_ID,
        "aud": CLIENT_ID,
        "sub": "108204268033311374519",
        "email": "kavya.sharma@gmail.com",
        "email_verified": True,
        "at_hash": "HK6E_P6Dh8Y93mRNtsDB1Q",
        "name": "Kavya Sharma",
        "picture": PICTURE,
        "given_name": "Kavya",
        "family_name": "Sharma",
        "locale": "en",
        "iat": now,
        "exp": now + 3600,
        **claims,
    }
    # Signed with a throw-away key: allauth may skip the signature of a token it fetched itself
    # over TLS, but it still checks issuer, audience and expiry.
    return jwt.encode(payload, "a-throw-away-key-for-test-id-tokens", algorithm="HS256")


def start_google_sign_in(client) -> dict:
    response = client.post(reverse("google_login"))
    assert response.status_code == 302
    redirect = urlsplit(response.url)
    assert redirect.netloc == "accounts.google.com"
    return {key: values[0] for key, values in parse_qs(redirect.query).items()}


def finish_google_sign_in(client, state: str, **claims):
    with responses.RequestsMock(assert_all_requests_are_fired=False) as google:
        google.post(
            TOKEN_URL,
            json={
                "access_token": "ya29.test-access-token",
                "expires_in": 3599,
                "scope": "openid https://www.googleapis.com/auth/userinfo.email "
                "https://www.googleapis.com/auth/userinfo.profile",
                "token_type": "Bearer",
                "id_token": id_token(**claims),
            },
        )
        return client.get(reverse("google_callback"), {"code": "4/0Adeu5BW-test", "state": state})


def test_google_sign_in_uses_pkce_and_asks_only_for_name_email_and_image(client):
    query = start_google_sign_in(client)

    assert query["client_id"] == CLIENT_ID
    assert query["code_challenge_method"] == "S256"
    assert query["code_challenge"]
    assert set(query["scope"].split()) == {"openid", "profile", "email"}


def test_a_new_google_user_accepts_the_policy_before_the_account_exists(client, task_queue):
    query = start_google_sign_in(client)
    callback = finish_google_sign_in(client, query["state"])

    assert callback.status_code == 302
    assert callback.url == reverse("socialaccount_signup")
    assert not User.objects.exists()
    form_page = client.get(callback.url)
    assert form_page.context["form"]["full_name"].value() == "Kavya Sharma"

    response = client.post(
        callback.url,
        {
            "full_name": "Kavya Sharma",
            "email": "kavya.sharma@gmail.com",
            "is_adult": "on",
            "accepts_privacy_policy": "on",
            "timezone": "Asia/Kolkata",
        },
    )

    assert response.status_code == 302
    user = User.objects.get()
    assert (user.email, user.full_name, user.avatar_url) == (
        "kavya.sharma@gmail.com",
        "Kavya Sharma",
        PICTURE,
    )
    assert not user.has_usable_password()
    assert list(Consent.objects.values_list("user", "source")) == [(user.pk, ConsentSource.GOOGLE)]
    assert user.emailaddress_set.get().verified  # Google said email_verified
    assert task_queue.names() == ["user_avatar_fetch_task"]
    assert client.session["_auth_user_id"] == str(user.pk)


def test_a_google_user_who_is_not_18_is_refused_and_nothing_is_stored(client):
    query = start_google_sign_in(client)
    callback = finish_google_sign_in(client, query["state"])

    response = client.post(
        callback.url,
        {"full_name": "Kavya", "email": "kavya.sharma@gmail.com", "accepts_privacy_policy": "on"},
    )

    assert response.status_code == 200
    assert "only for people aged 18 or over" in response.content.decode()
    assert not User.objects.exists()
    assert not Consent.objects.exists()


def test_google_does_not_silently_sign_into_an_existing_password_account(client):
    owner = UserFactory(email="kavya.sharma@gmail.com", full_name="Kavya Sharma")
    query = start_google_sign_in(client)

    callback = finish_google_sign_in(client, query["state"])
    with emails_sent():
        attempt = client.post(
            reverse("socialaccount_signup"),
            {
                "full_name": "Kavya Sharma",
                "email": "kavya.sharma@gmail.com",
                "is_adult": "on",
                "accepts_privacy_policy": "on",
            },
        )

    assert callback.url == reverse("socialaccount_signup")
    assert attempt.status_code == 302
    assert attempt.url == reverse("account_email_verification_sent")
    assert "_auth_user_id" not in client.session
    assert not owner.socialaccount_set.exists()
    assert User.objects.count() == 1
    (notice,) = mail.outbox
    assert notice.to == ["kavya.sharma@gmail.com"]
    assert "connect Google" in notice.body


def test_a_callback_with_a_forged_state_is_rejected(client):
    start_google_sign_in(client)

    response = finish_google_sign_in(client, "forged-state")

    assert response.status_code == 401
    assert "_auth_user_id" not in client.session
    assert not User.objects.exists()


def test_an_id_token_for_another_app_is_rejected(client):
    query = start_google_sign_in(client)

    finish_google_sign_in(client, query["state"], aud="someone-else.apps.googleusercontent.com")

    assert "_auth_user_id" not in client.session
    assert not User.objects.exists()


def test_a_returning_google_user_signs_in_and_is_told_by_email(client, task_queue):
    query = start_google_sign_in(client)
    callback = finish_google_sign_in(client, query["state"])
    client.post(
        callback.url,
        {
            "full_name": "Kavya Sharma",
            "email": "kavya.sharma@gmail.com",
            "is_adult": "on",
            "accepts_privacy_policy": "on",
        },
    )
    client.post(reverse("account_logout"))
    task_queue.backend.clear()

    query = start_google_sign_in(client)
    response = finish_google_sign_in(client, query["state"], picture=PICTURE + "-new")
    with emails_sent():
        task_queue.run_all_except("user_avatar_fetch_task")

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(User.objects.get().pk)
    assert User.objects.get().avatar_url == PICTURE + "-new"
    (notice,) = mail.outbox
    assert notice.subject == "New sign-in to your Mockri account with Google"
    assert notice.alternatives[0][1] == "text/html"


def test_the_google_button_is_hidden_when_google_is_not_configured(client, settings):
    settings.SOCIALACCOUNT_PROVIDERS = {
        "google": {**settings.SOCIALACCOUNT_PROVIDERS["google"], "APPS": []}
    }

    page = client.get(reverse("account_login")).content.decode()

    assert "Google" not in page


def test_the_google_button_is_shown_when_google_is_configured(client):
    page = client.get(reverse("account_login")).content.decode()

    assert "Continue with Google" in page


def test_a_signed_in_user_who_connects_google_gets_its_image(client, candidate, task_queue):
    client.force_login(candidate)
    response = client.post(reverse("google_login"), {"process": "connect"})
    state = parse_qs(urlsplit(response.url).query)["state"][0]

    finish_google_sign_in(client, state, email=candidate.email)

    candidate.refresh_from_db()
    assert candidate.socialaccount_set.get().provider == "google"
    assert candidate.avatar_url == PICTURE
    assert "user_avatar_fetch_task" in task_queue.names()
