from django.dispatch import receiver

from mockri.bookings.signals import booking_cancelled, booking_changed, booking_confirmed

from .tasks import booking_emails_task


@receiver(booking_confirmed)
def email_a_confirmation(sender, booking, **kwargs):
    booking_emails_task.enqueue(booking_id=booking.pk, event="confirmed")


@receiver(booking_changed)
def email_a_change(sender, booking, **kwargs):
    booking_emails_task.enqueue(booking_id=booking.pk, event="rescheduled")


@receiver(booking_cancelled)
def email_a_cancellation(sender, booking, **kwargs):
    booking_emails_task.enqueue(booking_id=booking.pk, event="cancelled")
