"""Running the task queue without a worker process: what Vercel Cron's endpoint does.

On Vercel nothing runs between requests, so a cron request (`views.cron_tasks`) reaps tasks a
killed invocation left running, makes sure each periodic chain has a run waiting, then drains due
tasks for a bounded time. On a plain server `manage.py db_worker` drains the same queue; both
claim with django-tasks-db's own query (`SELECT ... FOR UPDATE SKIP LOCKED`), so drains and
workers never run the same task. This lives in operations because the chain list imports the
tasks of payments, notifications, privacy and preparation, and operations is the app that may
read them all.

Relies on django-tasks-db internals (pinned in uv.lock, pinned by tests/operations/
test_task_queue.py): `DBTaskResult.objects.ready().get_locked()`, `DBTaskResult.claim()`,
`exclusive_transaction()` and `Worker.run_task()`, which records success or failure and sends
Django's task signals. `Worker.run()` itself is not used: the management command around it
installs signal handlers, which Python allows only on the main thread.
"""

import datetime
import logging
import time
import traceback
from collections.abc import Callable

from django.conf import settings
from django.db import OperationalError
from django.tasks import DEFAULT_TASK_BACKEND_ALIAS, TaskResultStatus
from django.utils.crypto import get_random_string
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction, is_locked_database_exception

from mockri.earnings.tasks import reliability_review_all_task
from mockri.lib.tasks import start_chain
from mockri.notifications.tasks import outbox_recover_task
from mockri.packs.tasks import packs_maintain_task
from mockri.payments.tasks import payments_reconcile_task
from mockri.preparation.tasks import interview_reminders_task
from mockri.privacy.tasks import retention_purge_task

logger = logging.getLogger(__name__)

# Self-rescheduling tasks: each enqueues its next run when it ends, so one waiting run is enough.
PERIODIC_CHAINS = (
    payments_reconcile_task,
    outbox_recover_task,
    retention_purge_task,
    interview_reminders_task,
    reliability_review_all_task,
    packs_maintain_task,
)


class TaskAbandoned(Exception):
    """A task was claimed but never finished, more often than we retry it."""


def task_chains_ensure() -> list[str]:
    """Start every periodic chain that has no run waiting or running (one lost to a failed
    enqueue, a killed invocation or a fresh database). Returns the names of those started.

    Side effects: at most one enqueued task per chain, even when cron requests overlap.
    """
    return [chain.name for chain in PERIODIC_CHAINS if start_chain(chain)]


def task_queue_maintain(*, now: datetime.datetime) -> dict:
    """What keeps the queue whole wherever tasks run: reap tasks left running by a killed
    process (a cron invocation at maxDuration, or a worker that crashed), then start any lost
    periodic chain. Vercel Cron runs it before each drain; a plain server, from a timer.

    Side effects: those of task_queue_reap and task_chains_ensure.
    """
    reaped = task_queue_reap(
        now=now,
        stale_after=datetime.timedelta(
            seconds=settings.TASK_MAX_DURATION_SECONDS + settings.TASK_REAP_MARGIN_SECONDS
        ),
        max_attempts=settings.TASK_MAX_ATTEMPTS,
    )
    return {"reaped": reaped, "chains_started": task_chains_ensure()}


def task_queue_reap(
    *, now: datetime.datetime, stale_after: datetime.timedelta, max_attempts: int
) -> dict[str, list[str]]:
    """Recover tasks left RUNNING for longer than any invocation can live (its process was
    killed at maxDuration, or the server restarted mid-task).

    Requeuing is safe because every Mockri task is idempotent: tasks take ids and re-read their
    rows, emails are claimed in the outbox before sending (and Resend gets an idempotency key),
    payments and refunds only move forward (refunds carry Razorpay's idempotency header),
    meetings carry Mockri's reference to find an earlier attempt's event, and the periodic
    chains only settle what is still pending. A task claimed `max_attempts` times
    without finishing is failed instead, with an error saying so, so one that always outlives
    its invocation cannot loop forever.

    Side effects: READY (to run again) or FAILED rows; each change is conditional on the row
    still being the same run, so a task finishing meanwhile is left alone.
    """
    requeued, failed = [], []
    stale = DBTaskResult.objects.running().filter(started_at__lt=now - stale_after)
    for result in stale.only("id", "started_at", "worker_ids", "task_path"):
        same_run = DBTaskResult.objects.filter(
            pk=result.pk, status=TaskResultStatus.RUNNING, started_at=result.started_at
        )
        if len(result.worker_ids) < max_attempts:
            if same_run.update(status=TaskResultStatus.READY, started_at=None):
                requeued.append(str(result.pk))
            continue
        error = TaskAbandoned(
            f"Claimed {len(result.worker_ids)} times and never finished: each run outlived "
            f"its invocation ({stale_after.total_seconds():.0f} s). Not retried again."
        )
        if same_run.update(
            status=TaskResultStatus.FAILED,
            finished_at=now,
            return_value=None,
            exception_class_path=f"{TaskAbandoned.__module__}.{TaskAbandoned.__qualname__}",
            traceback="".join(traceback.format_exception_only(error)),
        ):
            failed.append(str(result.pk))
    if requeued or failed:
        logger.warning("Reaped abandoned tasks: requeued %s, failed %s", requeued, failed)
    return {"requeued": requeued, "failed": failed}


def task_queue_drain(
    *,
    budget_seconds: float,
    backend_name: str = DEFAULT_TASK_BACKEND_ALIAS,
    clock: Callable[[], float] = time.monotonic,
) -> dict:
    """Run due tasks one at a time until none is due or `budget_seconds` have passed. The
    budget is checked before each claim, so a task started in time may finish after it: keep
    the budget under the invocation's limit by more than the longest task.

    Side effects: whatever the tasks do; each claimed row ends SUCCESSFUL or FAILED (or stays
    RUNNING if the process dies, for `task_queue_reap`).
    """
    worker_id = "cron-" + get_random_string(16)
    worker = Worker(
        queue_names=["*"],
        excluded_queue_names=[],
        interval=0,
        batch=True,
        backend_name=backend_name,
        startup_delay=False,
        max_tasks=None,
        worker_id=worker_id,
    )
    deadline = clock() + budget_seconds
    ran = []
    stopped = "budget"
    while clock() < deadline:
        try:
            claimed = _claim_next(backend_name=backend_name, worker_id=worker_id)
        except OperationalError as error:
            if not is_locked_database_exception(error):
                raise
            stopped = "locked"  # SQLite: another writer holds the database; next cron goes on
            break
        if claimed is None:
            stopped = "empty"
            break
        worker.run_task(claimed)
        ran.append({"id": str(claimed.pk), "task": claimed.task_name, "status": claimed.status})
    remaining = DBTaskResult.objects.ready().filter(backend_name=backend_name).count()
    return {
        "worker_id": worker_id,
        "ran": ran,
        "successful": sum(r["status"] == TaskResultStatus.SUCCESSFUL for r in ran),
        "failed": sum(r["status"] == TaskResultStatus.FAILED for r in ran),
        "remaining": remaining,
        "stopped": stopped,
    }


def _claim_next(*, backend_name: str, worker_id: str) -> DBTaskResult | None:
    """django-tasks-db's Worker.run() claim, step for step: lock one due row, skipping rows
    other drains hold, and mark it RUNNING before the transaction ends."""
    ready = DBTaskResult.objects.ready().filter(backend_name=backend_name)
    with exclusive_transaction(ready.db):
        result = ready.get_locked()
        if result is not None:
            result.claim(worker_id)
    return result
