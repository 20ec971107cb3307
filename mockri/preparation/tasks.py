import datetime
import logging

from django.tasks import task
from django.utils import timezone

from .services import interview_reminders_send

logger = logging.getLogger(__name__)
REMIND_EVERY = datetime.timedelta(hours=1)


@task
def interview_reminders_task() -> None:
    """Send the reminders of real interviews that are due, then come back in an hour (a chain
    kept going by operations.task_queue.task_chains_ensure)."""
    now = timezone.now()
    try:
        logger.info("Interview reminders queued: %s", interview_reminders_send(now=now))
    finally:
        interview_reminders_task.using(run_after=now + REMIND_EVERY).enqueue()
