import datetime
import logging

from django.tasks import task
from django.utils import timezone

from mockri.bookings.models import Booking

from .enums import PaymentStatus
from .gateways import get_gateway
from .gateways.base import GatewayError
from .models import Payment, Refund, WebhookEvent
from .services import (
    payment_record,
    payments_reconcile,
    refund_for_cancellation,
    refund_send,
)
from .webhooks import webhook_event_process, webhook_event_store

logger = logging.getLogger(__name__)


@task
def webhook_event_process_task(*, event_id: int) -> None:
    event = WebhookEvent.objects.filter(pk=event_id, processed_at__isnull=True).first()
    if event is not None:
        webhook_event_process(event)


@task
def payment_capture_task(*, payment_id: int) -> None:
    """Capture an authorised payment; the capture's result is recorded like any other report."""
    payment = Payment.objects.filter(pk=payment_id, status=PaymentStatus.AUTHORIZED).first()
    if payment is None or not payment.payment_ref:
        return
    try:
        info = get_gateway().capture_payment(
            payment.payment_ref, amount_paise=payment.amount_paise, currency=payment.currency
        )
    except GatewayError:
        # Already captured, or the provider is down: reconciliation fetches the truth later.
        info = get_gateway().fetch_payment(payment.payment_ref)
    payment_record(info=info)


@task
def refund_execute_task(*, refund_id: int) -> None:
    """Send a requested refund to the provider. A retry sends the same idempotency key; a
    transient GatewayError fails the task and the request stays "requested" for a retry."""
    refund = (
        Refund.objects.select_related("payment__booking", "payment__pack_purchase")
        .filter(pk=refund_id)
        .first()
    )
    if refund is not None:
        refund_send(refund=refund, gateway=get_gateway())


@task
def refund_for_cancellation_task(*, booking_id: int) -> None:
    """Queued with every cancellation: refund what its refund decision says."""
    booking = Booking.objects.filter(pk=booking_id).first()
    if booking is not None:
        refund_for_cancellation(booking=booking)


@task
def test_gateway_deliver_task(*, webhooks: list[list[str]]) -> None:
    """Deliver the test gateway's signed events through the same checks as Razorpay's."""
    gateway = get_gateway()
    for body, signature, event_id in webhooks:
        event = gateway.parse_webhook(body=body.encode(), signature=signature, event_id=event_id)
        webhook_event_store(provider=gateway.name, event=event)


RECONCILE_EVERY = datetime.timedelta(minutes=15)


@task
def payments_reconcile_task() -> None:
    """Settle stuck payments, refunds and holds, then come back in 15 minutes: a chain that
    `manage.py reconcile_payments --schedule` starts (and restarts if it was lost)."""
    now = timezone.now()
    try:
        counts = payments_reconcile(gateway=get_gateway(), now=now)
        logger.info("Payments reconciled: %s", counts)
    finally:
        payments_reconcile_task.using(run_after=now + RECONCILE_EVERY).enqueue()
