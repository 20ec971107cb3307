"""Draining the task queue without a worker process (mockri.operations.task_queue)."""

import datetime
import io
import threading
from importlib.metadata import version

import pytest
from django.core.management import call_command
from django.db import connection, connections
from django.tasks import TaskResultStatus, task
from django_tasks_db.models import DBTaskResult

from mockri.operations.task_queue import task_chains_ensure, task_queue_drain, task_queue_reap

pytestmark = pytest.mark.django_db
CHAINS = [
    "payments_reconcile_task",
    "outbox_recover_task",
    "retention_purge_task",
    "interview_reminders_task",
    "reliability_review_all_task",
    "packs_maintain_task",
]


class FakeClock:
    def __init__(self):
        self.seconds = 1000.0

    def __call__(self) -> float:
        return self.seconds


CLOCK = FakeClock()
RUNS: list[str] = []


@task
def record(*, label: str) -> str:
    RUNS.append(label)
    return label


@task
def slow(*, label: str) -> None:
    """Takes 10 seconds of the fake clock."""
    RUNS.append(label)
    CLOCK.seconds += 10


@task
def explode() -> None:
    raise ValueError("no such booking")


@pytest.fixture(autouse=True)
def _fresh_runs():
    RUNS.clear()
    yield
    RUNS.clear()


def enqueue(task_, **kwargs):
    return task_.using(backend="database").enqueue(**kwargs)


def test_the_drain_relies_on_the_pinned_django_tasks_db_internals():
    # task_queue reuses Worker.run_task, get_locked(), claim() and exclusive_transaction(): an
    # upgrade must be read against them first.
    assert version("django-tasks-db") == "0.13.0"


def test_drain_runs_due_tasks_in_order_and_leaves_deferred_ones(now):
    first = enqueue(record, label="first")
    second = enqueue(record, label="second")
    later = record.using(backend="database", run_after=now + datetime.timedelta(hours=1))
    deferred = later.enqueue(label="later")

    report = task_queue_drain(budget_seconds=60, backend_name="database", clock=CLOCK)

    assert RUNS == ["first", "second"]
    assert report == {
        "worker_id": report["worker_id"],
        "ran": [
            {"id": first.id, "task": "record", "status": "SUCCESSFUL"},
            {"id": second.id, "task": "record", "status": "SUCCESSFUL"},
        ],
        "successful": 2,
        "failed": 0,
        "remaining": 0,
        "stopped": "empty",
    }
    row = DBTaskResult.objects.get(pk=first.id)
    assert (row.status, row.return_value, row.worker_ids) == (
        TaskResultStatus.SUCCESSFUL,
        "first",
        [report["worker_id"]],
    )
    assert DBTaskResult.objects.get(pk=deferred.id).status == TaskResultStatus.READY


def test_drain_records_a_failing_task_as_failed_and_goes_on():
    failing = enqueue(explode)
    enqueue(record, label="after")

    report = task_queue_drain(budget_seconds=60, backend_name="database", clock=CLOCK)

    assert [r["status"] for r in report["ran"]] == ["FAILED", "SUCCESSFUL"]
    assert (report["successful"], report["failed"]) == (1, 1)
    row = DBTaskResult.objects.get(pk=failing.id)
    assert row.exception_class_path == "builtins.ValueError"
    assert "no such booking" in row.traceback
    assert RUNS == ["after"]


def test_drain_stops_claiming_when_the_budget_is_spent():
    for label in "abcde":
        enqueue(slow, label=label)

    # Claims at 0, 10 and 20 seconds are inside a 25-second budget; at 30 it stops.
    report = task_queue_drain(budget_seconds=25, backend_name="database", clock=CLOCK)

    assert RUNS == ["a", "b", "c"]
    assert (len(report["ran"]), report["remaining"], report["stopped"]) == (3, 2, "budget")
    assert DBTaskResult.objects.filter(status=TaskResultStatus.READY).count() == 2


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite has one writer at a time")
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_drains_never_run_the_same_task():
    ids = {enqueue(record, label=str(n)).id for n in range(40)}
    reports = []
    start = threading.Barrier(2)

    def drain():
        try:
            start.wait(timeout=10)
            reports.append(task_queue_drain(budget_seconds=60, backend_name="database"))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=drain) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    ran = [r["id"] for report in reports for r in report["ran"]]
    assert sorted(ran) == sorted(ids)  # every task once: none twice, none lost
    assert len(RUNS) == 40
    assert all(
        len(worker_ids) == 1
        for worker_ids in DBTaskResult.objects.values_list("worker_ids", flat=True)
    )


def running(*, started_at, claims: int):
    result = enqueue(record, label="killed")
    DBTaskResult.objects.filter(pk=result.id).update(
        status=TaskResultStatus.RUNNING,
        started_at=started_at,
        worker_ids=[f"cron-{n}" for n in range(claims)],
    )
    return result.id


def test_reaper_requeues_a_task_running_longer_than_an_invocation_can_live(now):
    stale = running(started_at=now - datetime.timedelta(seconds=361), claims=1)
    alive = running(started_at=now - datetime.timedelta(seconds=359), claims=1)

    reaped = task_queue_reap(now=now, stale_after=datetime.timedelta(seconds=360), max_attempts=3)

    assert reaped == {"requeued": [stale], "failed": []}
    row = DBTaskResult.objects.get(pk=stale)
    assert (row.status, row.started_at) == (TaskResultStatus.READY, None)
    assert DBTaskResult.objects.get(pk=alive).status == TaskResultStatus.RUNNING
    task_queue_drain(budget_seconds=60, backend_name="database", clock=CLOCK)
    assert RUNS == ["killed"]


def test_reaper_fails_a_task_killed_at_every_attempt_with_the_reason(now):
    stale = running(started_at=now - datetime.timedelta(hours=1), claims=3)

    reaped = task_queue_reap(now=now, stale_after=datetime.timedelta(seconds=360), max_attempts=3)

    assert reaped == {"requeued": [], "failed": [stale]}
    row = DBTaskResult.objects.get(pk=stale)
    assert (row.status, row.finished_at) == (TaskResultStatus.FAILED, now)
    assert row.exception_class_path == "mockri.operations.task_queue.TaskAbandoned"
    assert row.traceback == (
        "mockri.operations.task_queue.TaskAbandoned: Claimed 3 times and never finished: each "
        "run outlived its invocation (360 s). Not retried again.\n"
    )


def test_periodic_chains_are_started_when_missing_and_only_once(database_queue):
    assert task_chains_ensure() == CHAINS
    assert task_chains_ensure() == []

    paths = sorted(DBTaskResult.objects.values_list("task_path", flat=True))
    assert paths == [
        "mockri.earnings.tasks.reliability_review_all_task",
        "mockri.notifications.tasks.outbox_recover_task",
        "mockri.packs.tasks.packs_maintain_task",
        "mockri.payments.tasks.payments_reconcile_task",
        "mockri.preparation.tasks.interview_reminders_task",
        "mockri.privacy.tasks.retention_purge_task",
    ]


def test_tasks_maintain_requeues_what_a_crashed_worker_left_and_starts_the_chains(now):
    # What a plain server's timer runs: a worker killed mid-task six minutes ago.
    stale = running(started_at=now - datetime.timedelta(seconds=361), claims=1)
    out = io.StringIO()

    call_command("tasks_maintain", stdout=out)

    assert DBTaskResult.objects.get(pk=stale).status == TaskResultStatus.READY
    assert out.getvalue() == (
        "Requeued 1 and failed 0 abandoned tasks; started chains: payments_reconcile_task, "
        "outbox_recover_task, retention_purge_task, interview_reminders_task, "
        "reliability_review_all_task, packs_maintain_task.\n"
    )


def test_a_running_chain_is_not_started_again(database_queue):
    task_chains_ensure()
    DBTaskResult.objects.filter(task_path__endswith="payments_reconcile_task").update(
        status=TaskResultStatus.RUNNING
    )

    assert task_chains_ensure() == []
    assert DBTaskResult.objects.count() == len(CHAINS)


def test_a_chain_lost_to_a_failure_is_started_again(database_queue):
    task_chains_ensure()
    DBTaskResult.objects.filter(task_path__endswith="retention_purge_task").update(
        status=TaskResultStatus.FAILED
    )

    assert task_chains_ensure() == ["retention_purge_task"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite has one writer at a time")
@pytest.mark.django_db(transaction=True)
def test_concurrent_cron_calls_start_each_chain_once(database_queue):
    start = threading.Barrier(4)

    def ensure():
        try:
            start.wait(timeout=10)
            task_chains_ensure()
        finally:
            connections.close_all()

    threads = [threading.Thread(target=ensure) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert DBTaskResult.objects.count() == len(CHAINS)
