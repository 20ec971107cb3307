import datetime
import os

import pytest
import time_machine
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.core.signals import setting_changed

from mockri import settings as project_settings
from tests.factories import InterviewerProfileFactory, UserFactory

# Shared fixtures and helpers: the frozen clock (`now`), bookings, storage, tasks, emails.
pytest_plugins = ["tests.fixtures"]


def pytest_configure(config):
    # Tasks go to an in-memory backend so tests can assert what was enqueued and run it; the
    # "database" alias is the production backend, for tests of the queue itself.
    settings.TASKS = {
        "default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"},
        "database": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]},
    }
    # Backends made while importing the apps (task decorators) are dropped.
    setting_changed.send(sender=None, setting="TASKS", value=settings.TASKS, enter=True)
    # bcrypt is deliberately slow; tests that are about hashing restore the real hashers.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # DEBUG's demo GSTIN would add a tax invoice (and its email) to every payment: the tests
    # of invoices (tests/invoices) set it themselves.
    settings.GSTIN = ""
    _move_the_clock_ahead(config)
    config.addinivalue_line(
        "markers", "shared_cache: uses the shared cache; `make test` also runs these on Redis"
    )


@pytest.hookimpl(tryfirst=True)  # before `-m` deselects by marker
def pytest_collection_modifyitems(items):
    for item in items:
        if "shared_cache" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.shared_cache)


# CI runs the suite once more with the real clock moved on (`make test` sets this to 365), so a
# test that quietly depends on today's date fails in CI instead of on some future morning.
CLOCK_OFFSET_DAYS = "MOCKRI_TEST_CLOCK_OFFSET_DAYS"


def _clock_offset_days() -> int:
    return int(os.environ.get(CLOCK_OFFSET_DAYS) or 0)


def _move_the_clock_ahead(config) -> None:
    if days := _clock_offset_days():
        # Ticking, and from before collection, so module-level dates see the moved clock too.
        traveller = time_machine.travel(datetime.timedelta(days=days), tick=True)
        traveller.start()
        config.add_cleanup(traveller.stop)


def pytest_report_header(config):
    if days := _clock_offset_days():
        moved = datetime.datetime.now(datetime.UTC)
        return f"clock: {days} days ahead, {moved:%Y-%m-%d %H:%M} UTC"
    return None


# The fixed cast. Each one requests `now`, so they join at NOW and a test that uses them runs on
# the frozen clock: their date_joined and every stamp they get does not depend on today's date.
@pytest.fixture
def candidate(db, now):
    return UserFactory(full_name="Kavya Sharma", email="kavya@example.com")


@pytest.fixture
def other_candidate(db, now):
    return UserFactory(full_name="Rahul Verma", email="rahul@example.com")


@pytest.fixture
def interviewer(db, now):
    return InterviewerProfileFactory(user__full_name="Ananya Iyer").user


@pytest.fixture
def other_interviewer(db, now):
    return InterviewerProfileFactory(
        user__full_name="Sarah Collins", user__timezone="Europe/London"
    ).user


@pytest.fixture
def staff(db, now):
    return UserFactory(full_name="Mockri Staff", is_staff=True)


@pytest.fixture
def real_hashers(settings):
    settings.PASSWORD_HASHERS = project_settings.PASSWORD_HASHERS


@pytest.fixture
def two_factor(db, now):
    """Give users a TOTP authenticator, as staff and interviewers must have."""

    def enable(*users):
        for user in users:
            Authenticator.objects.create(
                user=user, type=Authenticator.Type.TOTP, data={"secret": "JBSWY3DPEHPK3PXP"}
            )

    return enable
