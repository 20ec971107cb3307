from django.dispatch import receiver

from mockri.bookings.signals import booking_cancelled

from .services import refund_for_cancellation


@receiver(booking_cancelled)
def refund_a_cancelled_booking(sender, booking, **kwargs):
    refund_for_cancellation(booking=booking)
