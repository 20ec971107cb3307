import datetime

from django.db import DatabaseError, connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult


def database_is_reachable() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except DatabaseError:
        return False


def task_queue_summary(*, now: datetime.datetime | None = None) -> dict:
    """How many tasks wait for a worker, and how long the oldest has waited (seconds)."""
    now = now or timezone.now()
    queued = DBTaskResult.objects.ready()
    oldest = queued.order_by("enqueued_at").values_list("enqueued_at", flat=True).first()
    return {
        "queued": queued.count(),
        "oldest_queued_age_seconds": round((now - oldest).total_seconds()) if oldest else None,
    }
