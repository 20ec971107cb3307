import zlib

from django.db import connection, transaction
from django.tasks import Task, TaskResultStatus
from django_tasks_db.models import DBTaskResult

# Key space of transaction-scoped advisory locks: bookings use kinds 1 and 2 (bits 60-61).
_CHAIN_LOCK_KIND = 3


@transaction.atomic
def start_chain(task: Task) -> bool:
    """Enqueue a self-rescheduling task unless a run of it is already waiting (READY includes a
    run deferred to later) or running (it enqueues its successor when it ends). True when it
    was started now.

    Safe when several callers race (cron drains overlap): on PostgreSQL they queue behind a
    transaction-scoped advisory lock per task, which PgBouncer's transaction mode allows; on
    SQLite the IMMEDIATE transaction already holds the database's write lock.
    """
    if connection.vendor == "postgresql":
        key = _CHAIN_LOCK_KIND << 60 | zlib.crc32(task.module_path.encode())
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])
    if DBTaskResult.objects.filter(
        status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING], task_path=task.module_path
    ).exists():
        return False
    task.enqueue()
    return True
