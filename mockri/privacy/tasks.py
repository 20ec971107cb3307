import datetime
import logging

from django.tasks import task
from django.utils import timezone

from .services import retention_purge

logger = logging.getLogger(__name__)
PURGE_EVERY = datetime.timedelta(hours=6)


@task
def retention_purge_task() -> None:
    """Apply retention, then come back in 6 hours (a chain started by
    `manage.py purge_retained --schedule`)."""
    now = timezone.now()
    try:
        logger.info("Retention purge: %s", retention_purge(now=now))
    finally:
        retention_purge_task.using(run_after=now + PURGE_EVERY).enqueue()
