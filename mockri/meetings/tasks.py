"""Meeting work in the background, and its retry policy: a transient provider failure is tried
again after 1, 5 and 15 minutes; after the fourth failed attempt (or at once for a permanent
failure) the session falls back to another provider's link, or to none with an alert to staff
(meeting_fall_back)."""

import datetime
from collections.abc import Callable

from django.tasks import Task, task
from django.utils import timezone

from .providers.base import ProviderError
from .services import (
    meeting_cancel_for,
    meeting_cancel_give_up,
    meeting_create_for,
    meeting_fall_back,
    meeting_update_for,
)

MAX_ATTEMPTS = 4
RETRY_DELAYS = (
    datetime.timedelta(minutes=1),
    datetime.timedelta(minutes=5),
    datetime.timedelta(minutes=15),
)


@task
def meeting_create_task(*, booking_id: int, attempt: int = 1) -> None:
    _attempt(meeting_create_task, meeting_create_for, booking_id, attempt, meeting_fall_back)


@task
def meeting_update_task(*, booking_id: int, attempt: int = 1) -> None:
    _attempt(meeting_update_task, meeting_update_for, booking_id, attempt, meeting_fall_back)


@task
def meeting_cancel_task(*, booking_id: int, attempt: int = 1) -> None:
    _attempt(meeting_cancel_task, meeting_cancel_for, booking_id, attempt, meeting_cancel_give_up)


def _attempt(
    this_task: Task,
    service: Callable[..., object],
    booking_id: int,
    attempt: int,
    give_up: Callable[..., object],
) -> None:
    """Run the service once; on a provider failure queue the next attempt or give up."""
    try:
        service(booking_id=booking_id)
    except ProviderError as error:
        if error.permanent or attempt >= MAX_ATTEMPTS:
            give_up(booking_id=booking_id)
            return
        delay = RETRY_DELAYS[min(attempt, len(RETRY_DELAYS)) - 1]
        this_task.using(run_after=timezone.now() + delay).enqueue(
            booking_id=booking_id, attempt=attempt + 1
        )
