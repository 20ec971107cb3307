import datetime
import logging

from django.tasks import task
from django.utils import timezone

from .services import (
    credit_return,
    credits_expire,
    credits_expiry_reminders,
    pack_purchase_grant,
    packs_grant_missed,
)

logger = logging.getLogger(__name__)
MAINTAIN_EVERY = datetime.timedelta(hours=1)


@task
def pack_purchase_grant_task(*, payment_id: int) -> None:
    pack_purchase_grant(payment_id=payment_id)


@task
def credit_return_task(*, booking_id: int) -> None:
    """Queued with every cancellation: give back the credit that paid for it, if the policy
    refunds it."""
    credit_return(booking_id=booking_id)


@task
def packs_maintain_task() -> None:
    """Expire credits whose validity ended, remind a week before, grant purchases whose grant
    was lost; then come back in an hour (a periodic chain: operations/task_queue.py)."""
    now = timezone.now()
    try:
        logger.info(
            "Packs: %s granted late, %s expired, %s reminded",
            packs_grant_missed(now=now),
            credits_expire(now=now),
            credits_expiry_reminders(now=now),
        )
    finally:
        packs_maintain_task.using(run_after=now + MAINTAIN_EVERY).enqueue()
