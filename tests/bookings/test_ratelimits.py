"""The booking form's rate limits: one upsert for the rates of a duration, a sliding estimate
over two fixed windows, and exact under concurrent requests on PostgreSQL."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test import RequestFactory

from mockri.bookings.models import RateLimitCount
from mockri.bookings.ratelimits import rate_limit_consume, rate_limit_counts_expire
from mockri.lib.errors import DomainError
from tests.factories import UserFactory
from tests.fixtures import at_once

# A window boundary: 10:00:00 UTC is a multiple of a minute since the epoch.
BOUNDARY = datetime.datetime(2026, 12, 1, 10, 0, tzinfo=datetime.UTC)


@pytest.fixture
def five_a_minute(settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "booking": "5/m/user"}


def consume(user) -> bool:
    request = RequestFactory().post("/", REMOTE_ADDR="203.0.113.9")
    return rate_limit_consume(request, action="booking", user=user)


def test_an_account_gets_its_rate_and_no_more_within_a_window(db, five_a_minute):
    user = UserFactory()

    with time_machine.travel(BOUNDARY + datetime.timedelta(seconds=10), tick=False):
        results = [consume(user) for _ in range(6)]

    assert results == [True] * 5 + [False]


def test_accounts_are_counted_apart(db, five_a_minute):
    first, second = UserFactory(), UserFactory()

    with time_machine.travel(BOUNDARY, tick=False):
        for _ in range(5):
            consume(first)
        assert consume(first) is False
        assert consume(second) is True


def test_a_burst_at_the_end_of_a_window_still_counts_just_after_it(db, five_a_minute):
    user = UserFactory()
    with time_machine.travel(BOUNDARY - datetime.timedelta(seconds=1), tick=False):
        assert [consume(user) for _ in range(5)] == [True] * 5

    # Two seconds later, in the next fixed window: the last window's five still weigh ~5.
    with time_machine.travel(BOUNDARY + datetime.timedelta(seconds=1), tick=False):
        assert consume(user) is False
    # Most of a minute after the burst, it weighs little: allowed again.
    with time_machine.travel(BOUNDARY + datetime.timedelta(seconds=50), tick=False):
        assert consume(user) is True


def test_counts_hold_a_digest_not_the_address_or_account(db, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "booking": "20/m/ip,5/m/user"}
    user = UserFactory()

    with time_machine.travel(BOUNDARY, tick=False):
        consume(user)

    keys = list(RateLimitCount.objects.values_list("key", flat=True))
    assert len(keys) == 2
    assert all(len(key) == 64 and "203.0.113.9" not in key and str(user.pk) != key for key in keys)


def test_rates_of_one_duration_are_counted_in_one_statement_each_against_its_own_limit(
    db, settings, django_assert_num_queries
):
    settings.ACCOUNT_RATE_LIMITS = {
        **settings.ACCOUNT_RATE_LIMITS,
        "booking": "4/m/ip,2/m/user,100/h/user",
    }
    first, second = UserFactory(), UserFactory()

    with time_machine.travel(BOUNDARY, tick=False):
        with django_assert_num_queries(2):  # the two per-minute rates, then the hourly one
            assert consume(first) is True
        # The account's 2 a minute refuses its third; the address's 4 refuses the fifth
        # request from it, whichever account sends it (refused ones count too).
        results = [consume(first), consume(first), consume(second), consume(second)]

    assert results == [True, False, True, False]


def test_retention_deletes_counts_whose_windows_are_over(db, five_a_minute):
    user = UserFactory()
    with time_machine.travel(BOUNDARY, tick=False):
        consume(user)

    assert rate_limit_counts_expire(now=BOUNDARY + datetime.timedelta(days=1)) == 0
    assert rate_limit_counts_expire(now=BOUNDARY + datetime.timedelta(days=4)) == 1
    assert not RateLimitCount.objects.exists()


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="a race needs PostgreSQL")
def test_simultaneous_requests_get_exactly_the_rate(five_a_minute):
    user = UserFactory()

    def attempt():
        if not consume(user):
            raise DomainError("refused")

    with time_machine.travel(BOUNDARY + datetime.timedelta(seconds=5), tick=False):
        outcomes = at_once([attempt] * 12)

    assert sorted(outcomes) == ["DomainError"] * 7 + ["done"] * 5
