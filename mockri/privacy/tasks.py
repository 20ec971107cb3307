import datetime
import logging

from django.tasks import task
from django.utils import timezone

from .erasure import account_erase_data
from .exports import data_export_build
from .services import retention_run

logger = logging.getLogger(__name__)
PURGE_EVERY = datetime.timedelta(hours=6)
ERASURE_RETRY = datetime.timedelta(minutes=2)


@task
def retention_purge_task() -> None:
    """Apply retention, then come back in 6 hours (a chain started by `manage.py purge_retained
    --schedule`)."""
    now = timezone.now()
    try:
        logger.info("Retention: %s", retention_run(now=now))
    finally:
        retention_purge_task.using(run_after=now + PURGE_EVERY).enqueue()


@task
def data_export_build_task(*, export_id: int) -> None:
    data_export_build(export_id=export_id, now=timezone.now())


@task
def account_erase_task(*, user_id: int) -> None:
    """Erase a deleted account's data; while its last emails are still going out, try again in
    two minutes."""
    if not account_erase_data(user_id=user_id, now=timezone.now()):
        account_erase_task.using(run_after=timezone.now() + ERASURE_RETRY).enqueue(user_id=user_id)
