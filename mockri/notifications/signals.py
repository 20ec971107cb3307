from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from mockri.bookings.signals import booking_cancelled, booking_changed, booking_confirmed

from .tasks import booking_emails_task, receipt_email_task


@receiver(booking_confirmed)
def email_a_confirmation(sender, booking, **kwargs):
    booking_emails_task.enqueue(booking_id=booking.pk, event="confirmed")


@receiver(booking_changed)
def email_a_change(sender, booking, **kwargs):
    booking_emails_task.enqueue(booking_id=booking.pk, event="rescheduled")


@receiver(booking_cancelled)
def email_a_cancellation(sender, booking, **kwargs):
    booking_emails_task.enqueue(booking_id=booking.pk, event="cancelled")


@receiver(post_save, sender="payments.Receipt")
def email_a_receipt(sender, instance, created, **kwargs):
    if created:
        transaction.on_commit(lambda: receipt_email_task.enqueue(receipt_id=instance.pk))
