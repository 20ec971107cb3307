"""Every HTTP figure in one run, with wrk: the slot picker, the directory and the booking POST
against the trivial view, at 20, 200 and 1,000 interviewers, then the slot engine as a ratio.

Run from the repository root (PostgreSQL on localhost; the database is created and dropped, so
its name must contain "bench"):

    uv run --frozen python bench/run_all.py \
        --database-url postgres://postgres@localhost:5432/mockri_bench_all \
        [--sizes 20,200,1000] [--seconds 5] [--redis-url redis://127.0.0.1:6379/13] \
        [--compare-with 7ea8f4a]

--compare-with REV measures an earlier commit in the same run: its code (git archive, with this
bench copied over it) is seeded and served the same way, size by size just before this code, in
its own database (the name with "_baseline"), and a table puts both side by side. 7ea8f4a is the
code issue #13 was measured on.

For each size: a fresh database with N interviewers offering one paid 60-minute type (three
zones, open 06:00-23:00 every day, 60 days of horizon) and 50 bookings each (25 past, 25 in the
coming 60 days), signed-in candidates, then gunicorn (2 workers x 4 threads, DEBUG=False,
the database cache unless --redis-url). Each scenario runs three times (--rounds), each time right
after the trivial view, and each figure is the median of its runs (one disturbed run moves no
figure), so every ratio compares figures taken a few seconds apart on the same machine:
  - GET pages with `wrk -t2 -c32` (a Lua script rotates paths and session cookies); wrk costs
    little CPU per request, so the trivial view is not held down by its own client;
  - the booking POST, which needs a fresh candidate and start per request, with the Python
    client threads of bench/booking_http.py; its fair ratio is server CPU per request;
  - the POST floor: the same body by the same threads to a view that only writes one UPDATE
    (bench/urls.py), what any signed-in form POST pays before its own work.
Server CPU per request is gunicorn's (workers included) utime+stime from /proc, before and after
each run; PostgreSQL's own CPU is not in it. Query counts come from Django's test client in this
process against the same database, on a warm cache.
wrk is Debian's package: installed with apt-get when missing (never by the app).
"""

import argparse
import dataclasses
import datetime
import itertools
import json
import logging
import os
import random
import re
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import zoneinfo
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.booking_http import classify_booking, run_phase
from bench.harness import HOST, ROOT, Cookies, Gunicorn, ThrowawayPostgres, booking_post, log

TYPE_SLUG = "bench-coding"
ZONES = ["Asia/Kolkata", "Europe/London", "America/New_York"]
DURATION = datetime.timedelta(minutes=60)
HORIZON_DAYS = 60
BOOKINGS_PER_INTERVIEWER = 50  # 1,000 interviewers: 50,000 bookings
VIEWERS = 40  # signed-in candidates whose sessions the signed-in GETs rotate through
POST_THREADS = 8
POSTS_PER_SECOND_CAP = 120
PICKER = f"/interviews/{TYPE_SLUG}/book/"
TRIVIAL = "/bench/trivial/"
POST_FLOOR = "/bench/post-floor/"
DIRECTORY = "/interviewers/"
_UNIT_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0}
LUA = """
local lines = {}
for line in io.lines(os.getenv("MOCKRI_WRK_REQUESTS")) do lines[#lines + 1] = line end
local n = 0
request = function()
  n = n + 1
  local line = lines[(n % #lines) + 1]
  local tab = string.find(line, "\\t")
  if tab then
    return wrk.format("GET", string.sub(line, 1, tab - 1), {Cookie = string.sub(line, tab + 1)})
  end
  return wrk.format("GET", line)
end
"""


# --- Data --------------------------------------------------------------------------------------


@dataclass
class Data:
    one_slug: str
    viewer_sessions: list[str]
    posts: list[tuple[str, datetime.datetime]]
    bookings: int


def seed(*, interviewers: int, posts: int) -> Data:
    import django  # noqa: PLC0415 — settings come from the environment main() sets

    django.setup()
    from django.core.management import call_command  # noqa: PLC0415 — after django.setup()
    from django.db import transaction  # noqa: PLC0415 — same

    logging.disable(logging.INFO)  # this process's own requests (query counts) log nothing

    call_command("migrate", verbosity=0, interactive=False)
    call_command("collectstatic", verbosity=0, interactive=False)
    with transaction.atomic():
        return _seed(interviewers=interviewers, posts=posts)


def _seed(*, interviewers: int, posts: int) -> Data:
    from django.utils import timezone  # noqa: PLC0415 — after django.setup()

    from bench.seeding import bench_interviewers, signed_in_candidates  # noqa: PLC0415 — same
    from mockri.accounts.models import User  # noqa: PLC0415 — same
    from mockri.bookings.models import Booking  # noqa: PLC0415 — same
    from mockri.bookings.selectors import (  # noqa: PLC0415 — same
        availabilities_for,
        interviewers_offering,
    )
    from mockri.catalogue.models import InterviewerProfile, InterviewType  # noqa: PLC0415 — same
    from mockri.scheduling.slots import open_slots_by_start  # noqa: PLC0415 — same

    now = timezone.now()
    kind = InterviewType.objects.create(
        slug=TYPE_SLUG,
        name="Coding (bench)",
        summary="A paid 60-minute coding round.",
        description="Benchmark data.",
        duration_minutes=60,
        price_paise=149_900,
        position=1,
    )
    profiles = bench_interviewers(
        interviewers, zones=ZONES, buffer_minutes=15, max_sessions_per_day=12, hours=(6, 23)
    )
    InterviewerProfile.objects.update(horizon_days=HORIZON_DAYS)
    kind.interviewers.add(*profiles)
    # One candidate per interviewer, so a candidate's sessions never overlap either.
    candidates = User.objects.bulk_create(
        User(email=f"booked{n:05d}@bench.test", full_name=f"Booked {n}")
        for n in range(interviewers)
    )
    rows = []
    half = BOOKINGS_PER_INTERVIEWER // 2
    for n, (profile, candidate) in enumerate(zip(profiles, candidates, strict=True)):
        zone = zoneinfo.ZoneInfo(ZONES[n % len(ZONES)])
        today = now.astimezone(zone).date()
        for k in range(BOOKINGS_PER_INTERVIEWER):
            # Upcoming ones every other day from tomorrow, past ones every day back.
            day = today + datetime.timedelta(days=2 * k + 1 if k < half else -(k - half + 1))
            local = datetime.datetime.combine(day, datetime.time(8 + (k + n) % 12), zone)
            start = local.astimezone(datetime.UTC)
            rows.append(
                Booking(
                    candidate=candidate,
                    interviewer=profile,
                    interview_type=kind,
                    status="confirmed" if start > now else "completed",
                    starts_at=start,
                    ends_at=start + DURATION,
                    busy_until=start + DURATION + datetime.timedelta(minutes=15),
                    price_paise=kind.price_paise,
                )
            )
    Booking.objects.bulk_create(rows, batch_size=2000)
    # The bulk writes skipped the model signals that keep the table of open starts: build it,
    # as `manage.py open_starts_rebuild` would after such a load (code older than the table,
    # measured with --compare-with, has none).
    try:
        from mockri.bookings.open_starts import open_starts_rebuild  # noqa: PLC0415 — same
    except ImportError:
        pass
    else:
        rebuild_started = time.perf_counter()
        open_starts = open_starts_rebuild(now=now)
        log(f"open starts: {open_starts:,} rows in {time.perf_counter() - rebuild_started:.1f} s")

    # The POSTs' starts: open now with several interviewers free, far apart from each other.
    by_start = open_slots_by_start(
        availabilities_for(interviewers=interviewers_offering(interview_type=kind), now=now),
        duration=DURATION,
        now=now,
        until=now + datetime.timedelta(days=HORIZON_DAYS - 1),
    )
    margin = now + datetime.timedelta(hours=3)
    starts = [start for start, free in by_start.items() if start >= margin and len(free) >= 2]
    starts = [start for offset in range(37) for start in starts[offset::37]][:posts]
    post_users = signed_in_candidates("post", len(starts), zones=ZONES)
    viewers = signed_in_candidates("viewer", VIEWERS, zones=ZONES)
    return Data(
        one_slug=profiles[0].slug,
        viewer_sessions=[key for key, _ in viewers],
        posts=[(key, start) for (key, _), start in zip(post_users, starts, strict=True)],
        bookings=len(rows),
    )


def query_counts(data: Data, session_cookie: str) -> dict[str, int]:
    """Queries per request on a warm cache (the fewer of the second and third of three requests:
    a page is computed again when the minute turns between two), in this process."""
    from django.db import connection  # noqa: PLC0415 — after django.setup()
    from django.test import Client  # noqa: PLC0415 — same
    from django.test.utils import CaptureQueriesContext  # noqa: PLC0415 — same

    visitor = Client(HTTP_HOST=HOST)
    signed_in = Client(HTTP_HOST=HOST)
    signed_in.cookies[session_cookie] = data.viewer_sessions[0]
    pages = {
        "slots_any_visitor": (visitor, f"{PICKER}?page=0"),
        "trivial_signed_in": (signed_in, TRIVIAL),
        "slots_any_signed_in": (signed_in, f"{PICKER}?page=0"),
        "slots_one_visitor": (visitor, f"{PICKER}?{urlencode({'interviewer': data.one_slug})}"),
        "directory": (visitor, DIRECTORY),
    }
    counts = {}
    for name, (client, path) in pages.items():
        warm = []
        for _ in range(3):
            with CaptureQueriesContext(connection) as queries:
                response = client.get(path)
            assert response.status_code == 200, (path, response.status_code)
            warm.append(len(queries))
        counts[name] = min(warm[1:])
    return counts


# --- Load --------------------------------------------------------------------------------------


@dataclass
class Run:
    rps: float
    p50: float
    p99: float
    cpu_ms: float
    bad: int


@dataclass
class Figures:
    runs: list[Run] = field(default_factory=list)
    trivial: list[Run] = field(default_factory=list)  # the trivial run just before each

    def share(self) -> float:
        """Median of each run's req/s against its own trivial run's, in percent."""
        return statistics.median(
            100 * r.rps / t.rps if t.rps else 0.0
            for r, t in zip(self.runs, self.trivial, strict=True)
        )

    def cpu_share(self) -> float:
        """Median of the trivial run's CPU per request against this one's, in percent."""
        return statistics.median(
            [
                100 * t.cpu_ms / r.cpu_ms
                for r, t in zip(self.runs, self.trivial, strict=True)
                if r.cpu_ms
            ]
            or [0]
        )

    def median(self, name: str) -> float:
        return statistics.median(getattr(r, name) for r in self.runs)


def ensure_wrk() -> str:
    found = shutil.which("wrk")
    if found:
        return found
    log("wrk not found: installing Debian's package")
    subprocess.run(["apt-get", "install", "-y", "-q", "wrk"], check=True)  # noqa: S607
    return shutil.which("wrk") or "/usr/bin/wrk"


def wait_until_idle(server: Gunicorn, *, limit: float = 90.0) -> float:
    """Wait until gunicorn stops working on requests a run gave up on (wrk drops a request
    after its timeout, the server finishes it anyway), so they do not slow the next run down.
    Returns the seconds waited."""
    started = time.monotonic()
    before = server.cpu_seconds() or 0.0
    while time.monotonic() - started < limit:
        time.sleep(0.5)
        now = server.cpu_seconds() or 0.0
        if now - before < 0.05:  # under a tenth of a core: idle
            break
        before = now
    return time.monotonic() - started


def wrk(wrk_path: str, server: Gunicorn, lines: list[str], *, seconds: float, var_dir) -> Run:
    wait_until_idle(server)
    requests_file = var_dir / "wrk-requests.txt"
    requests_file.write_text("\n".join(lines) + "\n")
    script = var_dir / "rotate.lua"
    script.write_text(LUA)
    before = server.cpu_seconds() or 0.0
    out = subprocess.run(  # noqa: S603 — our own fixed command
        [
            wrk_path,
            "-t2",
            "-c32",
            f"-d{max(int(seconds), 1)}s",
            "--latency",
            "--timeout",
            "10s",
            "-s",
            str(script),
            f"http://{HOST}:{server.port}",
        ],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "MOCKRI_WRK_REQUESTS": str(requests_file)},
    ).stdout
    cpu = (server.cpu_seconds() or 0.0) - before

    def latency(percent: str) -> float:
        value, unit = re.search(rf"^\s*{percent}%\s+([\d.]+)(us|ms|s)\s*$", out, re.M).groups()
        return float(value) * _UNIT_MS[unit]

    requests = int(re.search(r"(\d+) requests in", out).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket_errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out
    )
    bad = int(errors.group(1)) if errors else 0
    if socket_errors:
        bad += sum(int(n) for n in socket_errors.groups())
    return Run(
        rps=float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        p50=latency("50"),
        p99=latency("99"),
        cpu_ms=1000 * cpu / max(requests, 1),
        bad=bad,
    )


def post_run(server: Gunicorn, queue, cookies: Cookies, *, seconds: float) -> Run:
    # The candidates this run may post as: as they would be after loading the details page.
    batch = list(itertools.islice(queue, int(POSTS_PER_SECOND_CAP * seconds)))
    sessions_seen_now(key for key, _ in batch)
    queue = iter(batch)
    wait_until_idle(server)
    lock = threading.Lock()

    def next_post(thread, n):
        with lock:
            item = next(queue, None)
        if item is None:
            return None
        session_key, start = item
        return booking_post(
            cookies=cookies,
            session_key=session_key,
            type_slug=TYPE_SLUG,
            interviewer="any",
            start=start,
        )

    return _post_figures(
        run_phase(
            "booking POST",
            server=server,
            seconds=seconds,
            threads=POST_THREADS,
            next_request=next_post,
            classify=classify_booking,
        )
    )


def sessions_seen_now(keys) -> None:
    """Stamp these sessions as the details page a candidate loads before posting leaves them
    (accounts.middleware's idle clock, read a moment ago), so that a POST does not pay a write
    a real one never pays: the sessions were seeded minutes before the POSTs."""
    from importlib import import_module  # noqa: PLC0415 — after django.setup()

    from django.conf import settings  # noqa: PLC0415 — same

    from mockri.accounts.middleware import SESSION_SEEN_AT  # noqa: PLC0415 — same

    store = import_module(settings.SESSION_ENGINE).SessionStore
    now = int(time.time())
    for key in keys:
        session = store(key)
        session[SESSION_SEEN_AT] = now
        session.save()


def post_floor_run(server: Gunicorn, sessions: list[str], cookies: Cookies, *, seconds) -> Run:
    """The booking POST's body, posted to bench.urls.post_floor by the same client threads, the
    viewers' sessions in turn (seen within the minute, as the booking POST's are: neither pays
    the idle clock's write)."""
    wait_until_idle(server)
    start = datetime.datetime(2030, 1, 1, tzinfo=datetime.UTC)  # read by nobody

    def next_post(thread, n):
        _, _, body, headers = booking_post(
            cookies=cookies,
            session_key=sessions[(thread + n * POST_THREADS) % len(sessions)],
            type_slug=TYPE_SLUG,
            interviewer="any",
            start=start,
        )
        return "POST", POST_FLOOR, body, headers

    return _post_figures(
        run_phase(
            "POST floor",
            server=server,
            seconds=seconds,
            threads=POST_THREADS,
            next_request=next_post,
            classify=lambda status, location: (
                "success" if status == 302 and location == TRIVIAL else "unexpected"
            ),
        )
    )


def _post_figures(result) -> Run:
    refused = result.outcomes["refusal"] + result.outcomes["error"] + result.outcomes["unexpected"]
    return Run(
        rps=result.per_second,
        p50=result.percentile_ms(0.5),
        p99=result.percentile_ms(0.99),
        cpu_ms=result.server_cpu_ms or 0.0,
        bad=refused + result.connection_errors,
    )


# --- One size ----------------------------------------------------------------------------------


def run_size(args, size: int, wrk_path: str, var_dir: Path) -> tuple[dict, dict[str, int]]:
    postgres = ThrowawayPostgres(args.database_url)
    env = {
        "DJANGO_SETTINGS_MODULE": "bench.settings_bench",
        "VAR_DIR": str(var_dir),
        "SECRET_KEY": os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50)),
        "DATABASE_URL": args.database_url,
        "REDIS_URL": args.redis_url,
        "PYTHONUNBUFFERED": "1",
    }
    os.environ.update(env)
    server = None
    try:
        postgres.create()
        posts = int(POSTS_PER_SECOND_CAP * args.seconds * args.rounds)
        started = time.perf_counter()
        data = seed(interviewers=size, posts=posts)
        from django.conf import settings  # noqa: PLC0415 — after seed() set Django up
        from django.core.cache import cache  # noqa: PLC0415 — same
        from django.db import connections  # noqa: PLC0415 — same

        cache.clear()
        log(
            f"\n== {size} interviewers, {data.bookings:,} bookings, {HORIZON_DAYS}-day horizon "
            f"(seeded in {time.perf_counter() - started:.0f} s) =="
        )
        queries = query_counts(data, settings.SESSION_COOKIE_NAME)
        connections.close_all()
        server = Gunicorn(var_dir=var_dir, env={**os.environ, **env})
        server.start()
        cookies = Cookies(settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME)
        any_paths = [f"{PICKER}?page=0", f"{PICKER}?page=1"]
        one = urlencode({"interviewer": data.one_slug})
        scenarios = {
            "slots_any_visitor": any_paths,
            # What signing in costs any page (the session and the user read): the ceiling of
            # every signed-in page's share.
            "trivial_signed_in": [
                f"{TRIVIAL}\t{cookies.header(key)}" for key in data.viewer_sessions
            ],
            "slots_any_signed_in": [
                f"{path}\t{cookies.header(key)}"
                for key in data.viewer_sessions
                for path in any_paths
            ],
            "slots_one_visitor": [f"{PICKER}?{one}&page=0", f"{PICKER}?{one}&page=1"],
            "directory": [DIRECTORY],
        }
        runs = [*scenarios.items(), ("booking_post", None), ("post_floor", None)]
        runs = [(name, lines) for name, lines in runs if not args.only or name in args.only]
        # Untimed: every worker loads its code and every page is in the cache once.
        wrk(wrk_path, server, [TRIVIAL], seconds=1, var_dir=var_dir)
        for _, lines in runs:
            if lines is not None:
                wrk(wrk_path, server, lines, seconds=2, var_dir=var_dir)
        figures = {name: Figures() for name, _ in runs}
        post_queue = iter(data.posts)
        for _ in range(args.rounds):
            for name, lines in runs:
                trivial = wrk(wrk_path, server, [TRIVIAL], seconds=args.seconds, var_dir=var_dir)
                if name == "post_floor":
                    run = post_floor_run(
                        server, data.viewer_sessions, cookies, seconds=args.seconds
                    )
                elif lines is None:
                    run = post_run(server, post_queue, cookies, seconds=args.seconds)
                else:
                    run = wrk(wrk_path, server, lines, seconds=args.seconds, var_dir=var_dir)
                figures[name].trivial.append(trivial)
                figures[name].runs.append(run)
        queries["booking_post"] = post_query_count(data, cookies)
        return figures, queries
    finally:
        if server is not None:
            server.stop()
        from django.apps import apps  # noqa: PLC0415 — Django may not be set up yet

        if apps.ready:
            from django.db import connections  # noqa: PLC0415 — same

            connections.close_all()
        postgres.drop()


def post_query_count(data: Data, cookies: Cookies) -> int:
    """Queries of one successful booking POST, in this process, on a start nobody took."""
    from django.db import connection  # noqa: PLC0415 — after django.setup()
    from django.test import Client  # noqa: PLC0415 — same
    from django.test.utils import CaptureQueriesContext  # noqa: PLC0415 — same

    from mockri.bookings.models import Booking  # noqa: PLC0415 — same

    taken = set(Booking.objects.values_list("starts_at", flat=True))
    fresh = [(key, start) for key, start in reversed(data.posts) if start not in taken]
    if not fresh:
        return -1
    session_key, start = fresh[0]
    sessions_seen_now([session_key])
    method, path, body, headers = booking_post(
        cookies=cookies,
        session_key=session_key,
        type_slug=TYPE_SLUG,
        interviewer="any",
        start=start,
    )
    try:
        from mockri.operations.funnel import funnel_flush  # noqa: PLC0415 — same
    except ImportError:  # older code (--compare-with) writes each view at once
        pass
    else:
        funnel_flush()  # the page views tallied by the GETs above: not this POST's own queries
    client = Client(HTTP_HOST=HOST)
    with CaptureQueriesContext(connection) as queries:
        response = client.generic(
            method,
            path,
            body,
            content_type=headers["Content-Type"],
            headers={"Cookie": headers["Cookie"]},
        )
    return len(queries) if response.status_code == 302 else -response.status_code


# --- An earlier commit, measured in the same run ----------------------------------------------


def current_revision() -> str:
    return (
        subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],  # noqa: S607 — the repository's own git
            capture_output=True,
            text=True,
            check=False,
            cwd=ROOT,
        ).stdout.strip()
        or "working tree"
    )


def export_baseline(revision: str, var_dir: Path) -> Path:
    """The commit's files (git archive), with this bench copied over its own, so both are driven
    by the same scenarios and data."""
    target = var_dir / "baseline"
    target.mkdir()
    archive = subprocess.run(  # noqa: S603 — a revision the person running the bench named
        ["git", "archive", "--format=tar", revision],  # noqa: S607 — the repository's own git
        capture_output=True,
        check=True,
        cwd=ROOT,
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(target)], input=archive, check=True)  # noqa: S603, S607
    for script in (ROOT / "bench").glob("*.py"):
        shutil.copy(script, target / "bench" / script.name)
    return target


def run_baseline(args, size: int, baseline_dir: Path, var_dir: Path):
    """One size of the earlier commit, in a child process running its code (this process has
    set Django up with this code's), in its own database."""
    out = var_dir / f"baseline-{size}.json"
    name = args.database_url.rsplit("/", 1)
    subprocess.run(  # noqa: S603 — this script, run on the earlier code
        [
            sys.executable,
            "bench/run_all.py",
            "--database-url",
            f"{name[0]}/{name[1]}_baseline",
            "--redis-url",
            args.redis_url,
            "--sizes",
            str(size),
            "--seconds",
            str(args.seconds),
            "--rounds",
            str(args.rounds),
            "--no-engine",
            "--only",
            ",".join(args.only),
            "--json",
            str(out),
        ],
        cwd=baseline_dir,
        env={key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"},
        check=True,
    )
    figures, queries = json.loads(out.read_text())[str(size)]
    return (
        {
            scenario: Figures(
                runs=[Run(**run) for run in kept["runs"]],
                trivial=[Run(**run) for run in kept["trivial"]],
            )
            for scenario, kept in figures.items()
        },
        queries,
    )


def as_json(figures: dict[str, Figures], queries: dict[str, int]) -> list:
    return [{name: dataclasses.asdict(f) for name, f in figures.items()}, queries]


# --- The slot engine ---------------------------------------------------------------------------


def reference_work() -> int:
    """A fixed pure-Python computation: what the engine's time is divided by."""
    rng = random.Random(7)
    values = [rng.random() for _ in range(100_000)]
    values.sort()
    return sum(int(v * 1000) % 7 for v in values)


def slot_engine_ratio(repeats: int = 9) -> str:
    from bench.slot_engine import DURATION as ENGINE_DURATION  # noqa: PLC0415 — optional part
    from bench.slot_engine import NOW, build_interviewers  # noqa: PLC0415 — same
    from mockri.scheduling.slots import open_slots_by_start  # noqa: PLC0415 — same

    interviewers = build_interviewers(random.Random(2026))
    open_slots_by_start(interviewers, duration=ENGINE_DURATION, now=NOW)  # zone offsets cached
    engine, reference = [], []
    for _ in range(repeats):  # interleaved, so a busy moment slows both
        started = time.perf_counter()
        reference_work()
        reference.append(time.perf_counter() - started)
        started = time.perf_counter()
        open_slots_by_start(interviewers, duration=ENGINE_DURATION, now=NOW)
        engine.append(time.perf_counter() - started)
    ratio = statistics.median(e / r for e, r in zip(engine, reference, strict=True))
    return (
        f"slot engine, 50 interviewers x 30 days, 5,000 bookings: median "
        f"{1000 * statistics.median(engine):.1f} ms = {ratio:.2f} x the reference computation "
        f"(sorting 100,000 floats: median {1000 * statistics.median(reference):.1f} ms)"
    )


# --- Report ------------------------------------------------------------------------------------

LABELS = {
    "trivial_signed_in": "trivial view, signed in",
    "slots_any_visitor": "slot picker, any, visitor",
    "slots_any_signed_in": "slot picker, any, signed in",
    "slots_one_visitor": "slot picker, one, visitor",
    "directory": "interviewer directory",
    "booking_post": "booking POST (8 threads)",
    "post_floor": "POST floor: one UPDATE",
}


def report_size(figures: dict[str, Figures], queries: dict[str, int]) -> None:
    trivial = [run for f in figures.values() for run in f.trivial]
    log(
        f"{'page':30} {'req/s':>8} {'%triv':>6} {'p50 ms':>7} {'p99 ms':>7} {'cpu ms':>7} "
        f"{'%triv.cpu':>9} {'queries':>7} {'bad':>4}"
    )
    log(
        f"{'trivial view (all its runs)':30} {statistics.median(r.rps for r in trivial):>8.0f} "
        f"{'100%':>6} {statistics.median(r.p50 for r in trivial):>7.1f} "
        f"{statistics.median(r.p99 for r in trivial):>7.1f} "
        f"{statistics.median(r.cpu_ms for r in trivial):>7.2f} {'100%':>9} {'':>7} "
        f"{sum(r.bad for r in trivial):>4}"
    )
    for name, f in figures.items():
        log(
            f"{LABELS[name]:30} {f.median('rps'):>8.0f} {f.share():>5.1f}% {f.median('p50'):>7.1f} "
            f"{f.median('p99'):>7.1f} {f.median('cpu_ms'):>7.2f} {f.cpu_share():>8.1f}% "
            f"{queries.get(name, ''):>7} {sum(r.bad for r in f.runs):>4}"
        )


def report_comparison(size: int, revision: str, before, after) -> None:
    """Each page of both codes against its own trivial view: req/s share, CPU ms, queries."""
    log(
        f"\n{size} interviewers, {revision} -> now: % of the trivial view's req/s | CPU ms per "
        "request | queries"
    )
    for name in [name for name in LABELS if name in after[0]]:
        cells = []
        for figures, queries in (before, after):
            f = figures[name]
            cpu, count = f.median("cpu_ms"), queries.get(name, "")
            cells.append(f"{f.share():>5.1f}% {cpu:>8.2f} {count:>4}")
        log(f"{LABELS[name]:30} {cells[0]:>22}  ->  {cells[1]:>22}")


def report_scaling(results: dict[int, tuple[dict[str, Figures], dict[str, int]]]) -> None:
    sizes = list(results)
    log("\nScaling: %trivial req/s | %trivial CPU per request | CPU ms per request | queries")
    log(f"{'page':30} " + " ".join(f"{f'{size} interviewers':>30}" for size in sizes))
    for name in [name for name in LABELS if name in results[sizes[0]][0]]:
        cells = []
        for size in sizes:
            figures, queries = results[size]
            f = figures[name]
            cells.append(
                f"{f.share():>5.1f}% {f.cpu_share():>5.1f}% {f.median('cpu_ms'):>7.2f} "
                f"{queries.get(name, ''):>5}"
            )
        log(f"{LABELS[name]:30} " + " ".join(f"{cell:>30}" for cell in cells))


# Issue #13's targets, each under wrk -c32 against the trivial view measured beside it.
TARGETS = (
    ("slots_any_visitor", "share", 50.0, "(a) slot picker, any, visitor, req/s"),
    ("slots_any_signed_in", "share", 30.0, "(b) slot picker, any, signed in, req/s"),
    ("booking_post", "cpu_share", 10.0, "(c) booking POST, CPU per request"),
)


def target_lines(figures: dict[str, Figures]) -> list[str]:
    """Each measured target's figure and whether it is met; then the booking POST's CPU against
    the POST floor's, which shows how much of the POST is its own work."""
    lines = []
    for name, measure, wanted, label in TARGETS:
        if name in figures:
            value = getattr(figures[name], measure)()
            verdict = "met" if value >= wanted else "NOT met"
            lines.append(f"{label:40} {value:>5.1f}% (target >= {wanted:g}%): {verdict}")
    if {"booking_post", "post_floor"} <= figures.keys():
        floor = figures["post_floor"].median("cpu_ms")
        if floor:
            ratio = figures["booking_post"].median("cpu_ms") / floor
            lines.append(f"{'booking POST against the POST floor':40} {ratio:>5.1f} x its CPU")
    return lines


def report_targets(results: dict[int, tuple[dict[str, Figures], dict[str, int]]]) -> None:
    log("\nIssue #13's targets (medians of the rounds)")
    for size, (figures, _) in results.items():
        for line in target_lines(figures):
            log(f"{size:>5} interviewers  {line}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--redis-url", default="", help="the cache (default: the database's)")
    parser.add_argument("--sizes", default="20,200,1000")
    parser.add_argument("--seconds", type=float, default=5.0, help="per run, 1 to 20")
    parser.add_argument(
        "--rounds", type=int, default=3, help="runs of each scenario (medians are printed)"
    )
    parser.add_argument("--no-engine", action="store_true", help="skip the slot engine ratio")
    parser.add_argument(
        "--compare-with", default="", metavar="REV", help="also measure this commit, size by size"
    )
    parser.add_argument(
        "--only",
        default="",
        metavar="NAMES",
        help=f"measure only these scenarios (comma-separated: {', '.join(LABELS)})",
    )
    parser.add_argument("--json", default="", help=argparse.SUPPRESS)  # a baseline's figures
    args = parser.parse_args()
    args.seconds = min(max(args.seconds, 1.0), 20.0)
    args.rounds = min(max(args.rounds, 1), 9)
    args.only = {name for name in args.only.split(",") if name}
    if args.only - LABELS.keys():
        parser.error(f"--only: unknown {', '.join(sorted(args.only - LABELS.keys()))}")
    ThrowawayPostgres(args.database_url)  # refuses a remote or non-bench database up front
    wrk_path = ensure_wrk()
    sizes = [int(size) for size in args.sizes.split(",")]
    cache_name = f"Redis {args.redis_url}" if args.redis_url else "the database cache"
    log(
        f"Mockri over HTTP: PostgreSQL, {cache_name}, gunicorn 2 workers x 4 threads, wrk -t2 "
        f"-c32, {args.seconds:g} s per run; load average {load_average()}"
    )
    results, baseline = {}, {}
    var_dir = Path(tempfile.mkdtemp(prefix="mockri-bench-all-"))
    (var_dir / "static").mkdir()
    try:
        baseline_dir = export_baseline(args.compare_with, var_dir) if args.compare_with else None
        for size in sizes:
            if baseline_dir is not None:
                log(f"\n-- {args.compare_with}, the code compared with --")
                baseline[size] = run_baseline(args, size, baseline_dir, var_dir)
                log(f"\n-- this code ({current_revision()}) --")
            results[size] = run_size(args, size, wrk_path, var_dir)
            report_size(*results[size])
            log(f"load average {load_average()}")
            if baseline_dir is not None:
                report_comparison(size, args.compare_with, baseline[size], results[size])
    finally:
        shutil.rmtree(var_dir, ignore_errors=True)
    if args.json:
        Path(args.json).write_text(json.dumps({size: as_json(*results[size]) for size in sizes}))
    if len(sizes) > 1:
        report_scaling(results)
        if baseline:
            log(f"\n{args.compare_with}:")
            report_scaling(baseline)
    report_targets(results)
    if not args.no_engine:
        log("\n" + slot_engine_ratio())
    log(
        "\n%triv: req/s against the trivial view's run just before (median of the runs); "
        "%triv.cpu: the trivial view's gunicorn CPU per request against this one's; queries: per "
        "request on a warm cache (the booking POST: one that books)"
    )
    return 0


def load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


if __name__ == "__main__":
    sys.exit(main())
