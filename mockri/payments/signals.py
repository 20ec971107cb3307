from django.dispatch import receiver

from mockri.bookings.signals import booking_cancelled

from .tasks import refund_for_cancellation_task


@receiver(booking_cancelled)
def refund_a_cancelled_booking(sender, booking, **kwargs):
    # Queued for every cancellation: the task reads the refund decision and carries it out.
    refund_for_cancellation_task.enqueue(booking_id=booking.pk)
