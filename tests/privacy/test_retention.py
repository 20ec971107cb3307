import datetime

import pytest
from django.core.management import call_command
from django.core.signals import setting_changed
from django_tasks_db.models import DBTaskResult

from mockri.bookings.enums import Actor, BookingStatus
from mockri.bookings.models import Booking, BookingFile
from mockri.bookings.services import booking_cancel
from mockri.privacy.models import PurgeLog
from mockri.privacy.services import retention_purge
from tests.fixtures import NOW

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


@pytest.fixture
def session(now, candidate, free_type, profile, book):
    return book(candidate=candidate, interview_type=free_type, interviewer=profile)


def test_files_are_kept_90_days_after_the_session_then_deleted_and_logged(
    session, private_storage, settings, django_capture_on_commit_callbacks
):
    settings.FILE_RETENTION_DAYS = 90
    stored = private_storage / session.files.get().file.name
    Booking.objects.filter(pk=session.pk).update(status=BookingStatus.COMPLETED)

    kept = retention_purge(now=session.ends_at + 89 * DAY)
    with django_capture_on_commit_callbacks(execute=True):
        purged = retention_purge(now=session.ends_at + 90 * DAY)

    assert kept == {"after the session": 0, "not held": 0}
    assert purged == {"after the session": 1, "not held": 0}
    assert not BookingFile.objects.exists()
    assert not stored.exists()
    (log,) = PurgeLog.objects.all()
    assert (log.count, log.detail) == (1, session.reference)


def test_files_of_a_cancelled_booking_go_after_a_day(
    session, candidate, private_storage, django_capture_on_commit_callbacks
):
    booking_cancel(session, actor=candidate, actor_role=Actor.CANDIDATE, reason="", now=NOW)

    assert retention_purge(now=NOW + DAY / 2)["not held"] == 0
    with django_capture_on_commit_callbacks(execute=True):
        assert retention_purge(now=NOW + 2 * DAY)["not held"] == 1
    assert not any((private_storage / "bookings").iterdir())


def test_an_upcoming_session_keeps_its_files(session):
    assert retention_purge(now=NOW + 30 * DAY) == {"after the session": 0, "not held": 0}
    assert BookingFile.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_retention_chain_is_started_once(settings):
    tasks = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    settings.TASKS = tasks
    setting_changed.send(sender=None, setting="TASKS", value=tasks, enter=True)

    call_command("purge_retained", "--schedule", stdout=None)
    call_command("purge_retained", "--schedule", stdout=None)

    assert DBTaskResult.objects.count() == 1
