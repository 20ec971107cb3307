from django.dispatch import receiver

from mockri.bookings.signals import booking_cancelled
from mockri.payments.services import pack_payment_captured

from .tasks import credit_return_task, pack_purchase_grant_task


# Receivers only queue tasks: the table in bookings/signals.py.
@receiver(booking_cancelled)
def return_a_credit(sender, booking, **kwargs):
    # Queued for every cancellation: the task reads the refund decision and the ledger.
    credit_return_task.enqueue(booking_id=booking.pk)


@receiver(pack_payment_captured)
def grant_the_credits(sender, payment, **kwargs):
    pack_purchase_grant_task.enqueue(payment_id=payment.pk)
