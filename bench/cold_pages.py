"""What a cache miss costs at scale: the slot picker's "any available" week and the directory's
soonest-free order computed from the table of open starts and, in the same process on the same
data, from the slot engine (the table switched off), plus the table's own writes.

    uv run --frozen python bench/cold_pages.py \
        --database-url postgres://postgres@localhost:5432/mockri_cold_bench --interviewers 1000

Seeds bench/run_all.py's data (60 days of horizon, 50 bookings per interviewer) into a database
it creates and drops. Each figure is the median wall time of several requests in this process,
each on an empty cache; the ratio is the one to compare across machines.
"""

import argparse
import os
import secrets
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import run_all
from bench.harness import HOST, ThrowawayPostgres, log


def cold_ms(client, path: str, *, repeats: int) -> float:
    from django.core.cache import cache  # noqa: PLC0415 — after django.setup()

    times = []
    for _ in range(repeats):
        cache.clear()
        started = time.perf_counter()
        response = client.get(path)
        times.append(time.perf_counter() - started)
        assert response.status_code == 200, (path, response.status_code)
    return statistics.median(times) * 1000


def measure(*, repeats: int) -> None:
    from django.test import Client  # noqa: PLC0415 — after django.setup()
    from django.utils import timezone  # noqa: PLC0415 — same

    from mockri.bookings.models import Booking, OpenStartCoverage  # noqa: PLC0415 — same
    from mockri.bookings.open_starts import (  # noqa: PLC0415 — same
        open_starts_refresh,
        open_starts_refresh_booking,
    )

    visitor = Client(HTTP_HOST=HOST)
    pages = {
        "slot picker, any, this week": f"{run_all.PICKER}?page=0",
        "slot picker, any, next week": f"{run_all.PICKER}?page=1",
        "directory, soonest free": run_all.DIRECTORY,
    }
    coverage = OpenStartCoverage.objects.get()
    table = {name: cold_ms(visitor, path, repeats=repeats) for name, path in pages.items()}
    OpenStartCoverage.objects.all().delete()  # pages ask the slot engine
    engine = {
        name: cold_ms(visitor, path, repeats=max(1, repeats // 3)) for name, path in pages.items()
    }
    coverage.save()
    log(f"{'cache miss, ms (median)':34} {'table':>8} {'engine':>9} {'engine/table':>13}")
    for name in pages:
        log(f"{name:34} {table[name]:8.1f} {engine[name]:9.1f} {engine[name] / table[name]:12.1f}x")

    booking = Booking.objects.filter(status="confirmed", starts_at__gt=timezone.now()).first()
    writes = {
        "one interviewer's whole table": lambda: open_starts_refresh([booking.interviewer_id]),
        "one booking's dates": lambda: open_starts_refresh_booking(
            interviewer_id=booking.interviewer_id,
            starts_at=booking.starts_at,
            ends_at=booking.ends_at,
        ),
    }
    for name, write in writes.items():
        times = []
        for _ in range(repeats):
            started = time.perf_counter()
            write()
            times.append(time.perf_counter() - started)
        log(f"rewrite {name:32} {statistics.median(times) * 1000:8.1f} ms")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--interviewers", type=int, default=1000)
    parser.add_argument("--repeats", type=int, default=9)
    args = parser.parse_args()
    postgres = ThrowawayPostgres(args.database_url)
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "bench.settings_bench",
            "VAR_DIR": tempfile.mkdtemp(prefix="mockri-cold-"),
            "SECRET_KEY": os.environ.get("SECRET_KEY") or secrets.token_urlsafe(50),
            "DATABASE_URL": args.database_url,
            "REDIS_URL": "",
        }
    )
    postgres.create()
    try:
        started = time.perf_counter()
        run_all.seed(interviewers=args.interviewers, posts=0)
        log(
            f"{args.interviewers} interviewers seeded in {time.perf_counter() - started:.0f} s; "
            f"load average {run_all.load_average()}"
        )
        measure(repeats=args.repeats)
        log(f"load average {run_all.load_average()}")
    finally:
        from django.db import connections  # noqa: PLC0415 — Django is set up by now

        connections.close_all()
        postgres.drop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
