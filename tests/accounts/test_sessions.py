import datetime

import pytest
import time_machine
from django.conf import settings as project_settings
from django.test import Client
from django.urls import reverse

from mockri.accounts.adapters import login_lockout_wait
from tests.accounts.test_signup import confirm_email_from_outbox
from tests.factories import TEST_PASSWORD
from tests.fixtures import emails_sent

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 11, 26, 9, 0, tzinfo=datetime.UTC)


def log_in(client, user, password=TEST_PASSWORD):
    return client.post(reverse("account_login"), {"login": user.email, "password": password})


def is_signed_in(client) -> bool:
    return client.get(reverse("accounts:profile")).status_code == 200


def test_signing_in_rotates_the_session_key(client, candidate):
    client.get(reverse("account_login"))
    client.session.save()
    before = client.session.session_key

    log_in(client, candidate)

    assert client.session.session_key != before
    replay = Client()
    replay.cookies[project_settings.SESSION_COOKIE_NAME] = before
    assert not is_signed_in(replay)


def test_six_wrong_passwords_for_one_address_get_429_whatever_the_case(
    client, candidate, shared_cache
):
    statuses = [log_in(client, candidate, password="wrong password").status_code for _ in range(5)]
    shouting = client.post(
        reverse("account_login"), {"login": candidate.email.upper(), "password": "wrong again"}
    )

    assert statuses == [200] * 5
    assert shouting.status_code == 429
    assert "Too many failed sign-in attempts. Please wait 5 minutes" in shouting.content.decode()


def test_the_lockout_of_one_address_does_not_lock_out_another(client, candidate, other_candidate):
    for _ in range(6):
        log_in(client, candidate, password="wrong password")

    assert log_in(client, other_candidate).status_code == 302


def test_signing_out_ends_the_session_on_the_server(client, candidate):
    log_in(client, candidate)
    old_key = client.session.session_key

    client.post(reverse("account_logout"))

    replay = Client()
    replay.cookies[project_settings.SESSION_COOKIE_NAME] = old_key
    assert not is_signed_in(replay)


def test_changing_the_password_ends_every_other_session(candidate):
    here, elsewhere = Client(), Client()
    log_in(here, candidate)
    log_in(elsewhere, candidate)

    response = here.post(
        reverse("account_change_password"),
        {
            "oldpassword": TEST_PASSWORD,
            "password1": "a brand new passphrase",
            "password2": "a brand new passphrase",
        },
    )

    assert response.status_code == 302
    assert is_signed_in(here)
    assert not is_signed_in(elsewhere)


def test_changing_the_password_needs_the_current_one(client, candidate):
    log_in(client, candidate)

    response = client.post(
        reverse("account_change_password"),
        {"password1": "a brand new passphrase", "password2": "a brand new passphrase"},
    )

    assert response.status_code == 200
    candidate.refresh_from_db()
    assert candidate.check_password(TEST_PASSWORD)


def test_an_idle_session_ends_after_the_idle_timeout(client, candidate, settings):
    settings.SESSION_IDLE_TIMEOUT = 60 * 60
    with time_machine.travel(NOW, tick=False) as clock:
        log_in(client, candidate)
        clock.shift(datetime.timedelta(minutes=59))
        assert is_signed_in(client)
        clock.shift(datetime.timedelta(minutes=61))

        response = client.get(reverse("accounts:profile"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
    assert "_auth_user_id" not in client.session


def test_an_active_session_still_ends_at_its_absolute_lifetime(client, candidate, settings):
    settings.SESSION_IDLE_TIMEOUT = 60 * 60
    settings.SESSION_COOKIE_AGE = 12 * 60 * 60
    with time_machine.travel(NOW, tick=False) as clock:
        log_in(client, candidate)
        for _ in range(24):  # active every 30 minutes for 12 hours
            clock.shift(datetime.timedelta(minutes=30))
            assert is_signed_in(client)
        clock.shift(datetime.timedelta(minutes=2))

        assert not is_signed_in(client)


def test_a_deactivated_account_is_signed_out(client, candidate):
    log_in(client, candidate)

    candidate.is_active = False
    candidate.save()

    assert not is_signed_in(client)


def test_sign_up_browse_and_sign_out_leave_only_session_and_csrf_cookies(client):
    with emails_sent():
        client.post(
            reverse("account_signup"),
            {
                "full_name": "Kavya Sharma",
                "email": "kavya@example.com",
                "password1": "a long and private passphrase",
                "is_adult": "on",
                "accepts_privacy_policy": "on",
            },
        )
    confirm_email_from_outbox(client)
    for url in ["/", reverse("catalogue:types"), reverse("accounts:profile")]:
        client.get(url)
    client.post(reverse("account_logout"))
    client.post(
        reverse("account_login"),
        {"login": "kavya@example.com", "password": "a long and private passphrase"},
    )
    client.post(reverse("account_logout"))

    assert set(client.cookies) <= {
        project_settings.SESSION_COOKIE_NAME,
        project_settings.CSRF_COOKIE_NAME,
    }


def test_the_user_sees_their_signed_in_devices_and_can_end_the_others(candidate):
    here, elsewhere = Client(), Client()
    log_in(here, candidate)
    log_in(elsewhere, candidate, TEST_PASSWORD)

    page = here.get(reverse("usersessions_list"))
    here.post(reverse("usersessions_list"))

    assert page.status_code == 200
    assert is_signed_in(here)
    assert not is_signed_in(elsewhere)


@pytest.mark.parametrize(
    ("limits", "wait"),
    [("10/m/ip,5/5m/key", "5 minutes"), ("3/m/ip", "1 minute"), ("5/1h/key", "1 hour")],
)
def test_the_lockout_says_how_long_to_wait_from_the_limits_in_force(settings, limits, wait):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login_failed": limits}

    assert login_lockout_wait() == wait
