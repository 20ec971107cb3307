from django.tasks import task

from .services import booking_expire_hold


@task
def booking_expire_hold_task(*, booking_id: int) -> None:
    """Runs when a payment hold ends; does nothing if the booking was paid or cancelled."""
    booking_expire_hold(booking_id=booking_id)
