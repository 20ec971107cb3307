import datetime
import importlib

import pytest
import time_machine
from allauth.usersessions.models import UserSession
from django.apps import apps
from django.conf import settings as project_settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session as DjangoSession
from django.test import Client, RequestFactory
from django.urls import reverse

from mockri.accounts.adapters import login_lockout_wait
from mockri.accounts.models import Session
from mockri.accounts.sessions import SessionStore, session_user
from mockri.privacy.services import retention_run
from tests.accounts.test_signup import confirm_email_from_outbox
from tests.factories import TEST_PASSWORD
from tests.fixtures import emails_sent

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 11, 26, 9, 0, tzinfo=datetime.UTC)
DAY = datetime.timedelta(days=1)


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


# --- Sessions carry their user ------------------------------------------------------------------


def test_a_signed_in_request_reads_its_session_and_user_in_one_query(
    client, candidate, now, django_assert_num_queries
):
    log_in(client, candidate)
    row = Session.objects.get(session_key=client.session.session_key)
    assert row.user == candidate
    request = RequestFactory().get("/")
    request.session = SessionStore(row.session_key)

    with django_assert_num_queries(1):
        assert session_user(request) == candidate


def test_the_user_read_with_the_session_is_the_one_the_orm_reads_field_by_field(
    client, candidate, now
):
    log_in(client, candidate)
    User = type(candidate)
    User.objects.filter(pk=candidate.pk).update(  # times and flags the database must give back
        email_bounced_at=now - DAY, is_interviewer=True, timezone="Europe/London"
    )
    store = SessionStore(client.session.session_key)
    store.load()

    read = store.user_read_with_it
    expected = User.objects.get(pk=candidate.pk)
    fields = [field.attname for field in User._meta.concrete_fields]
    assert [getattr(read, name) for name in fields] == [getattr(expected, name) for name in fields]
    assert read.email_bounced_at == now - DAY and read.is_interviewer is True
    assert not read._state.adding and read._state.db == "default"


def test_an_expired_or_unknown_session_reads_nothing_and_gets_a_new_key(client, candidate, now):
    log_in(client, candidate)
    key = client.session.session_key
    Session.objects.update(expire_date=now - DAY)

    for missing in (key, "no-such-session-key-at-all-here-00"):
        store = SessionStore(missing)
        assert store.load() == {}
        assert store.session_key is None and store.user_read_with_it is None
    assert not is_signed_in(client)


def test_a_row_naming_someone_else_is_not_trusted_over_the_sessions_own_data(
    client, candidate, other_candidate, now
):
    log_in(client, candidate)
    Session.objects.update(user=other_candidate)
    request = RequestFactory().get("/")
    request.session = SessionStore(client.session.session_key)

    assert session_user(request) == candidate  # as Django reads it, from the signed data


def test_a_session_of_a_rotated_secret_is_still_decided_by_django(client, candidate, settings, now):
    log_in(client, candidate)
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "a new secret key that is at least fifty characters long, honestly"

    assert is_signed_in(client)


def test_deleting_a_user_deletes_their_sessions(client, candidate, now):
    log_in(client, candidate)

    candidate.delete()

    assert not Session.objects.exists()
    assert not is_signed_in(client)


def test_the_migration_moves_djangos_sessions_with_their_users(candidate, now):
    store = SessionStore()
    signed_in = store.encode({SESSION_KEY: str(candidate.pk), "mockri_seen_at": 1})
    expires = now + datetime.timedelta(hours=1)
    DjangoSession.objects.create(session_key="a" * 32, session_data=signed_in, expire_date=expires)
    DjangoSession.objects.create(
        session_key="b" * 32, session_data=store.encode({}), expire_date=expires
    )
    migration = importlib.import_module("mockri.accounts.migrations.0009_session_with_its_user")

    migration.move_sessions(apps, None)

    moved = {row.session_key: row for row in Session.objects.all()}
    assert moved["a" * 32].user == candidate
    assert moved["a" * 32].get_decoded()["mockri_seen_at"] == 1
    assert moved["b" * 32].user is None
    assert not DjangoSession.objects.exists()


def test_retention_deletes_expired_sessions_and_the_device_records_of_ended_ones(candidate, now):
    live = Session.objects.create(
        session_key="l" * 32, session_data="", expire_date=now + DAY, user=candidate
    )
    Session.objects.create(
        session_key="e" * 32, session_data="", expire_date=now - DAY, user=candidate
    )
    for key, created in [("l" * 32, now - 2 * DAY), ("e" * 32, now - 2 * DAY), ("n" * 32, now)]:
        UserSession.objects.create(
            user=candidate, session_key=key, ip="203.0.113.7", user_agent="x", created_at=created
        )

    assert retention_run(now=now)["expired sessions"] == 1

    assert list(Session.objects.all()) == [live]
    # The one just signing in (its session row not written yet) keeps its record.
    assert set(UserSession.objects.values_list("session_key", flat=True)) == {"l" * 32, "n" * 32}
