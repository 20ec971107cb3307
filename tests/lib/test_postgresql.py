"""The PostgreSQL engine health-checks a kept connection only once it has sat idle."""

import pytest
from django.db import connections
from django.test.utils import CaptureQueriesContext

from mockri.lib.postgresql import base

connection = connections["default"]  # the wrapper itself, not the thread's proxy to it

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the PostgreSQL engine"),
]


@pytest.fixture
def health_checks(monkeypatch):
    """Count the health checks (Django runs them on the raw connection, outside query logs)."""
    checks = []
    is_usable = connection.is_usable

    def counted():
        checks.append(True)
        return is_usable()

    monkeypatch.setattr(connection, "is_usable", counted)
    monkeypatch.setattr(connection, "health_check_enabled", True)
    connection.ensure_connection()
    monkeypatch.setattr(connection, "close_at", None)  # kept between requests (no pooler)
    return checks


def a_new_request():
    connection.close_if_unusable_or_obsolete()  # what Django runs as every request starts


def query():
    with CaptureQueriesContext(connection), connection.cursor() as cursor:
        cursor.execute("SELECT 42")
        return cursor.fetchone()[0]


def test_production_settings_use_this_engine():
    assert connection.settings_dict["ENGINE"] == "mockri.lib.postgresql"
    assert isinstance(connection, base.DatabaseWrapper)


def test_a_connection_that_just_answered_is_not_checked_again(health_checks):
    query()
    a_new_request()

    assert query() == 42
    assert health_checks == []


def test_a_connection_idle_for_a_while_is_checked_before_its_next_query(health_checks):
    query()
    connection.last_used_at -= base.HEALTH_CHECK_IDLE_SECONDS
    a_new_request()

    assert query() == 42
    assert health_checks == [True]


def test_a_dropped_idle_connection_is_replaced_instead_of_failing_the_request(health_checks):
    query()
    dropped = connection.connection
    dropped.close()  # as when the server went away
    connection.last_used_at -= base.HEALTH_CHECK_IDLE_SECONDS
    a_new_request()

    assert query() == 42
    assert connection.connection is not dropped
    assert health_checks == [True]
