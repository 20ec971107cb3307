"""Receivers that queue the tax documents: they only enqueue (bookings/signals.py's rule).

| signal                    | receiver                       | queues                 |
|---------------------------|--------------------------------|------------------------|
| Receipt created           | invoices.invoice_a_payment     | invoice_issue_task     |
| payments.refund_processed | invoices.credit_a_refund       | credit_note_issue_task |
"""

from django.db.models.signals import post_save
from django.dispatch import receiver

from mockri.payments.lifecycle import refund_processed

from .services import invoicing_enabled
from .tasks import credit_note_issue_task, invoice_issue_task


@receiver(post_save, sender="payments.Receipt")
def invoice_a_payment(sender, instance, created, **kwargs):
    # A receipt is made once per captured payment, in the transaction that records the capture.
    if created and invoicing_enabled():
        invoice_issue_task.enqueue(payment_id=instance.payment_id)


@receiver(refund_processed)
def credit_a_refund(sender, refund, **kwargs):
    if invoicing_enabled():
        credit_note_issue_task.enqueue(refund_id=refund.pk)
