"""scripts/restore-drill against the test database: dump, restore into a scratch database,
verify, drop. Runs in `make test`'s PostgreSQL pass when pg_dump and pg_restore are installed."""

import datetime
import os
import shutil
import subprocess
import sys

import psycopg
import pytest
from django.db import connection

from tests.factories import InterviewTypeFactory, UserFactory
from tests.fixtures import past_session
from tests.test_settings import ROOT

pytestmark = [
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")),
        reason="the restore drill needs PostgreSQL (DATABASE_URL=postgres://...)",
    ),
    pytest.mark.skipif(
        os.environ.get("DATABASE_POOLED") == "True",
        reason="the restore drill needs the direct address, not a transaction pooler",
    ),
    pytest.mark.skipif(
        not (shutil.which("pg_dump") and shutil.which("pg_restore")),
        reason="pg_dump and pg_restore are not installed (apt-get install postgresql-client)",
    ),
    # The drill's pg_dump reads committed rows only.
    pytest.mark.django_db(transaction=True),
]


def database_url(name: str) -> str:
    """The address of database `name` on pytest-django's server."""
    server = connection.settings_dict
    auth = server["USER"] + (f":{server['PASSWORD']}" if server["PASSWORD"] else "")
    return f"postgres://{auth}@{server['HOST'] or 'localhost'}:{server['PORT'] or 5432}/{name}"


def run_drill(url: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "scripts/restore-drill", url],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )


def database_exists(name: str) -> bool:
    with psycopg.connect(database_url("postgres")) as admin:
        return bool(admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).rowcount)


def test_the_restore_drill_restores_every_row_and_django_reads_the_bookings(
    candidate, other_candidate, interviewer
):
    design = InterviewTypeFactory(interviewers=[interviewer.interviewer_profile])
    for number, who in enumerate([candidate, other_candidate, UserFactory()]):
        past_session(
            candidate=who,
            interviewer=interviewer.interviewer_profile,
            interview_type=design,
            starts_at=datetime.datetime(2026, 3, 2 + number, 5, 30, tzinfo=datetime.UTC),
        )

    source = connection.settings_dict["NAME"]

    result = run_drill(database_url(source))

    assert result.returncode == 0, result.stdout + result.stderr
    assert "3 bookings read by Django" in result.stdout
    assert f"{source}_restore_drill dropped" in result.stdout
    assert not database_exists(f"{source}_restore_drill")


def test_the_restore_drill_fails_with_its_reason_when_the_source_is_missing():
    result = run_drill(database_url(connection.settings_dict["NAME"] + "_absent"))

    assert result.returncode == 1
    assert result.stderr.startswith("Restore drill FAILED: ")
    assert "does not exist" in result.stderr
