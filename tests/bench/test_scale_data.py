"""What bench/scale_out.py asserts can fail: its read-back (bench.scale_data.outcome) reports
each kind of breakage planted here. PostgreSQL only, like the bench (tstzrange overlaps)."""

import datetime

import pytest
from django.db import connection
from django.tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult, get_date_max

from bench.mail import CREATE_SEND_TABLE, SEND_TABLE
from bench.scale_data import outcome
from mockri.notifications.models import OutboxEmail, OutboxStatus
from tests.fixtures import NOW, SLOT, past_session

pytestmark = pytest.mark.django_db
HALF_HOUR = datetime.timedelta(minutes=30)


@pytest.fixture(autouse=True)
def _postgresql_with_the_send_table():
    if connection.vendor != "postgresql":
        pytest.skip("the scale-out bench runs on PostgreSQL")
    with connection.cursor() as cursor:
        cursor.execute(CREATE_SEND_TABLE)  # rolled back with the test


def read_back():
    return outcome(drained_at=NOW, started_at=NOW - datetime.timedelta(hours=1))


def test_outcome_reports_overlapping_active_bookings_of_one_interviewer_and_of_one_candidate(
    candidate, other_candidate, profile, other_profile, paid_type, now
):
    with connection.cursor() as cursor:  # what PostgreSQL would refuse, planted without it
        cursor.execute(
            "ALTER TABLE bookings_booking DROP CONSTRAINT booking_interviewer_no_overlap"
        )
        cursor.execute("ALTER TABLE bookings_booking DROP CONSTRAINT booking_candidate_no_overlap")
    paid_type.interviewers.add(other_profile)
    first = past_session(
        candidate=candidate,
        interviewer=profile,
        interview_type=paid_type,
        starts_at=SLOT,
        status="confirmed",
    )
    same_interviewer = past_session(
        candidate=other_candidate,
        interviewer=profile,
        interview_type=paid_type,
        starts_at=SLOT + HALF_HOUR,
        status="pending_payment",
    )
    same_candidate = past_session(
        candidate=candidate,
        interviewer=other_profile,
        interview_type=paid_type,
        starts_at=SLOT + HALF_HOUR,
        status="confirmed",
    )
    past_session(  # cancelled: overlaps, but frees its time
        candidate=other_candidate,
        interviewer=profile,
        interview_type=paid_type,
        starts_at=SLOT,
        status="cancelled",
    )

    found = read_back()

    assert found.violations == [
        "double booking: 1 pairs of active bookings of one interviewer overlap "
        f"(first: {first.reference} and {same_interviewer.reference})",
        "double booking: 1 pairs of active bookings of one candidate overlap "
        f"(first: {first.reference} and {same_candidate.reference})",
    ]


def test_outcome_reports_an_email_sent_twice_and_sent_rows_without_their_send(candidate, now):
    def email(key: str, status: str) -> OutboxEmail:
        return OutboxEmail.objects.create(
            kind="booking_confirmed",
            recipient=candidate,
            to_address=candidate.email,
            dedupe_key=key,
            subject="Booked",
            text_body="Booked.",
            html_body="<p>Booked.</p>",
            status=status,
        )

    twice = email("twice", OutboxStatus.SENT)
    once = email("once", OutboxStatus.SENT)
    email("never", OutboxStatus.SENT)  # marked sent, never sent
    queued = email("queued", OutboxStatus.QUEUED)
    with connection.cursor() as cursor:
        for sent in (twice, twice, once, queued):
            cursor.execute(
                f"INSERT INTO {SEND_TABLE} (idempotency_key, to_address, subject, pid) "  # noqa: S608 -- a constant
                "VALUES (%s, %s, %s, 1)",
                [sent.idempotency_key, sent.to_address, sent.subject],
            )

    found = read_back()

    assert found.figures["sends"] == 4
    assert found.violations == [
        "1 emails were sent more than once",
        "1 outbox rows are marked sent but were never sent",
        "1 emails were sent but their rows are not 'sent'",
    ]


def test_outcome_reports_tasks_claimed_twice_left_running_due_but_never_run_or_failed_silently(
    now,
):
    def task(status: str, *, run_after=None, worker_ids=(), started_after=None, error=""):
        row = DBTaskResult.objects.create(
            status=status,
            args_kwargs={"args": [], "kwargs": {}},
            task_path="mockri.notifications.tasks.outbox_send_task",
            backend_name="default",
            run_after=run_after or get_date_max(),
            worker_ids=list(worker_ids),
            exception_class_path=error,
            traceback="",
        )
        enqueued = NOW - datetime.timedelta(minutes=10)
        started = enqueued + started_after if started_after is not None else None
        DBTaskResult.objects.filter(pk=row.pk).update(enqueued_at=enqueued, started_at=started)
        return row.pk

    task(
        TaskResultStatus.SUCCESSFUL, worker_ids=["w1"], started_after=datetime.timedelta(seconds=2)
    )
    twice = task(
        TaskResultStatus.SUCCESSFUL,
        worker_ids=["w1", "w2"],
        started_after=datetime.timedelta(seconds=4),
    )
    running = task(TaskResultStatus.RUNNING, worker_ids=["w3"], started_after=datetime.timedelta())
    lost = task(TaskResultStatus.READY)
    task(TaskResultStatus.READY, run_after=NOW + datetime.timedelta(hours=1))
    silent = task(
        TaskResultStatus.FAILED, worker_ids=["w1"], started_after=datetime.timedelta(seconds=6)
    )
    task(  # failed with its reason: not a violation
        TaskResultStatus.FAILED,
        worker_ids=["w2"],
        started_after=datetime.timedelta(seconds=8),
        error="mockri.lib.errors.PolicyViolation",
    )

    found = read_back()

    assert sorted(found.violations) == sorted(
        [
            f"task {twice} (outbox_send_task) was claimed 2 times: w1, w2",
            f"task {running} (outbox_send_task) was left running",
            f"task {lost} (outbox_send_task) was due and never ran",
            f"task {silent} (outbox_send_task) failed with no reason recorded",
        ]
    )
    assert found.later == {"outbox_send_task": 1}
    assert found.figures["tasks_run"] == 4
    assert sorted(found.lags) == [2.0, 4.0, 6.0, 8.0]
