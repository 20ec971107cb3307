import datetime
import logging

from django.tasks import task
from django.utils import timezone

from mockri.bookings.open_starts import open_starts_extend

from .reliability import reliability_review, reliability_review_all
from .services import earning_credit, earning_reverse_refunds

logger = logging.getLogger(__name__)


@task
def earning_credit_task(*, booking_id: int) -> None:
    """Queued when a session is completed or a no-show: credit its interviewer, once."""
    earning_credit(booking_id=booking_id)


@task
def earning_reverse_refunds_task(*, booking_id: int) -> None:
    """Queued with every refund: take back the refunded part of a credited session."""
    earning_reverse_refunds(booking_id=booking_id)


@task
def reliability_review_task(*, interviewer_id: int) -> None:
    """Queued with a no-show or a cancellation: pause the interviewer past the threshold."""
    reliability_review(interviewer_id=interviewer_id)


REVIEW_EVERY = datetime.timedelta(hours=1)


@task
def reliability_review_all_task() -> None:
    """Review every listed interviewer (feedback turns late with no event to queue a review),
    move the table of open starts on with the clock (bookings/open_starts.py), then come back
    in an hour: a periodic chain (operations.task_queue.PERIODIC_CHAINS)."""
    now = timezone.now()
    try:
        logger.info("Reliability reviewed: %d paused", reliability_review_all(now=now))
        logger.info("Open starts extended: %d rows", open_starts_extend(now=now))
    finally:
        reliability_review_all_task.using(run_after=now + REVIEW_EVERY).enqueue()
