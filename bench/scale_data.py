"""bench/scale_out.py's database side: the marketplace it seeds, and the figures and invariants
it reads back once the load and the queue are done. Imported once Django is set up."""

import datetime
import random
import statistics
from collections import Counter
from dataclasses import dataclass, field

from django.core.management import call_command
from django.db import connection, transaction
from django.db.models import Count, Q
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult, get_date_max

from bench.mail import CREATE_SEND_TABLE, SEND_TABLE
from bench.seeding import bench_interviewers, signed_in_candidates
from mockri.bookings.enums import ACTIVE_STATUSES
from mockri.bookings.models import Booking
from mockri.bookings.selectors import availabilities_for
from mockri.catalogue.models import InterviewType
from mockri.notifications.models import OutboxEmail, OutboxStatus
from mockri.scheduling.slots import open_slots

ZONES = ["Asia/Kolkata", "Europe/London", "America/New_York"]
PAID_SLUG, FREE_SLUG = "bench-paid", "bench-free"
START_MARGIN = datetime.timedelta(hours=3)  # well past the 60-minute notice during the run
HOT_DAYS = 2  # every offered start lies within this many days: bookings compete for them


@dataclass
class Offer:
    """A start one interviewer had open for a type when the data was made."""

    type_slug: str
    interviewer: str
    start: datetime.datetime


@dataclass
class ScaleData:
    paid: list[Offer]
    free: list[Offer]
    candidates: list[tuple[str, int]]  # (session key, user id)


def prepare(*, interviewers: int, candidates: int, rng: random.Random) -> ScaleData:
    call_command("migrate", verbosity=0, interactive=False)
    call_command("collectstatic", verbosity=0, interactive=False)
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(CREATE_SEND_TABLE)
        return _seed(interviewers=interviewers, candidates=candidates, rng=rng)


def _seed(*, interviewers: int, candidates: int, rng: random.Random) -> ScaleData:
    now = timezone.now()
    paid = InterviewType.objects.create(
        slug=PAID_SLUG,
        name="Coding (bench)",
        summary="A paid 60-minute coding round.",
        description="Benchmark data.",
        duration_minutes=60,
        price_paise=149_900,
        position=1,
    )
    free = InterviewType.objects.create(
        slug=FREE_SLUG,
        name="Intro (bench)",
        summary="A free 30-minute introduction.",
        description="Benchmark data.",
        duration_minutes=30,
        price_paise=0,
        position=2,
    )
    profiles = bench_interviewers(
        interviewers, zones=ZONES, buffer_minutes=15, max_sessions_per_day=8, hours=(9, 21)
    )
    paid.interviewers.add(*profiles)
    free.interviewers.add(*profiles)
    slugs = {profile.pk: profile.slug for profile in profiles}
    offers: dict[str, list[Offer]] = {PAID_SLUG: [], FREE_SLUG: []}
    for availability in availabilities_for(interviewers=profiles, now=now):
        for interview_type in (paid, free):
            for slot in open_slots(
                availability,
                duration=datetime.timedelta(minutes=interview_type.duration_minutes),
                now=now,
                until=now + datetime.timedelta(days=HOT_DAYS),
            ):
                if slot.start >= now + START_MARGIN:
                    offers[interview_type.slug].append(
                        Offer(interview_type.slug, slugs[availability.interviewer_id], slot.start)
                    )
    for listed in offers.values():
        listed.sort(key=lambda offer: offer.start)
    return ScaleData(
        paid=offers[PAID_SLUG],
        free=offers[FREE_SLUG],
        candidates=signed_in_candidates("candidate", candidates, zones=ZONES),
    )


# --- Reading back --------------------------------------------------------------------------------


def tasks_outstanding(*, now: datetime.datetime) -> int:
    """Tasks due by `now` that have not finished: READY and due, or RUNNING."""
    return (
        DBTaskResult.objects.filter(status=TaskResultStatus.READY)
        .filter(Q(run_after=get_date_max()) | Q(run_after__lte=now))
        .count()
        + DBTaskResult.objects.running().count()
    )


def _due_at(result: DBTaskResult) -> datetime.datetime:
    """When a task could first start: when it was enqueued, or its run_after if later."""
    if result.run_after == get_date_max():
        return result.enqueued_at
    return max(result.enqueued_at, result.run_after)


def percentile(values: list[float], fraction: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


@dataclass
class Outcome:
    """What the database holds after a run, and which of the invariants it breaks."""

    figures: dict = field(default_factory=dict)
    lags: list[float] = field(default_factory=list)
    task_counts: Counter = field(default_factory=Counter)
    later: Counter = field(default_factory=Counter)  # scheduled past the drain-out, by task
    failed: Counter = field(default_factory=Counter)  # by task and exception
    violations: list[str] = field(default_factory=list)

    def lag_line(self) -> str:
        if not self.lags:
            return "no task started"
        return (
            f"p50 {1000 * percentile(self.lags, 0.50):.0f} ms, "
            f"p99 {1000 * percentile(self.lags, 0.99):.0f} ms, "
            f"max {1000 * max(self.lags):.0f} ms over {len(self.lags)} tasks "
            f"(mean {1000 * statistics.fmean(self.lags):.0f} ms)"
        )


def outcome(*, drained_at: datetime.datetime, started_at: datetime.datetime) -> Outcome:
    result = Outcome()
    _bookings(result)
    _emails(result)
    _tasks(result, drained_at=drained_at, started_at=started_at)
    return result


def _bookings(result: Outcome) -> None:
    statuses = Counter(Booking.objects.values_list("status", flat=True))
    result.figures["bookings"] = statuses
    table = Booking._meta.db_table
    active = [str(status) for status in ACTIVE_STATUSES]
    # Each booking's own rule, as the exclusion constraints state it: an interviewer's bookings
    # may not overlap buffer included, a candidate's may not overlap at all.
    for owner, end, label in (
        ("interviewer_id", "busy_until", "interviewer"),
        ("candidate_id", "ends_at", "candidate"),
    ):
        with connection.cursor() as cursor:
            cursor.execute(
                f"""
                SELECT a.reference, b.reference FROM {table} a JOIN {table} b
                  ON a.{owner} = b.{owner} AND a.id < b.id
                 AND tstzrange(a.starts_at, a.{end}, '[)') && tstzrange(b.starts_at, b.{end}, '[)')
                 WHERE a.status = ANY(%s) AND b.status = ANY(%s)
                """,  # noqa: S608 -- table and column names are our constants
                [active, active],
            )
            pairs = cursor.fetchall()
        if pairs:
            result.violations.append(
                f"double booking: {len(pairs)} pairs of active bookings of one {label} overlap "
                f"(first: {pairs[0][0]} and {pairs[0][1]})"
            )


def _emails(result: Outcome) -> None:
    statuses = Counter(OutboxEmail.objects.values_list("status", flat=True))
    result.figures["outbox"] = statuses
    repeated_keys = (
        OutboxEmail.objects.values("dedupe_key").annotate(n=Count("id")).filter(n__gt=1).count()
    )
    if repeated_keys:
        result.violations.append(f"{repeated_keys} outbox dedupe keys are used more than once")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT idempotency_key, count(*) FROM {SEND_TABLE} GROUP BY 1")  # noqa: S608 -- a constant
        sends = dict(cursor.fetchall())
    result.figures["sends"] = sum(sends.values())
    twice = {key: n for key, n in sends.items() if n > 1}
    if twice:
        result.violations.append(f"{len(twice)} emails were sent more than once")
    sent_keys = {
        email.idempotency_key
        for email in OutboxEmail.objects.filter(status=OutboxStatus.SENT).only("kind", "dedupe_key")
    }
    unsent = len(sent_keys - sends.keys())
    unrecorded = len(sends.keys() - sent_keys)
    if unsent:
        result.violations.append(f"{unsent} outbox rows are marked sent but were never sent")
    if unrecorded:
        result.violations.append(f"{unrecorded} emails were sent but their rows are not 'sent'")


def _tasks(
    result: Outcome, *, drained_at: datetime.datetime, started_at: datetime.datetime
) -> None:
    rows = DBTaskResult.objects.only(
        "status",
        "enqueued_at",
        "started_at",
        "run_after",
        "worker_ids",
        "task_path",
        "exception_class_path",
    )
    for row in rows:
        name = row.task_path.rsplit(".", 1)[-1]
        result.task_counts[row.status] += 1
        due = _due_at(row)
        finished = row.status in (TaskResultStatus.SUCCESSFUL, TaskResultStatus.FAILED)
        if finished and row.started_at is not None and row.started_at >= started_at:
            result.lags.append((row.started_at - due).total_seconds())
        if row.status == TaskResultStatus.FAILED:
            result.failed[f"{name}: {row.exception_class_path or 'no reason recorded'}"] += 1
            if not row.exception_class_path:
                result.violations.append(f"task {row.pk} ({name}) failed with no reason recorded")
        if row.status == TaskResultStatus.RUNNING:
            result.violations.append(f"task {row.pk} ({name}) was left running")
        elif row.status == TaskResultStatus.READY:
            if due <= drained_at:
                result.violations.append(f"task {row.pk} ({name}) was due and never ran")
            else:
                result.later[name] += 1
        if len(row.worker_ids) > 1:
            result.violations.append(
                f"task {row.pk} ({name}) was claimed {len(row.worker_ids)} times: "
                f"{', '.join(row.worker_ids)}"
            )
    result.figures["tasks_run"] = (
        result.task_counts[TaskResultStatus.SUCCESSFUL]
        + result.task_counts[TaskResultStatus.FAILED]
    )
    result.figures["claimers"] = len(
        {
            worker
            for ids in DBTaskResult.objects.values_list("worker_ids", flat=True)
            for worker in ids
        }
    )
