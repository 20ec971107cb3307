"""Booking over HTTP: slot pages and booking POSTs through gunicorn, and a 100-way booking race.

Run from the repository root:

    uv run python bench/booking_http.py [--database-url URL] [--seconds N] [--threads N]

    e.g. --database-url postgres://postgres@localhost:5432/mockri_bench

What it does, in about a minute with the defaults:
1. Prepares a throw-away database: SQLite in a temporary VAR_DIR, or, with --database-url, a
   PostgreSQL database it creates and drops itself (local hosts only, and only a database whose
   name contains "bench", since it is dropped). Then migrate (cache table included), collectstatic
   and, with the ORM: a paid 60-minute interview type offered by 20 interviewers (Asia/Kolkata,
   Europe/London, America/New_York) free 06:00-23:00 every day, 500 confirmed bookings over the
   next 14 days, and signed-in candidates (verified address, current consent, a database session).
2. Starts gunicorn (2 workers x 4 threads, settings bench.settings_bench: DEBUG=False) on a free
   port of 127.0.0.1, and always stops it at the end. No traffic goes anywhere else.
3. Load: N seconds each (default 10) with 8 client threads on keep-alive connections: a trivial
   view (the baseline), the slot picker for "any available interviewer" (pages 0 and 1 in turn:
   14 days), the same for one chosen interviewer, and the booking POST (each by its own candidate
   for its own open start time, so each can succeed). Targets: the "any" slot page at 15% or more
   of the trivial view's requests per second, the booking POST at 5% or more.
4. Race: 100 candidates POST the same slot with the same interviewer at once. Exactly one must
   succeed, the rest be refused cleanly (no 5xx), and the database must hold one active booking
   for the slot. The run that proves it is the PostgreSQL one; SQLite serialises writers anyway.

The client threads share the machine's cores with gunicorn, so absolute figures are conservative;
compare the ratios. Exits 1 when the race result is wrong, 2 when the setup fails.
"""

import argparse
import datetime
import http.client
import os
import random
import secrets
import shutil
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.harness import (
    HOST,
    HTTP_TIMEOUT,
    Client,
    Cookies,
    Gunicorn,
    ThrowawayPostgres,
    log,
)
from bench.harness import booking_post as harness_booking_post

INTERVIEWERS = 20
ZONES = ["Asia/Kolkata", "Europe/London", "America/New_York"]
EXISTING_BOOKINGS = 500
EXISTING_DAYS = 14
SEED_CANDIDATES = 40  # the candidates of the existing bookings
RACERS = 100
DURATION = datetime.timedelta(minutes=60)
BUFFER_MINUTES = 15
PRICE_PAISE = 149_900
TYPE_SLUG = "bench-coding"
POSTS_PER_SECOND_CAP = 150  # candidates prepared for the POST phase, per second of it
POST_START_MARGIN = datetime.timedelta(hours=3)  # well past the 60-minute notice during the run
POST_MIN_FREE = 4  # a start is offered to the POST phase when this many interviewers are free
POST_STRIDE = 37  # consecutive POSTs go to starts this many grid steps apart: no collisions
TARGETS = {"slots_any": 15.0, "post": 5.0}


def booking_post(**kwargs) -> tuple[str, str, bytes, dict]:
    return harness_booking_post(type_slug=TYPE_SLUG, **kwargs)


# --- Data --------------------------------------------------------------------------------------


@dataclass
class BenchData:
    interviewer_slug: str  # the chosen interviewer of the one-interviewer page and the race
    interviewer_id: int
    post_items: list[tuple[str, datetime.datetime]]  # (session key, start), in sending order
    racer_sessions: list[str]
    racer_ids: set[int]
    open_starts: int  # starts offered to the POST phase before the candidates were capped


def prepare_database(*, seconds: float, rng: random.Random) -> BenchData:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import transaction

    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    call_command("collectstatic", verbosity=0, interactive=False)
    log(f"  migrate, collectstatic: {time.perf_counter() - started:.1f} s")
    started = time.perf_counter()
    with transaction.atomic():
        data = seed(seconds=seconds, rng=rng)
    log(f"  data: {time.perf_counter() - started:.1f} s")
    return data


def seed(*, seconds: float, rng: random.Random) -> BenchData:
    from django.utils import timezone

    from bench.seeding import bench_interviewers
    from mockri.accounts.models import User
    from mockri.bookings.selectors import availabilities_for, interviewers_offering
    from mockri.catalogue.models import InterviewType
    from mockri.scheduling.slots import open_slots_by_start

    now = timezone.now()
    interview_type = InterviewType.objects.create(
        slug=TYPE_SLUG,
        name="Coding (bench)",
        summary="A paid 60-minute coding round.",
        description="Benchmark data.",
        duration_minutes=60,
        price_paise=PRICE_PAISE,
        position=1,
    )
    profiles = bench_interviewers(
        INTERVIEWERS,
        zones=ZONES,
        buffer_minutes=BUFFER_MINUTES,
        max_sessions_per_day=12,
        hours=(6, 23),
    )
    interview_type.interviewers.add(*profiles)
    seed_candidates = [
        User.objects.create_user(f"booked{index:03d}@bench.test", None, full_name=f"Booked {index}")
        for index in range(SEED_CANDIDATES)
    ]
    seed_bookings(profiles, seed_candidates, interview_type, now=now, rng=rng)

    # The POST phase's starts, from the app's own slot engine over the data just made.
    offering = interviewers_offering(interview_type=interview_type)
    free_by_start = open_slots_by_start(
        availabilities_for(interviewers=offering, now=now),
        duration=DURATION,
        now=now,
        until=now + datetime.timedelta(days=29),
    )
    starts = [
        start
        for start, free in free_by_start.items()
        if start >= now + POST_START_MARGIN and len(free) >= POST_MIN_FREE
    ]
    open_starts = len(starts)
    # Interleave, so the POSTs in flight together are far apart in time and cannot collide.
    starts = [start for offset in range(POST_STRIDE) for start in starts[offset::POST_STRIDE]]
    starts = starts[: max(100, int(POSTS_PER_SECOND_CAP * seconds))]

    from bench.seeding import signed_in_candidates

    post_users = signed_in_candidates("post", len(starts), zones=ZONES)
    racers = signed_in_candidates("racer", RACERS, zones=ZONES)
    return BenchData(
        interviewer_slug=profiles[0].slug,
        interviewer_id=profiles[0].pk,
        post_items=[(key, start) for (key, _), start in zip(post_users, starts, strict=True)],
        racer_sessions=[key for key, _ in racers],
        racer_ids={pk for _, pk in racers},
        open_starts=open_starts,
    )


def seed_bookings(profiles, candidates, interview_type, *, now, rng: random.Random) -> None:
    """Confirmed bookings on the 30-minute grid, inside each interviewer's local 06:00-23:00,
    never closer than the buffer per interviewer and never overlapping per candidate."""
    import zoneinfo

    from mockri.bookings.enums import BookingStatus
    from mockri.bookings.models import Booking

    step = datetime.timedelta(minutes=30)
    first = now.replace(minute=0, second=0, microsecond=0) + datetime.timedelta(hours=2)
    grid = []
    start = first
    while start + DURATION <= now + datetime.timedelta(days=EXISTING_DAYS):
        grid.append(start)
        start += step
    apart = DURATION + datetime.timedelta(minutes=BUFFER_MINUTES)
    candidate_busy: dict[int, list[datetime.datetime]] = {c.pk: [] for c in candidates}
    per_interviewer = EXISTING_BOOKINGS // len(profiles)
    rows = []
    for profile in profiles:
        zone = zoneinfo.ZoneInfo(profile.user.timezone)
        options = []
        for start in grid:
            local = start.astimezone(zone)
            minutes = local.hour * 60 + local.minute
            if 6 * 60 <= minutes <= 22 * 60:
                options.append(start)
        rng.shuffle(options)
        taken: list[datetime.datetime] = []
        per_day: Counter = Counter()
        for start in options:
            if len(taken) == per_interviewer:
                break
            day = start.astimezone(zone).date()
            if per_day[day] >= 4 or any(abs(start - other) < apart for other in taken):
                continue
            offset = rng.randrange(len(candidates))
            candidate = next(
                (
                    c
                    for c in candidates[offset:] + candidates[:offset]
                    if all(abs(start - other) >= DURATION for other in candidate_busy[c.pk])
                ),
                None,
            )
            if candidate is None:
                continue
            taken.append(start)
            per_day[day] += 1
            candidate_busy[candidate.pk].append(start)
            rows.append(
                Booking(
                    candidate=candidate,
                    interviewer=profile,
                    interview_type=interview_type,
                    status=BookingStatus.CONFIRMED,
                    starts_at=start,
                    ends_at=start + DURATION,
                    busy_until=start + DURATION + datetime.timedelta(minutes=BUFFER_MINUTES),
                    price_paise=PRICE_PAISE,
                )
            )
    Booking.objects.bulk_create(rows)


def classify_booking(status: int, location: str) -> str:
    if status == 302 and location.startswith("/bookings/"):
        return "success"
    if (status == 302 and location.startswith(f"/interviews/{TYPE_SLUG}/book/")) or (
        400 <= status < 500
    ):
        return "refusal"
    if status >= 500:
        return "error"
    return "unexpected"


# --- Load --------------------------------------------------------------------------------------


@dataclass
class PhaseResult:
    name: str
    latencies: list[float] = field(default_factory=list)
    statuses: Counter = field(default_factory=Counter)
    outcomes: Counter = field(default_factory=Counter)
    connection_errors: int = 0
    elapsed: float = 0.0
    exhausted: bool = False
    server_cpu: float | None = None  # seconds used by gunicorn during the phase

    @property
    def server_cpu_ms(self) -> float | None:
        if self.server_cpu is None or not self.requests:
            return None
        return 1000 * self.server_cpu / self.requests

    @property
    def requests(self) -> int:
        return len(self.latencies) + self.connection_errors

    @property
    def per_second(self) -> float:
        return self.requests / self.elapsed if self.elapsed else 0.0

    @property
    def bad(self) -> int:
        wrong = sum(n for status, n in self.statuses.items() if not 200 <= status < 400)
        return wrong + self.connection_errors

    def percentile_ms(self, fraction: float) -> float:
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return 1000 * ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def run_phase(name, *, server, seconds, threads, next_request, classify=None) -> PhaseResult:
    """`threads` clients send next_request(thread, n) until `seconds` pass or it returns None."""
    result = PhaseResult(name)
    port = server.port
    cpu_before = server.cpu_seconds()
    lock = threading.Lock()
    started = time.perf_counter()
    deadline = started + seconds
    finished_at = [started]

    def worker(thread: int) -> None:
        client = Client(port)
        latencies, statuses, outcomes, errors, exhausted = [], Counter(), Counter(), 0, False
        n = 0
        while time.perf_counter() < deadline:
            request = next_request(thread, n)
            n += 1
            if request is None:
                exhausted = True
                break
            method, path, body, headers = request
            try:
                status, location, elapsed = client.request(method, path, body, headers)
            except (OSError, http.client.HTTPException):
                errors += 1
                continue
            latencies.append(elapsed)
            statuses[status] += 1
            if classify:
                outcomes[classify(status, location)] += 1
        client.close()
        with lock:
            result.latencies += latencies
            result.statuses.update(statuses)
            result.outcomes.update(outcomes)
            result.connection_errors += errors
            result.exhausted |= exhausted
            finished_at[0] = max(finished_at[0], time.perf_counter())

    workers = [threading.Thread(target=worker, args=(i,)) for i in range(threads)]
    for thread in workers:
        thread.start()
    for thread in workers:
        thread.join()
    result.elapsed = finished_at[0] - started
    cpu_after = server.cpu_seconds()
    if cpu_before is not None and cpu_after is not None:
        result.server_cpu = cpu_after - cpu_before
    return result


def warm_up(port: int, paths: list[str], *, times: int) -> None:
    """Untimed: every worker loads its templates and code paths before the clock starts."""
    client = Client(port)
    for _ in range(times):
        for path in paths:
            client.request("GET", path, None, {})
    client.close()


# --- Race --------------------------------------------------------------------------------------


@dataclass
class RaceResult:
    start: datetime.datetime
    outcomes: Counter
    details: list[str]
    active_at_slot: int
    overlapping_active: int
    winner_is_racer: bool

    @property
    def ok(self) -> bool:
        return (
            self.outcomes["success"] == 1
            and self.outcomes["error"] == 0
            and self.outcomes["unexpected"] == 0
            and self.active_at_slot == 1
            and self.overlapping_active == 1
            and self.winner_is_racer
        )


def race_slot(data: BenchData) -> datetime.datetime:
    """An open slot of the chosen interviewer now, well past the notice period."""
    from django.utils import timezone

    from mockri.bookings.selectors import availabilities_for
    from mockri.catalogue.models import InterviewerProfile
    from mockri.scheduling.slots import open_slots

    now = timezone.now()
    profile = InterviewerProfile.objects.select_related("user").get(pk=data.interviewer_id)
    (availability,) = availabilities_for(interviewers=[profile], now=now)
    slots = open_slots(availability, duration=DURATION, now=now)
    return next(slot.start for slot in slots if slot.start >= now + POST_START_MARGIN)


def run_race(*, port: int, data: BenchData, cookies: Cookies) -> RaceResult:
    from django.db import close_old_connections

    from mockri.bookings.enums import ACTIVE_STATUSES
    from mockri.bookings.models import Booking

    close_old_connections()
    start = race_slot(data)
    barrier = threading.Barrier(len(data.racer_sessions))
    answers: list[tuple] = [("error", "no answer")] * len(data.racer_sessions)

    def racer(index: int, session_key: str) -> None:
        method, path, body, headers = booking_post(
            cookies=cookies, session_key=session_key, interviewer=data.interviewer_slug, start=start
        )
        connection = http.client.HTTPConnection(HOST, port, timeout=HTTP_TIMEOUT)
        try:
            connection.connect()
            barrier.wait(timeout=30)
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            response.read()
            answers[index] = (response.status, response.getheader("Location", ""))
        except (OSError, http.client.HTTPException, threading.BrokenBarrierError) as error:
            answers[index] = ("error", repr(error))
        finally:
            connection.close()

    threads = [
        threading.Thread(target=racer, args=(index, key))
        for index, key in enumerate(data.racer_sessions)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    outcomes: Counter = Counter()
    details: Counter = Counter()
    for status, location in answers:
        if status == "error":
            outcomes["error"] += 1
            details[f"connection error {location}"] += 1
        else:
            outcomes[classify_booking(status, location)] += 1
            target = location.split("?")[0] if status == 302 else ""
            if target.startswith("/bookings/"):
                target = "/bookings/<reference>/"
            details[f"{status} {target}".strip()] += 1

    close_old_connections()
    active = Booking.objects.filter(interviewer_id=data.interviewer_id, status__in=ACTIVE_STATUSES)
    at_slot = list(active.filter(starts_at=start).values_list("candidate_id", flat=True))
    overlapping = active.filter(starts_at__lt=start + DURATION, busy_until__gt=start).count()
    return RaceResult(
        start=start,
        outcomes=outcomes,
        details=[f"{count} x {detail}" for detail, count in details.most_common()],
        active_at_slot=len(at_slot),
        overlapping_active=overlapping,
        winner_is_racer=len(at_slot) == 1 and at_slot[0] in data.racer_ids,
    )


# --- Report ------------------------------------------------------------------------------------


def phase_line(result: PhaseResult, trivial: PhaseResult, target: float | None) -> str:
    share = 100 * result.per_second / trivial.per_second if trivial.per_second else 0.0
    verdict = ""
    if target is not None:
        verdict = f"target >= {target:.0f}%: {'met' if share >= target else 'MISSED'}"
    cpu_ms, trivial_cpu_ms = result.server_cpu_ms, trivial.server_cpu_ms
    cpu = cpu_share = "-"
    if cpu_ms and trivial_cpu_ms:
        cpu, cpu_share = f"{cpu_ms:.1f}", f"{100 * trivial_cpu_ms / cpu_ms:.1f}%"
    return (
        f"{result.name:28} {result.requests:>8} {result.per_second:>8.1f} "
        f"{result.percentile_ms(0.50):>7.1f} {result.percentile_ms(0.95):>7.1f} "
        f"{result.bad:>6} {share:>8.1f}% {cpu:>8} {cpu_share:>8}  {verdict}"
    )


HEADER = (
    f"{'scenario':28} {'requests':>8} {'req/s':>8} {'p50 ms':>7} {'p95 ms':>7} "
    f"{'bad':>6} {'%trivial':>9} {'cpu ms':>8} {'%triv.cpu':>8}"
)
LEGEND = (
    "bad: answers outside 2xx/3xx plus connection errors; %trivial: req/s against the trivial "
    "view's (the targets apply to it); cpu ms: gunicorn CPU per request; %triv.cpu: the trivial "
    "view's CPU per request against this one's, the ratio a busy machine disturbs least"
)


def report_phase(result: PhaseResult, trivial: PhaseResult, target: float | None) -> None:
    log(HEADER)
    log(phase_line(result, trivial, target))
    if result.statuses:
        log("  statuses: " + ", ".join(f"{s}: {n}" for s, n in sorted(result.statuses.items())))
    if result.outcomes:
        log("  outcomes: " + ", ".join(f"{k}: {n}" for k, n in result.outcomes.most_common()))
    if result.connection_errors:
        log(f"  connection errors: {result.connection_errors}")
    if result.exhausted:
        log("  ran out of prepared bookings before the time was up")


# --- Main --------------------------------------------------------------------------------------


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url",
        default="",
        help="postgres://… of a database to create and drop (default: SQLite in a temp dir)",
    )
    parser.add_argument(
        "--seconds", type=float, default=10.0, help="per load scenario, 1 to 20 (default 10)"
    )
    parser.add_argument("--threads", type=int, default=8, help="client threads, 1 to 32")
    args = parser.parse_args()
    args.seconds = min(max(args.seconds, 1.0), 20.0)
    args.threads = min(max(args.threads, 1), 32)
    return args


def main() -> int:
    args = parse_args()
    rng = random.Random(20260516)
    postgres = ThrowawayPostgres(args.database_url) if args.database_url else None
    var_dir = Path(tempfile.mkdtemp(prefix="mockri-bench-http-"))
    (var_dir / "static").mkdir()
    env = {
        "DJANGO_SETTINGS_MODULE": "bench.settings_bench",
        "VAR_DIR": str(var_dir),
        "SECRET_KEY": secrets.token_urlsafe(50),  # one key for this process and every worker
        "DATABASE_URL": args.database_url,
        "REDIS_URL": "",  # the database cache, as on a single machine
        "PYTHONUNBUFFERED": "1",
    }
    os.environ.update(env)
    server = None
    engine = "PostgreSQL" if postgres else "SQLite"
    log(f"Mockri booking over HTTP, {engine}, {args.seconds:g} s per scenario")
    results: dict[str, PhaseResult] = {}
    try:
        try:
            if postgres:
                postgres.create()
            log("Preparing the database")
            data = prepare_database(seconds=args.seconds, rng=rng)
            from django.conf import settings
            from django.db import connections

            connections.close_all()
            log(
                f"  {INTERVIEWERS} interviewers, {EXISTING_BOOKINGS} bookings over "
                f"{EXISTING_DAYS} days; {len(data.post_items)} candidates with an open start "
                f"each for the POST phase ({data.open_starts} starts had >= {POST_MIN_FREE} "
                f"interviewers free), {RACERS} racers"
            )
            server = Gunicorn(var_dir=var_dir, env={**os.environ, **env})
            server.start()
            log(f"gunicorn on {HOST}:{server.port}, 2 workers x 4 threads")
        except Exception as error:  # whatever went wrong: report it and exit 2
            log(f"Setup failed: {error!r}")
            if server is not None:
                log(server.log_tail())
            return 2

        cookies = Cookies(settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME)
        picker = f"/interviews/{TYPE_SLUG}/book/"
        any_paths = [f"{picker}?page=0", f"{picker}?page=1"]
        one_paths = [
            f"{picker}?{urlencode({'interviewer': data.interviewer_slug, 'page': page})}"
            for page in (0, 1)
        ]
        warm_up(server.port, ["/bench/trivial/", *any_paths, *one_paths], times=2 * args.threads)

        def get(paths):
            return lambda thread, n: ("GET", paths[(thread + n) % len(paths)], None, {})

        phases = [
            ("trivial", "trivial view", get(["/bench/trivial/"]), None, None),
            ("slots_any", "slot picker, any, 14 days", get(any_paths), None, "slots_any"),
            ("slots_one", "slot picker, one, 14 days", get(one_paths), None, None),
        ]
        post_queue = iter(data.post_items)
        post_lock = threading.Lock()

        def next_post(thread, n):
            with post_lock:
                item = next(post_queue, None)
            if item is None:
                return None
            session_key, start = item
            return booking_post(
                cookies=cookies, session_key=session_key, interviewer="any", start=start
            )

        phases.append(("post", "booking POST, any", next_post, classify_booking, "post"))
        for key, name, next_request, classify, target in phases:
            log(f"\nLoad: {name}, {args.threads} threads, {args.seconds:g} s")
            results[key] = run_phase(
                name,
                server=server,
                seconds=args.seconds,
                threads=args.threads,
                next_request=next_request,
                classify=classify,
            )
            report_phase(results[key], results["trivial"], TARGETS.get(target or ""))

        log(f"\nRace: {RACERS} candidates book the same slot with {data.interviewer_slug}")
        if not postgres:
            log(
                "  (SQLite serialises all writers; the meaningful race is the PostgreSQL run: "
                "--database-url)"
            )
        race = run_race(port=server.port, data=data, cookies=cookies)
        log(f"  slot {race.start.isoformat()}")
        log("  answers: " + "; ".join(race.details))
        log(
            f"  successes {race.outcomes['success']} (must be 1), clean refusals "
            f"{race.outcomes['refusal']}, errors {race.outcomes['error']} (must be 0), "
            f"unexpected {race.outcomes['unexpected']}"
        )
        log(
            f"  database: {race.active_at_slot} active booking(s) at the slot, "
            f"{race.overlapping_active} overlapping it for the interviewer (must be 1 and 1)"
        )
    finally:
        if server is not None:
            server.stop()
            blocks = server.tracebacks()
            if blocks:
                kinds = Counter(block.splitlines()[-1] for block in blocks)
                log(f"\nThe server logged {len(blocks)} traceback(s):")
                for kind, count in kinds.most_common():
                    log(f"  {count} x {kind}")
                log(f"The first:\n{blocks[0]}")
        from django.apps import apps

        if apps.ready:
            from django.db import connections

            connections.close_all()
        if postgres:
            try:
                postgres.drop()
            except Exception as error:  # never hide the error that brought us here
                log(f"Could not drop database {postgres.name!r}: {error!r}")
        shutil.rmtree(var_dir, ignore_errors=True)

    log(f"\nSummary ({engine}, {args.seconds:g} s per scenario, {args.threads} client threads)")
    log(HEADER)
    for key, result in results.items():
        log(phase_line(result, results["trivial"], TARGETS.get(key)))
    if "post" in results:
        outcomes = results["post"].outcomes
        log(
            f"{'':28} booking POSTs: {outcomes['success']} booked, {outcomes['refusal']} refused, "
            f"{outcomes['error']} errors, {outcomes['unexpected']} unexpected"
        )
    log(LEGEND)
    verdict = "OK" if race.ok else "WRONG"
    log(
        f"{'race, ' + str(RACERS) + ' candidates, 1 slot':28} {race.outcomes['success']} success, "
        f"{race.outcomes['refusal']} refused, {race.outcomes['error']} errors, "
        f"{race.active_at_slot} booking in the database: {verdict}"
        + ("" if postgres else " (SQLite; the meaningful run is on PostgreSQL)")
    )
    return 0 if race.ok else 1


if __name__ == "__main__":
    sys.exit(main())
