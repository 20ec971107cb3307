"""Receivers of the booking's lifecycle (the table in bookings/signals.py): each only queues."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from mockri.bookings.signals import booking_cancelled, booking_completed, booking_no_show
from mockri.payments.models import Refund

from .tasks import earning_credit_task, earning_reverse_refunds_task, reliability_review_task


@receiver(booking_completed)
def credit_the_interviewer(sender, booking, **kwargs):
    earning_credit_task.enqueue(booking_id=booking.pk)


@receiver(booking_no_show)
def credit_or_count_a_no_show(sender, booking, **kwargs):
    # A candidate's no-show credits part of the share; an interviewer's counts against them.
    earning_credit_task.enqueue(booking_id=booking.pk)
    reliability_review_task.enqueue(interviewer_id=booking.interviewer_id)


@receiver(booking_cancelled)
def count_a_late_cancellation(sender, booking, **kwargs):
    # Queued for every cancellation: the review counts only the interviewer's late ones.
    reliability_review_task.enqueue(interviewer_id=booking.interviewer_id)


@receiver(post_save, sender=Refund)
def take_back_a_refunded_credit(sender, instance, created, **kwargs):
    if created:
        earning_reverse_refunds_task.enqueue(booking_id=instance.payment.booking_id)
