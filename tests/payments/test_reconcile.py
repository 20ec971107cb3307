"""Reconciliation settles what lost webhooks left pending, against Razorpay's documented API."""

import datetime

import pytest
import responses
from django.core.management import call_command
from django.core.signals import setting_changed
from django_tasks_db.models import DBTaskResult

from mockri.bookings.enums import Actor, BookingStatus, RefundDecision
from mockri.bookings.services import booking_cancel, booking_confirm_payment
from mockri.payments.enums import PaymentStatus, RefundStatus
from mockri.payments.gateways import get_gateway
from mockri.payments.models import Payment, Refund
from mockri.payments.services import payments_reconcile
from tests.fixtures import NOW
from tests.payments.conftest import ORDER, PAYMENT

pytestmark = pytest.mark.django_db
LATER = NOW + datetime.timedelta(minutes=30)
CAPTURED = {
    "id": PAYMENT,
    "entity": "payment",
    "amount": 100,
    "currency": "INR",
    "status": "captured",
    "order_id": ORDER,
    "invoice_id": None,
    "international": False,
    "method": "upi",
    "amount_refunded": 0,
    "refund_status": None,
    "captured": True,
    "description": None,
    "card_id": None,
    "bank": None,
    "wallet": None,
    "vpa": "gaurav.kumar@upi",
    "email": "gaurav.kumar@example.com",
    "contact": "+919876543210",
    "notes": [],
    "fee": 2,
    "tax": 0,
    "error_code": None,
    "error_description": None,
    "created_at": 1567675356,
}


def older(minutes=25):
    Payment.objects.update(created_at=NOW - datetime.timedelta(minutes=minutes))


@responses.activate
def test_a_payment_whose_webhooks_were_lost_confirms_the_booking(razorpay, held_booking):
    older()
    responses.get(
        f"https://api.razorpay.com/v1/orders/{ORDER}/payments",
        json={"entity": "collection", "count": 1, "items": [CAPTURED]},
    )

    counts = payments_reconcile(gateway=get_gateway(), now=NOW)

    assert counts["orders"] == 1
    held_booking.refresh_from_db()
    assert held_booking.status == BookingStatus.CONFIRMED
    assert Payment.objects.get().status == PaymentStatus.CAPTURED


@responses.activate
def test_an_unpaid_order_past_its_hold_expires_the_booking(razorpay, held_booking):
    older()
    responses.get(
        f"https://api.razorpay.com/v1/orders/{ORDER}/payments",
        json={"entity": "collection", "count": 0, "items": []},
    )

    counts = payments_reconcile(gateway=get_gateway(), now=LATER)

    assert counts["holds"] == 1
    held_booking.refresh_from_db()
    assert held_booking.status == BookingStatus.EXPIRED


@responses.activate
def test_razorpay_being_down_is_counted_and_changes_nothing(razorpay, held_booking):
    older()
    responses.get(
        f"https://api.razorpay.com/v1/orders/{ORDER}/payments",
        status=503,
        json={"error": {"code": "SERVER_ERROR", "description": "down"}},
    )

    counts = payments_reconcile(gateway=get_gateway(), now=NOW)

    assert counts["errors"] == 1
    held_booking.refresh_from_db()
    assert held_booking.status == BookingStatus.PENDING_PAYMENT


def test_fresh_orders_are_left_to_their_webhooks(razorpay, held_booking):
    counts = payments_reconcile(gateway=get_gateway(), now=NOW)  # no HTTP mocked: none made

    assert counts == {"orders": 0, "refunds": 0, "holds": 0, "cancellations": 0, "errors": 0}


@responses.activate
def test_a_pending_refund_is_settled_from_the_refunds_api(razorpay, held_booking):
    payment = Payment.objects.get()
    Payment.objects.filter(pk=payment.pk).update(status=PaymentStatus.CAPTURED, payment_ref=PAYMENT)
    refund = Refund.objects.create(
        payment=payment,
        idempotency_key="mockri-refund-1-1",
        provider_ref="rfnd_FS8TWyPrCsa0OB",
        amount_paise=100,
        status=RefundStatus.PENDING,
    )
    responses.get(
        "https://api.razorpay.com/v1/refunds/rfnd_FS8TWyPrCsa0OB",
        json={
            "id": "rfnd_FS8TWyPrCsa0OB",
            "entity": "refund",
            "amount": 100,
            "currency": "INR",
            "payment_id": PAYMENT,
            "notes": [],
            "receipt": None,
            "acquirer_data": {"arn": None},
            "created_at": 1597734071,
            "batch_id": None,
            "status": "processed",
            "speed_processed": "normal",
            "speed_requested": "normal",
        },
    )

    payments_reconcile(gateway=get_gateway(), now=NOW)

    refund.refresh_from_db()
    assert refund.status == RefundStatus.PROCESSED
    assert Payment.objects.get().status == PaymentStatus.REFUNDED


@pytest.fixture
def cancelled_unrefunded(held_booking, candidate, task_queue):
    """A paid session cancelled at NOW with a full refund due, whose refund task was lost."""
    Payment.objects.filter(booking=held_booking).update(
        status=PaymentStatus.CAPTURED, payment_ref=PAYMENT
    )
    booking = booking_confirm_payment(held_booking)
    booking_cancel(booking, actor=candidate, actor_role=Actor.CANDIDATE, reason="", now=NOW)
    assert booking.refund_decision == RefundDecision.FULL
    task_queue.backend.clear()
    return booking


def test_a_cancellation_whose_refund_was_never_requested_is_refunded(
    razorpay, cancelled_unrefunded, task_queue
):
    counts = payments_reconcile(gateway=get_gateway(), now=LATER)

    refund = Refund.objects.get()
    assert (refund.payment.booking, refund.amount_paise, refund.status) == (
        cancelled_unrefunded,
        100,
        RefundStatus.REQUESTED,
    )
    assert counts["cancellations"] == 1
    # The refund is sent; earnings takes back any credit of the session (none here).
    assert task_queue.names() == ["earning_reverse_refunds_task", "refund_execute_task"]
    assert payments_reconcile(gateway=get_gateway(), now=LATER)["cancellations"] == 0
    assert Refund.objects.count() == 1


def test_a_fresh_cancellation_is_left_to_its_own_refund_task(razorpay, cancelled_unrefunded):
    counts = payments_reconcile(gateway=get_gateway(), now=NOW + datetime.timedelta(minutes=5))

    assert counts["cancellations"] == 0
    assert not Refund.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_the_reconcile_chain_is_started_once_on_the_database_queue(settings):
    tasks = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    settings.TASKS = tasks
    setting_changed.send(sender=None, setting="TASKS", value=tasks, enter=True)

    call_command("reconcile_payments", "--schedule", stdout=None)
    call_command("reconcile_payments", "--schedule", stdout=None)

    assert DBTaskResult.objects.count() == 1
