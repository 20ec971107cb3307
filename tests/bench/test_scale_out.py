"""bench/scale_out.py --quick as a smoke test: 4 web servers with 4 workers, then with 4 cron
drains, under a booking load on one PostgreSQL. It needs PostgreSQL on localhost and a couple of
minutes, so it runs only with MOCKRI_RUN_BENCH_SMOKE=1 (MOCKRI_BENCH_DATABASE_URL names the
throw-away database; its name must contain "bench")."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_DATABASE_URL = "postgres://postgres@localhost:5432/mockri_scale_bench_smoke"

pytestmark = pytest.mark.skipif(
    os.environ.get("MOCKRI_RUN_BENCH_SMOKE") != "1",
    reason="the scale-out bench runs only with MOCKRI_RUN_BENCH_SMOKE=1 (PostgreSQL on localhost)",
)


def test_scale_out_quick_keeps_every_invariant_with_workers_and_with_cron_drains():
    # The bench sets up its own settings and databases; the test run's must not leak into it.
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("DATABASE_", "DJANGO_"))
    }
    database_url = os.environ.get("MOCKRI_BENCH_DATABASE_URL") or DEFAULT_DATABASE_URL

    completed = subprocess.run(
        [sys.executable, "bench/scale_out.py", "--quick", "--database-url", database_url],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )

    output = completed.stdout + completed.stderr
    assert completed.returncode == 0, output[-6000:]
    assert "invariants (worker): OK" in completed.stdout
    assert "invariants (cron): OK" in completed.stdout
    assert "invariants: OK" in completed.stdout
