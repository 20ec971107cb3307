import datetime

import pytest

from mockri.accounts.models import User
from mockri.notifications.models import OutboxEmail
from mockri.privacy.erasure import inactive_accounts_sweep
from mockri.privacy.models import PurgeLog
from tests.factories import UserFactory
from tests.fixtures import past_session

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)
JOINED = datetime.datetime(2023, 1, 1, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def policy(settings):
    settings.INACTIVE_ACCOUNT_DAYS = 1000
    settings.INACTIVITY_WARNING_DAYS = 30


@pytest.fixture
def dormant(now):
    return UserFactory(full_name="Dormant Person", date_joined=JOINED, last_login=JOINED)


def warnings_to(user) -> int:
    return OutboxEmail.objects.filter(kind="account_inactive", recipient=user).count()


def test_nothing_happens_before_the_warning_is_due(dormant):
    assert inactive_accounts_sweep(now=JOINED + 969 * DAY) == {"warned": 0, "erased": 0}


def test_a_warning_goes_30_days_before_and_only_once(dormant):
    first = inactive_accounts_sweep(now=JOINED + 970 * DAY)
    again = inactive_accounts_sweep(now=JOINED + 980 * DAY)

    assert (first["warned"], again["warned"]) == (1, 0)
    assert warnings_to(dormant) == 1
    email = OutboxEmail.objects.get(kind="account_inactive")
    assert "27 September 2025" in email.text_body  # JOINED + 1000 days
    assert User.objects.get(pk=dormant.pk).inactivity_warned_at == JOINED + 970 * DAY


def test_the_account_is_erased_when_the_warning_period_has_passed(dormant):
    inactive_accounts_sweep(now=JOINED + 970 * DAY)

    assert inactive_accounts_sweep(now=JOINED + 999 * DAY)["erased"] == 0
    assert inactive_accounts_sweep(now=JOINED + 1000 * DAY)["erased"] == 1
    assert User.objects.get(pk=dormant.pk).erased_at == JOINED + 1000 * DAY
    assert PurgeLog.objects.get().what == "accounts inactive for 1000 days"


def test_someone_found_long_inactive_still_gets_the_full_warning_period(dormant):
    late = JOINED + 1500 * DAY
    inactive_accounts_sweep(now=late)

    assert inactive_accounts_sweep(now=late + 29 * DAY)["erased"] == 0
    assert inactive_accounts_sweep(now=late + 30 * DAY)["erased"] == 1


def test_signing_in_after_the_warning_keeps_the_account(dormant):
    inactive_accounts_sweep(now=JOINED + 970 * DAY)
    User.objects.filter(pk=dormant.pk).update(last_login=JOINED + 975 * DAY)

    assert inactive_accounts_sweep(now=JOINED + 1000 * DAY) == {"warned": 0, "erased": 0}
    assert User.objects.get(pk=dormant.pk).erased_at is None


def test_a_recent_session_counts_as_activity(dormant, free_type, profile):
    past_session(
        candidate=dormant,
        interviewer=profile,
        interview_type=free_type,
        starts_at=JOINED + 900 * DAY,
    )

    assert inactive_accounts_sweep(now=JOINED + 1000 * DAY)["warned"] == 0


def test_staff_accounts_are_exempt(dormant):
    User.objects.filter(pk=dormant.pk).update(is_staff=True)

    assert inactive_accounts_sweep(now=JOINED + 2000 * DAY) == {"warned": 0, "erased": 0}
