"""bench/run_all.py: the slot engine's ratio always (no database, about a second), and the
whole HTTP run at a tiny size as a smoke test with MOCKRI_RUN_BENCH_SMOKE=1 (PostgreSQL on
localhost and wrk; MOCKRI_BENCH_DATABASE_URL names the throw-away database)."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from bench.run_all import slot_engine_ratio

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_DATABASE_URL = "postgres://postgres@localhost:5432/mockri_run_all_bench_smoke"


def test_the_slot_engine_is_reported_as_a_ratio_to_a_reference_run_beside_it():
    line = slot_engine_ratio(repeats=1)

    assert re.search(r"= \d+\.\d\d x the reference computation", line), line


@pytest.mark.skipif(
    os.environ.get("MOCKRI_RUN_BENCH_SMOKE") != "1",
    reason="the HTTP bench runs only with MOCKRI_RUN_BENCH_SMOKE=1 (PostgreSQL on localhost)",
)
def test_run_all_prints_every_page_against_the_trivial_view():
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("DATABASE_", "DJANGO_"))
    }
    database_url = os.environ.get("MOCKRI_BENCH_DATABASE_URL") or DEFAULT_DATABASE_URL

    completed = subprocess.run(
        [
            sys.executable,
            "bench/run_all.py",
            "--database-url",
            database_url,
            "--sizes",
            "3,6",
            "--seconds",
            "1",
            "--no-engine",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )

    output = completed.stdout + completed.stderr
    assert completed.returncode == 0, output[-6000:]
    for page in (
        "slot picker, any, visitor",
        "interviewer directory",
        "booking POST",
        "POST floor",
    ):
        assert page in completed.stdout
    assert "Scaling:" in completed.stdout
