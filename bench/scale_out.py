"""Scale-out under load: 4 web processes and 4 task workers, or 4 cron drains, on one PostgreSQL.

Run from the repository root (PostgreSQL on localhost; the databases are created and dropped):

    uv run python bench/scale_out.py [--mode both|worker|cron] [--seconds 60] [--quick]
        [--database-url postgres://postgres@localhost:5432/mockri_scale_bench]

What it does:
1. Seeds a throw-away database once (migrate, collectstatic, then with the ORM: a paid 60-minute
   and a free 30-minute interview type offered by 12 interviewers in three time zones, free
   09:00-21:00 local every day, and 300 signed-in candidates), then copies it for each mode, so
   both modes start from the same data.
2. Starts 4 gunicorn servers on 4 ports of 127.0.0.1, each 1 worker x 4 threads, with the load
   spread over them request by request. Four separate servers rather than one gunicorn with 4
   workers: like 4 machines or 4 Vercel instances they share nothing but PostgreSQL (no master,
   no listening socket), and a candidate's steps land on different ones.
3. Mode "worker": 4 `manage.py db_worker` processes, as a plain server runs them (their own poll
   interval, 1 s when idle). Mode "cron": no worker; 4 threads call /internal/cron/tasks/ with
   the CRON_SECRET bearer on those same servers, as Vercel Cron invokes the function; each call
   reaps, drains until the queue is empty or TASK_DRAIN_BUDGET_SECONDS (20 here) pass, and the
   thread calls again after --cron-interval seconds (2 by default). Vercel's finest schedule is a
   minute: in production, add up to the schedule's interval to the cron lag printed here.
4. Load for --seconds (60; 10 with --quick) from --clients threads (12). Each time, either a
   session booked so far is cancelled by its candidate (15%), or a random candidate books: the
   free type once (30% while it is unused), else the paid one, then pays through the test
   gateway (the pay page, the test checkout, and its signed callback to
   /payments/checkout/complete/, which confirms the booking; the gateway's signed webhooks
   follow as a task). Starts come from the 2 days ahead: 20% from the 40 soonest (interviewer,
   start) offers, 40% near a start the candidate favours (so a candidate's own bookings
   collide), the rest anywhere; 75% name the interviewer, the rest take "any". So bookings
   race for the same slots.
5. Drain-out: the workers or drains go on until no task is due or running (at most --drain-out
   seconds), then everything stops and the database is read back.

It prints bookings made, refusals, emails sent, tasks run, the task lag (from when a task could
start, its enqueued_at or a later run_after, to its started_at) at p50 and p99 per mode, the
web servers' CPU per request and the workers' CPU per task (from /proc), and the load
generator's own CPU. The load generator is plain threads on http.client: it measures
correctness and lag, not requests per second, and its CPU is printed beside the servers'.

It exits 1 when an invariant breaks: two active bookings of one interviewer (buffer included)
or of one candidate overlap; an outbox dedupe key is used twice, an email is sent twice (the fake
provider, bench/mail.py, records each send), or a row is marked sent without a send or the other
way round; a task due by the end of the drain-out is READY or RUNNING, failed without a recorded
reason, or was claimed more than once (django-tasks-db appends each claimer to worker_ids);
or a request got a 5xx. Exits 2 when the setup fails.
"""

import argparse
import importlib
import json
import os
import random
import re
import secrets
import shutil
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import django
from django.apps import apps
from django.conf import settings  # lazy: read once main() has set the environment up
from django.db import connections
from django.utils import timezone

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.harness import (
    Client,
    Cookies,
    DbWorker,
    Gunicorn,
    ThrowawayPostgres,
    booking_post,
    log,
)

DEFAULT_DATABASE_URL = "postgres://postgres@localhost:5432/mockri_scale_bench"
MODES = ("worker", "cron")
WEB_SERVERS = 4
WEB_THREADS = 4
TASK_RUNNERS = 4  # db_worker processes, or concurrent cron drains
INTERVIEWERS = 12
CANDIDATES = 300
CANCEL_SHARE = 0.15
FREE_SHARE = 0.30
ANY_SHARE = 0.25
POPULAR_SHARE = 0.2  # of bookings for one of the soonest POPULAR_OFFERS offers
POPULAR_OFFERS = 40
NEAR_SHARE = 0.4  # of bookings near the candidate's favoured start
NEAR_OFFERS = 8  # "near": this many offers either side in start order
DRAIN_BUDGET_SECONDS = 20
ORDER_RE = re.compile(rb'/payments/test-checkout/([A-Za-z0-9_]+)/"')
PAYMENT_RE = re.compile(rb'name="razorpay_payment_id" value="([A-Za-z0-9_]+)"')
SIGNATURE_RE = re.compile(rb'name="razorpay_signature" value="([0-9a-f]+)"')


# --- The load ----------------------------------------------------------------------------------


@dataclass
class Candidate:
    session_key: str
    favourite: float  # where in the offers (0..1) the candidate's favoured start lies
    free_used: bool = False


@dataclass
class Tally:
    """What the clients saw; one per thread, summed at the end."""

    outcomes: Counter = field(default_factory=Counter)
    statuses: Counter = field(default_factory=Counter)
    requests: int = 0

    def add(self, other: "Tally") -> None:
        self.outcomes.update(other.outcomes)
        self.statuses.update(other.statuses)
        self.requests += other.requests


class Session:
    """One client thread: keep-alive connections to every server, each request to a random one."""

    def __init__(self, ports: list[int], rng: random.Random) -> None:
        self.clients = [Client(port) for port in ports]
        self.rng = rng
        self.tally = Tally()

    def send(self, method: str, path: str, body: bytes | None, headers: dict):
        """(status, Location, body), or None on a connection error."""
        client = self.rng.choice(self.clients)
        self.tally.requests += 1
        try:
            status, location, content, _ = client.exchange(method, path, body, headers)
        except OSError:
            self.tally.outcomes["connection error"] += 1
            return None
        self.tally.statuses[status] += 1
        return status, location, content

    def close(self) -> None:
        for client in self.clients:
            client.close()


class Load:
    def __init__(self, *, ports: list[int], cookies: Cookies, data, seed: int) -> None:
        self.ports = ports
        self.cookies = cookies
        self.data = data
        rng = random.Random(seed)
        self.candidates = [
            Candidate(session_key=key, favourite=rng.random()) for key, _ in data.candidates
        ]
        self.seed = seed
        self.confirmed: list[tuple[Candidate, str]] = []  # what may be cancelled: (who, reference)
        self.lock = threading.Lock()

    def run(self, *, clients: int, stop: threading.Event) -> Tally:
        tallies = [Tally() for _ in range(clients)]

        def client(index: int) -> None:
            session = Session(self.ports, random.Random(self.seed * 1000 + index))
            while not stop.is_set():
                with self.lock:
                    booked = (
                        self.confirmed.pop(session.rng.randrange(len(self.confirmed)))
                        if self.confirmed and session.rng.random() < CANCEL_SHARE
                        else None
                    )
                if booked:
                    self.cancel(session, *booked)
                else:
                    self.book(session, session.rng.choice(self.candidates))
            session.close()
            tallies[index] = session.tally

        threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        total = Tally()
        for tally in tallies:
            total.add(tally)
        return total

    def book(self, session: Session, candidate: Candidate) -> None:
        rng = session.rng
        free = not candidate.free_used and rng.random() < FREE_SHARE
        offers = self.data.free if free else self.data.paid
        draw = rng.random()
        if draw < POPULAR_SHARE:
            index = rng.randrange(min(POPULAR_OFFERS, len(offers)))
        elif draw < POPULAR_SHARE + NEAR_SHARE:
            index = round(candidate.favourite * (len(offers) - 1))
            index = min(max(index + rng.randint(-NEAR_OFFERS, NEAR_OFFERS), 0), len(offers) - 1)
        else:
            index = rng.randrange(len(offers))
        offer = offers[index]
        request = booking_post(
            cookies=self.cookies,
            session_key=candidate.session_key,
            type_slug=offer.type_slug,
            interviewer="any" if rng.random() < ANY_SHARE else offer.interviewer,
            start=offer.start,
        )
        answer = session.send(*request)
        if answer is None:
            return
        status, location, _ = answer
        kind = "free" if free else "paid"
        if status == 302 and location.startswith("/bookings/"):
            reference = location.split("/")[2]
            if free:
                candidate.free_used = True
                session.tally.outcomes["booked free"] += 1
                with self.lock:
                    self.confirmed.append((candidate, reference))
            else:
                session.tally.outcomes["held paid"] += 1
                self.pay(session, candidate, reference)
        elif status == 302 and location.startswith("/interviews/"):
            session.tally.outcomes["refused: slot taken"] += 1
        elif status == 422:
            if free:
                candidate.free_used = True  # the allowance went to a booking made meanwhile
            session.tally.outcomes[f"refused: policy ({kind})"] += 1
        elif status == 429:
            session.tally.outcomes["refused: rate limit"] += 1
        else:
            session.tally.outcomes[f"booking answered {status}"] += 1

    def pay(self, session: Session, candidate: Candidate, reference: str) -> None:
        """The pay page, the test checkout's Pay button, then its signed callback."""
        cookie = {"Cookie": self.cookies.header(candidate.session_key)}
        answer = session.send("GET", f"/bookings/{reference}/pay/", None, cookie)
        order = answer and answer[0] == 200 and ORDER_RE.search(answer[2])
        if not order:
            session.tally.outcomes["payment: no order"] += 1
            return
        order_ref = order.group(1).decode()
        body, headers = self.cookies.form_post(candidate.session_key, {"outcome": "pay"})
        answer = session.send("POST", f"/payments/test-checkout/{order_ref}/", body, headers)
        payment = answer and answer[0] == 200 and PAYMENT_RE.search(answer[2])
        signature = answer and answer[0] == 200 and SIGNATURE_RE.search(answer[2])
        if not (payment and signature):
            session.tally.outcomes["payment: checkout failed"] += 1
            return
        body, headers = self.cookies.form_post(
            candidate.session_key,
            {
                "razorpay_order_id": order_ref,
                "razorpay_payment_id": payment.group(1).decode(),
                "razorpay_signature": signature.group(1).decode(),
            },
        )
        answer = session.send("POST", "/payments/checkout/complete/", body, headers)
        if answer and answer[0] == 302 and answer[1] == f"/bookings/{reference}/":
            session.tally.outcomes["paid"] += 1
            with self.lock:
                self.confirmed.append((candidate, reference))
        else:
            session.tally.outcomes["payment: callback refused"] += 1

    def cancel(self, session: Session, candidate: Candidate, reference: str) -> None:
        body, headers = self.cookies.form_post(candidate.session_key, {"reason": "Plans changed"})
        answer = session.send("POST", f"/bookings/{reference}/cancel/", body, headers)
        if answer and answer[0] == 302:
            session.tally.outcomes["cancel requests"] += 1
        elif answer:
            session.tally.outcomes[f"cancel answered {answer[0]}"] += 1


class CronDrains:
    """Vercel Cron's side: threads calling the drain endpoint, each again `interval` seconds
    after a call that emptied the queue (at once after one that used its whole budget)."""

    def __init__(self, *, ports: list[int], secret: str, interval: float) -> None:
        self.ports = ports
        self.headers = {"Authorization": f"Bearer {secret}"}
        self.interval = interval
        self.stop = threading.Event()
        self.tally = Tally()
        self.ran = 0
        self.lock = threading.Lock()
        self.threads: list[threading.Thread] = []

    def start(self, count: int) -> None:
        self.threads = [threading.Thread(target=self._loop, args=(i,)) for i in range(count)]
        for thread in self.threads:
            thread.start()

    def _loop(self, index: int) -> None:
        clients = [Client(port) for port in self.ports]
        calls = 0
        while not self.stop.is_set():
            client = clients[(index + calls) % len(clients)]
            calls += 1
            with self.lock:
                self.tally.requests += 1
            try:
                status, _, body, _ = client.exchange(
                    "GET", "/internal/cron/tasks/", None, self.headers
                )
            except OSError:
                with self.lock:
                    self.tally.outcomes["cron: connection error"] += 1
                self.stop.wait(self.interval)
                continue
            with self.lock:
                self.tally.statuses[status] += 1
                if status == 200:
                    answer = json.loads(body)
                    self.tally.outcomes["cron calls"] += 1
                    self.ran += len(answer["ran"])
                else:
                    self.tally.outcomes[f"cron answered {status}"] += 1
            if status != 200 or answer["stopped"] != "budget":
                self.stop.wait(self.interval)
        for client in clients:
            client.close()

    def finish(self) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join()


# --- One mode ----------------------------------------------------------------------------------


@dataclass
class ModeResult:
    mode: str
    tally: Tally
    outcome: object  # scale_data.Outcome
    web_cpu: float
    worker_cpu: float | None
    client_cpu: float
    load_seconds: float
    drain_seconds: float
    tracebacks: list[str]

    @property
    def requests(self) -> int:
        return self.tally.requests

    @property
    def server_errors(self) -> int:
        return sum(n for status, n in self.tally.statuses.items() if status >= 500)


def run_mode(mode: str, *, args, data, database: ThrowawayPostgres, base_env: dict, var_dir: Path):
    scale_data = importlib.import_module("bench.scale_data")
    env = {**base_env, "DATABASE_URL": database.url}
    connections.close_all()
    connections["default"].settings_dict["NAME"] = database.name
    mode_dir = var_dir / mode
    mode_dir.mkdir()
    servers = [
        Gunicorn(var_dir=mode_dir, env=env, workers=1, threads=WEB_THREADS, name=f"web{i}")
        for i in range(WEB_SERVERS)
    ]
    workers = [DbWorker(var_dir=mode_dir, env=env, name=f"worker{i}") for i in range(TASK_RUNNERS)]
    drains = CronDrains(
        ports=[server.port for server in servers],
        secret=env["CRON_SECRET"],
        interval=args.cron_interval,
    )
    try:
        for server in servers:
            server.spawn()
        for server in servers:
            server.wait_until_healthy(seconds=60)
        log(
            f"  {WEB_SERVERS} gunicorn servers (1 worker x {WEB_THREADS} threads) on ports "
            + ", ".join(str(server.port) for server in servers)
        )
        cookies = Cookies(settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME)
        load = Load(
            ports=[server.port for server in servers], cookies=cookies, data=data, seed=args.seed
        )
        web_cpu_before = sum(server.cpu_seconds() or 0 for server in servers)
        client_cpu_before = time.process_time()
        started_at = timezone.now()
        if mode == "worker":
            for worker in workers:
                worker.start()
            log(f"  {TASK_RUNNERS} db_worker processes")
        else:
            drains.start(TASK_RUNNERS)
            log(f"  {TASK_RUNNERS} cron drains, every {args.cron_interval:g} s once idle")
        stop = threading.Event()
        timer = threading.Timer(args.seconds, stop.set)
        load_started = time.monotonic()
        timer.start()
        log(f"  load: {args.clients} client threads for {args.seconds:g} s")
        tally = load.run(clients=args.clients, stop=stop)
        load_seconds = time.monotonic() - load_started

        drain_started = time.monotonic()
        deadline = drain_started + args.drain_out
        while True:
            now = timezone.now()
            outstanding = scale_data.tasks_outstanding(now=now)
            if outstanding == 0 or time.monotonic() > deadline:
                drained_at = now
                break
            time.sleep(0.5)
        drain_seconds = time.monotonic() - drain_started
        log(f"  drain-out: {drain_seconds:.1f} s, {outstanding} tasks outstanding at its end")
        drains.finish()
        worker_cpu = None
        if mode == "worker":
            worker_cpu = sum(worker.cpu_seconds() or 0 for worker in workers)
            for worker in workers:
                worker.stop(timeout=60)
        tally.add(drains.tally)
        web_cpu = sum(server.cpu_seconds() or 0 for server in servers) - web_cpu_before
        client_cpu = time.process_time() - client_cpu_before
    finally:
        drains.finish()
        for process in [*workers, *servers]:
            process.stop()
    tracebacks = [block for process in [*servers, *workers] for block in process.tracebacks()]
    outcome = scale_data.outcome(drained_at=drained_at, started_at=started_at)
    connections.close_all()
    return ModeResult(
        mode=mode,
        tally=tally,
        outcome=outcome,
        web_cpu=web_cpu,
        worker_cpu=worker_cpu,
        client_cpu=client_cpu,
        load_seconds=load_seconds,
        drain_seconds=drain_seconds,
        tracebacks=tracebacks,
    )


# --- Report ------------------------------------------------------------------------------------


def report(result: ModeResult, *, data) -> list[str]:
    """Prints the mode's figures; returns the invariants it broke."""
    outcome = result.outcome
    outcomes = result.tally.outcomes
    bookings = outcome.figures["bookings"]
    outbox = outcome.figures["outbox"]
    tasks_run = outcome.figures["tasks_run"]
    runner = "4 db_worker processes" if result.mode == "worker" else "4 cron drains"
    log(f"\n== {result.mode} mode: 4 web servers + {runner}, one PostgreSQL")
    log(
        f"load {result.load_seconds:.1f} s, drain-out {result.drain_seconds:.1f} s; "
        f"{result.requests} HTTP requests"
        + (f" (of which {outcomes['cron calls']} cron calls)" if result.mode == "cron" else "")
    )
    made = outcomes["booked free"] + outcomes["held paid"]
    log(
        f"bookings made: {made} ({outcomes['booked free']} free, {outcomes['held paid']} paid "
        f"holds, {outcomes['paid']} of them paid through the test gateway's signed callback); "
        f"cancel requests: {outcomes['cancel requests']}"
    )
    log(
        f"refusals: {outcomes['refused: slot taken']} slot taken (or the candidate already had a "
        f"session then), {outcomes['refused: policy (free)']} free allowance used, "
        f"{outcomes['refused: policy (paid)']} unpaid-hold cap, "
        f"{outcomes['refused: rate limit']} rate-limited"
    )
    other = {
        k: n
        for k, n in outcomes.items()
        if not k.startswith(("refused", "booked", "held", "paid", "cancel requests", "cron calls"))
    }
    if other:
        log("other answers: " + ", ".join(f"{n} {k}" for k, n in sorted(other.items())))
    log(
        "bookings in the database: "
        + ", ".join(f"{n} {status}" for status, n in sorted(bookings.items()))
        + f" (of {len(data.paid)} paid and {len(data.free)} free offers open at the start)"
    )
    log(
        f"emails sent: {outbox.get('sent', 0)} outbox rows sent, "
        f"{outcome.figures['sends']} sends at the fake provider; outbox: "
        + ", ".join(f"{n} {status}" for status, n in sorted(outbox.items()))
    )
    log(
        f"tasks run: {tasks_run} ({outcome.task_counts['SUCCESSFUL']} successful, "
        f"{outcome.task_counts['FAILED']} failed) by {outcome.figures['claimers']} "
        + ("workers" if result.mode == "worker" else "drain calls")
        + f"; {sum(outcome.later.values())} scheduled for later (not due): "
        + ", ".join(f"{n} {name}" for name, n in outcome.later.most_common())
    )
    if outcome.failed:
        log("  failed: " + "; ".join(f"{n} x {k}" for k, n in outcome.failed.most_common()))
    log(f"task lag ({result.mode}), due to started: {outcome.lag_line()}")
    web_ms = 1000 * result.web_cpu / result.requests if result.requests else float("nan")
    cpu = f"server CPU: web {result.web_cpu:.1f} s, {web_ms:.1f} ms/request"
    if result.worker_cpu is not None:
        per_task = 1000 * result.worker_cpu / tasks_run if tasks_run else float("nan")
        cpu += f"; workers {result.worker_cpu:.1f} s, {per_task:.1f} ms/task"
    else:
        cpu += " (the web servers also ran the tasks)"
    client_ms = 1000 * result.client_cpu / result.requests if result.requests else float("nan")
    log(f"{cpu}; load generator {result.client_cpu:.1f} s, {client_ms:.1f} ms/request")
    violations = list(outcome.violations)
    if result.server_errors:
        violations.append(f"{result.server_errors} requests answered 5xx")
    if result.tracebacks:
        kinds = Counter(block.splitlines()[-1] for block in result.tracebacks)
        log(f"the servers and workers logged {len(result.tracebacks)} traceback(s):")
        for kind, count in kinds.most_common():
            log(f"  {count} x {kind}")
        log(f"the first:\n{result.tracebacks[0]}")
    if made == 0 or tasks_run == 0 or not outbox.get("sent"):
        violations.append("the load made no booking, ran no task or sent no email")
    for violation in violations[:20]:
        log(f"  VIOLATION: {violation}")
    log(
        f"invariants ({result.mode}): "
        + ("OK" if not violations else f"{len(violations)} BROKEN")
        + " (no double booking, no email sent twice, no task lost or run twice)"
    )
    return violations


# --- Main --------------------------------------------------------------------------------------


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url",
        default=DEFAULT_DATABASE_URL,
        help=f"a local PostgreSQL database to create and drop, with copies per mode "
        f"(default {DEFAULT_DATABASE_URL})",
    )
    parser.add_argument("--mode", choices=[*MODES, "both"], default="both")
    parser.add_argument("--seconds", type=float, default=60.0, help="load per mode (default 60)")
    parser.add_argument("--quick", action="store_true", help="a 10-second smoke run per mode")
    parser.add_argument("--clients", type=int, default=12, help="client threads (default 12)")
    parser.add_argument(
        "--cron-interval",
        type=float,
        default=2.0,
        help="seconds a cron drain waits after emptying the queue (default 2)",
    )
    parser.add_argument(
        "--drain-out",
        type=float,
        default=90.0,
        help="at most this long for the queue to empty after the load (default 90)",
    )
    parser.add_argument("--seed", type=int, default=20260516)
    args = parser.parse_args()
    if args.quick:
        args.seconds = 10.0
    args.seconds = min(max(args.seconds, 1.0), 600.0)
    args.clients = min(max(args.clients, 1), 64)
    args.cron_interval = min(max(args.cron_interval, 0.0), 60.0)
    return args


def main() -> int:
    args = parse_args()
    base = ThrowawayPostgres(args.database_url)
    modes = MODES if args.mode == "both" else (args.mode,)
    copies = {mode: base.sibling(mode) for mode in modes}
    var_dir = Path(tempfile.mkdtemp(prefix="mockri-bench-scale-"))
    (var_dir / "static").mkdir()
    env = {
        "DJANGO_SETTINGS_MODULE": "bench.settings_scale",
        "VAR_DIR": str(var_dir),
        "SECRET_KEY": secrets.token_urlsafe(50),  # one key for this process and every server
        "DATABASE_URL": base.url,
        "REDIS_URL": "",  # the database cache: rate limits shared through PostgreSQL
        "CRON_SECRET": secrets.token_urlsafe(32),
        "TASK_MAX_DURATION_SECONDS": "60",
        "TASK_DRAIN_BUDGET_SECONDS": str(DRAIN_BUDGET_SECONDS),
        "PYTHONUNBUFFERED": "1",
    }
    os.environ.update(env)
    log(
        f"Mockri scale-out: {', '.join(modes)} mode(s), {args.seconds:g} s of load each, "
        f"{args.clients} client threads; load average {os.getloadavg()[0]:.2f} "
        f"on {os.cpu_count()} CPUs"
    )
    results: list[ModeResult] = []
    failures: dict[str, list[str]] = {}
    try:
        try:
            base.create()
            django.setup()  # its settings read the environment set above
            # Models can be imported only now.
            scale_data = importlib.import_module("bench.scale_data")

            started = time.perf_counter()
            data = scale_data.prepare(
                interviewers=INTERVIEWERS,
                candidates=CANDIDATES,
                rng=random.Random(args.seed),
            )
            connections.close_all()
            log(
                f"Seeded in {time.perf_counter() - started:.1f} s: {INTERVIEWERS} interviewers, "
                f"{len(data.paid)} paid and {len(data.free)} free open (interviewer, start) "
                f"offers over {scale_data.HOT_DAYS} days, {CANDIDATES} signed-in candidates"
            )
        except Exception as error:  # whatever went wrong: report it and exit 2
            log(f"Setup failed: {error!r}")
            return 2
        for mode in modes:
            log(f"\n{mode} mode")
            copies[mode].create(template=base)
            try:
                result = run_mode(
                    mode, args=args, data=data, database=copies[mode], base_env=env, var_dir=var_dir
                )
            except RuntimeError as error:  # a server that did not start: a setup failure
                log(f"Setup failed: {error}")
                return 2
            finally:
                connections.close_all()
                copies[mode].drop()
            results.append(result)
            failures[mode] = report(result, data=data)
    finally:
        if apps.ready:
            connections.close_all()
        for database in [*copies.values(), base]:
            try:
                database.drop()
            except Exception as error:  # never hide the error that brought us here
                log(f"Could not drop database {database.name!r}: {error!r}")
        shutil.rmtree(var_dir, ignore_errors=True)

    log(f"\nSummary ({args.seconds:g} s of load per mode; load average {os.getloadavg()[0]:.2f})")
    for result in results:
        log(f"task lag, {result.mode:6}: {result.outcome.lag_line()}")
    broken = {mode: found for mode, found in failures.items() if found}
    log("invariants: " + ("OK" if not broken else "BROKEN in " + ", ".join(broken)))
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main())
