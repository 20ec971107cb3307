"""Data the HTTP benchmarks seed with the ORM: imported once Django is set up."""

import datetime
import time
from importlib import import_module

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

from mockri.accounts.middleware import SESSION_AUTH_AT, SESSION_CONSENTED_VERSION, SESSION_SEEN_AT
from mockri.accounts.models import ConsentSource, User
from mockri.accounts.services import consent_record
from mockri.catalogue.models import InterviewerProfile
from mockri.scheduling.models import WeeklyAvailability


def signed_in_candidates(prefix: str, count: int, *, zones: list[str]) -> list[tuple[str, int]]:
    """Candidates as if they had signed up and signed in: verified address, current consent, and
    a database session carrying what the auth and the app's middleware look for.
    Returns (session key, user id) pairs."""
    users = [
        User.objects.create_user(
            f"{prefix}{index:05d}@bench.test",
            None,
            full_name=f"{prefix.title()} {index}",
            timezone=zones[index % len(zones)],
        )
        for index in range(count)
    ]
    EmailAddress.objects.bulk_create(
        EmailAddress(user=user, email=user.email, verified=True, primary=True) for user in users
    )
    # The settings name the store: code measured with --compare-with may predate ours.
    store = import_module(settings.SESSION_ENGINE).SessionStore
    pairs = []
    for user in users:
        consent_record(user=user, source=ConsentSource.SIGNUP_FORM)
        session = store()
        now = int(time.time())
        session[SESSION_KEY] = user._meta.pk.value_to_string(user)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session[SESSION_AUTH_AT] = now
        session[SESSION_SEEN_AT] = now
        session[SESSION_CONSENTED_VERSION] = settings.PRIVACY_POLICY_VERSION
        session.create()
        pairs.append((session.session_key, user.pk))
    return pairs


def bench_interviewers(
    count: int,
    *,
    zones: list[str],
    buffer_minutes: int,
    max_sessions_per_day: int,
    hours: tuple[int, int],
) -> list[InterviewerProfile]:
    """`count` interviewers spread over `zones`, each open every day from hours[0] to hours[1]
    in their own zone."""
    profiles = []
    for index in range(count):
        user = User.objects.create_user(
            f"interviewer{index:02d}@bench.test",
            None,
            full_name=f"Interviewer {index:02d}",
            timezone=zones[index % len(zones)],
            is_interviewer=True,
        )
        profiles.append(
            InterviewerProfile.objects.create(
                user=user,
                slug=f"interviewer-{index:02d}",
                display_name=f"Interviewer {index:02d}",
                headline="Senior engineer",
                years_experience=8,
                min_notice_minutes=60,
                horizon_days=30,
                buffer_minutes=buffer_minutes,
                max_sessions_per_day=max_sessions_per_day,
            )
        )
    WeeklyAvailability.objects.bulk_create(
        WeeklyAvailability(
            interviewer=profile,
            weekday=weekday,
            start_time=datetime.time(hours[0]),
            end_time=datetime.time(hours[1]),
        )
        for profile in profiles
        for weekday in range(7)
    )
    return profiles
