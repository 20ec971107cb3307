"""The interviewer directory over HTTP, against the trivial view, with wrk.

Run: uv run --frozen python bench/directory_http.py [--interviewers 1000] [--bookings 50000]
     [--seconds 10] [--database-url postgres://postgres@localhost:5432/mockri_bench_dir]

1. Builds a throw-away database (SQLite in a temporary directory, or a PostgreSQL database whose
   name contains "bench", dropped afterwards): N listed interviewers with weekday hours, a few
   companies and languages, and M bookings (most in the past, ten per interviewer in the coming
   fortnight, so next-free times have something to step around).
2. Starts gunicorn (2 workers x 4 threads, bench.settings_bench: DEBUG=False) on a free port.
3. Runs `wrk -c32` on /bench/trivial/ and on /interviewers/ (its first page, sorted by soonest
   free: every match's next free time is computed), twice, interleaved, and prints req/s, p50 and
   p99 latency, and gunicorn's CPU per request read from /proc, with the load average: wrk and
   gunicorn share the machine's cores, so a busy machine shows in the figures.
"""

import argparse
import datetime
import os
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.harness import HOST, Gunicorn, ThrowawayPostgres, log

DIRECTORY = "/interviewers/"
TRIVIAL = "/bench/trivial/"
COMPANIES = ["Google", "Amazon", "Microsoft", "Flipkart", "Razorpay", "Swiggy", "Atlassian"]
LANGUAGES = ["English", "Hindi", "Tamil", "Telugu", "Malayalam"]
_UNIT_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def seed(*, interviewers: int, bookings: int) -> None:
    import django  # noqa: PLC0415 — settings come from the environment this script sets

    django.setup()
    from django.core.management import call_command  # noqa: PLC0415 — after django.setup()
    from django.db import transaction  # noqa: PLC0415 — same
    from django.utils import timezone  # noqa: PLC0415 — same
    from django.utils.text import slugify  # noqa: PLC0415 — same

    from mockri.accounts.models import User  # noqa: PLC0415 — same
    from mockri.bookings.models import Booking  # noqa: PLC0415 — same
    from mockri.catalogue.models import (  # noqa: PLC0415 — same
        Company,
        InterviewerProfile,
        InterviewType,
        Language,
    )
    from mockri.scheduling.models import WeeklyAvailability  # noqa: PLC0415 — same

    call_command("migrate", verbosity=0, interactive=False)
    call_command("collectstatic", verbosity=0, interactive=False)
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    with transaction.atomic():
        kind = InterviewType.objects.create(
            slug="coding",
            name="Coding",
            summary="-",
            description="-",
            duration_minutes=60,
            price_paise=149_900,
        )
        companies = [Company.objects.create(name=n, slug=slugify(n)) for n in COMPANIES]
        languages = [Language.objects.create(name=n, slug=slugify(n)) for n in LANGUAGES]
        users = User.objects.bulk_create(
            User(email=f"i{n}@bench.test", full_name=f"Interviewer {n}", is_interviewer=True)
            for n in range(interviewers)
        )
        # One candidate per interviewer: a candidate's sessions may not overlap either.
        candidates = User.objects.bulk_create(
            User(email=f"c{n}@bench.test", full_name=f"Candidate {n}") for n in range(interviewers)
        )
        profiles = InterviewerProfile.objects.bulk_create(
            InterviewerProfile(
                user=user,
                slug=f"i{n}",
                display_name=user.full_name,
                headline="Engineer",
                years_experience=5,
                sessions_given=n % 50,
                rating_count=n % 7,
                rating_total=(n % 7) * 4,
                min_notice_minutes=60,
            )
            for n, user in enumerate(users)
        )
        kind.interviewers.add(*profiles)
        through = InterviewerProfile.companies.through
        through.objects.bulk_create(
            through(interviewerprofile=p, company=companies[n % len(companies)])
            for n, p in enumerate(profiles)
        )
        through = InterviewerProfile.languages.through
        through.objects.bulk_create(
            through(interviewerprofile=p, language=languages[n % len(languages)])
            for n, p in enumerate(profiles)
        )
        WeeklyAvailability.objects.bulk_create(
            WeeklyAvailability(
                interviewer=p, weekday=day, start_time=datetime.time(9), end_time=datetime.time(18)
            )
            for p in profiles
            for day in range(5)
        )
        per_interviewer = max(bookings // max(interviewers, 1), 1)
        rows = []
        for p, candidate in zip(profiles, candidates, strict=True):
            for k in range(per_interviewer):
                # Ten upcoming, one a day; the rest completed, one a day going back.
                days = k + 1 if k < 10 else -(k - 9)
                starts = now + datetime.timedelta(days=days, hours=k % 5)
                rows.append(
                    Booking(
                        candidate=candidate,
                        interviewer=p,
                        interview_type=kind,
                        status="confirmed" if days > 0 else "completed",
                        starts_at=starts,
                        ends_at=starts + datetime.timedelta(hours=1),
                        busy_until=starts + datetime.timedelta(minutes=75),
                        price_paise=kind.price_paise,
                    )
                )
        Booking.objects.bulk_create(rows, batch_size=2000)
    log(f"  {interviewers} interviewers, {len(rows)} bookings")


def wrk(port: int, path: str, *, seconds: int) -> dict:
    result = subprocess.run(  # noqa: S603 — our own fixed command
        [
            shutil.which("wrk") or "/usr/bin/wrk",
            "-t2",
            "-c32",
            f"-d{seconds}s",
            "--latency",
            "--timeout",
            "30s",
            f"http://{HOST}:{port}{path}",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    out = result.stdout

    def latency(percent: str) -> float:
        value, unit = re.search(rf"^\s*{percent}%\s+([\d.]+)(us|ms|s)\s*$", out, re.M).groups()
        return float(value) * _UNIT_MS[unit]

    requests = int(re.search(r"(\d+) requests in", out).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p50": latency("50"),
        "p99": latency("99"),
        "requests": requests,
        "bad": int(errors.group(1)) if errors else 0,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--interviewers", type=int, default=1000)
    parser.add_argument("--bookings", type=int, default=50_000)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()
    var_dir = Path(tempfile.mkdtemp(prefix="mockri-bench-dir-"))
    (var_dir / "static").mkdir()
    postgres = ThrowawayPostgres(args.database_url) if args.database_url else None
    env = {
        "DJANGO_SETTINGS_MODULE": "bench.settings_bench",
        "VAR_DIR": str(var_dir),
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DATABASE_URL": args.database_url,
        "REDIS_URL": "",
        "PYTHONUNBUFFERED": "1",
    }
    os.environ.update(env)
    server = None
    try:
        if postgres:
            postgres.create()
        log(f"Directory over HTTP, {'PostgreSQL' if postgres else 'SQLite'}")
        seed(interviewers=args.interviewers, bookings=args.bookings)
        from django.db import connections  # noqa: PLC0415 — after seed() set Django up

        connections.close_all()
        server = Gunicorn(var_dir=var_dir, env={**os.environ, **env})
        server.start()
        for path in (TRIVIAL, DIRECTORY):  # warm each worker's templates and imports
            wrk(server.port, path, seconds=1)
        log(f"load average before: {Path('/proc/loadavg').read_text().split()[:3]}")
        log(
            f"{'run':>3} {'page':15} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} "
            f"{'cpu ms/req':>10} {'bad':>4}"
        )
        for run in (1, 2):
            for path in (TRIVIAL, DIRECTORY):
                before = server.cpu_seconds() or 0.0
                figures = wrk(server.port, path, seconds=args.seconds)
                cpu = ((server.cpu_seconds() or 0.0) - before) / max(figures["requests"], 1)
                log(
                    f"{run:>3} {path:15} {figures['rps']:>8.1f} {figures['p50']:>8.1f} "
                    f"{figures['p99']:>8.1f} {cpu * 1000:>10.2f} {figures['bad']:>4}"
                )
        log(f"load average after: {Path('/proc/loadavg').read_text().split()[:3]}")
        return 0
    finally:
        if server is not None:
            server.stop()
        if postgres:
            postgres.drop()
        shutil.rmtree(var_dir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
