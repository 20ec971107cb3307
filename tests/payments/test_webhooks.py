"""Razorpay's webhooks through the real view: signed raw bodies, duplicates, bad signatures."""

import pytest
from django.urls import reverse

from mockri.bookings.enums import BookingStatus
from mockri.packs.services import pack_purchase_start
from mockri.payments.enums import PaymentStatus
from mockri.payments.models import Payment, WebhookEvent
from tests.factories import PackFactory
from tests.payments.conftest import (
    ORDER,
    PAYMENT,
    event_body,
    fixture_body,
    sign,
)

pytestmark = pytest.mark.django_db
URL = reverse("payments:razorpay_webhook")


def deliver(client, body: bytes, *, event_id="evt_001", signature=None):
    headers = {"X-Razorpay-Event-Id": event_id}
    if signature is not False:
        headers["X-Razorpay-Signature"] = signature or sign(body)
    return client.post(URL, body, content_type="application/json", headers=headers)


def test_a_captured_payment_confirms_the_held_booking(client, razorpay, held_booking, task_queue):
    response = deliver(client, fixture_body("payment.captured"))

    assert response.status_code == 200
    assert task_queue.names() == ["webhook_event_process_task"]
    task_queue.run_all()
    payment = Payment.objects.get(order_ref=ORDER)
    assert (payment.status, payment.payment_ref, payment.method) == (
        PaymentStatus.CAPTURED,
        PAYMENT,
        "upi",
    )
    held_booking.refresh_from_db()
    assert held_booking.status == BookingStatus.CONFIRMED
    assert held_booking.hold_expires_at is None
    assert WebhookEvent.objects.get().outcome == "payment recorded"


def test_a_redelivered_event_is_stored_and_processed_once(
    client, razorpay, held_booking, task_queue
):
    body = fixture_body("order.paid")

    first = deliver(client, body, event_id="evt_dup")
    second = deliver(client, body, event_id="evt_dup")

    assert first.status_code == second.status_code == 200
    assert WebhookEvent.objects.count() == 1
    assert task_queue.names() == ["webhook_event_process_task"]


@pytest.mark.parametrize(
    "signature",
    [
        False,
        "0" * 64,
        sign(b"something else"),
        sign(fixture_body("payment.captured"), "test-key-secret"),
    ],
    ids=["missing", "zeros", "another body", "the key secret instead of the webhook secret"],
)
def test_a_badly_signed_event_is_refused_and_changes_nothing(
    client, razorpay, held_booking, task_queue, signature
):
    response = deliver(client, fixture_body("payment.captured"), signature=signature)

    assert response.status_code == 400
    assert not WebhookEvent.objects.exists()
    assert task_queue.enqueued == []


def test_a_tampered_body_is_refused(client, razorpay, held_booking):
    body = fixture_body("payment.captured")
    tampered = body.replace(b'"amount": 100', b'"amount": 1')

    response = deliver(client, tampered, signature=sign(body))

    assert response.status_code == 400
    assert not WebhookEvent.objects.exists()


def test_an_amount_that_does_not_match_the_order_confirms_nothing(
    client, razorpay, held_booking, task_queue
):
    deliver(client, event_body("payment.captured", amount=1, base_amount=1))
    task_queue.run_all()

    assert Payment.objects.get().status == PaymentStatus.CREATED
    held_booking.refresh_from_db()
    assert held_booking.status == BookingStatus.PENDING_PAYMENT


def test_an_unknown_event_is_kept_and_answered_200(client, razorpay, task_queue):
    body = b'{"entity": "event", "event": "payment.dispute.created", "contains": [], "payload": {}}'

    response = deliver(client, body, event_id="evt_other")
    task_queue.run_all()

    assert response.status_code == 200
    assert WebhookEvent.objects.get().outcome == "ignored"


def test_without_razorpay_keys_a_razorpay_signed_event_is_refused(client, settings):
    settings.PAYMENT_GATEWAY = "test"  # the offline test gateway, with its own secret, answers

    response = deliver(client, fixture_body("payment.captured"))

    assert response.status_code == 400
    assert not WebhookEvent.objects.exists()


def test_stored_rows_hold_none_of_the_payers_personal_details(
    client, razorpay, held_booking, task_queue
):
    for index, name in enumerate(["payment.captured", "order.paid", "payment.authorized"]):
        deliver(client, fixture_body(name), event_id=f"evt_{index}")
    task_queue.run_all()

    stored = repr(list(WebhookEvent.objects.values())) + repr(list(Payment.objects.values()))
    for personal in ["gaurav.kumar@example.com", "+919876543210", "gaurav.kumar@upi", "rrn"]:
        assert personal not in stored


@pytest.mark.parametrize(
    "name",
    [
        "payment.authorized",
        "payment.captured",
        "payment.failed",
        "order.paid",
        "refund.created",
        "refund.processed",
        "refund.failed",
    ],
)
def test_every_documented_event_is_accepted_and_processed(
    client, razorpay, held_booking, task_queue, name
):
    response = deliver(client, fixture_body(name), event_id=f"evt_{name}")
    (processing,) = task_queue.enqueued
    processing.task.call(**processing.kwargs)  # only the event (an authorised one queues a capture)

    assert response.status_code == 200
    event = WebhookEvent.objects.get()
    assert (event.name, event.processed_at is not None) == (name, True)


@pytest.mark.parametrize("signature", ["é" * 64, "\u2603", "ab\x00cd"])
def test_the_test_gateway_refuses_a_signature_of_any_characters_with_400(
    client, settings, signature
):
    settings.PAYMENT_GATEWAY = "test"

    response = deliver(client, fixture_body("payment.captured"), signature=signature)

    assert response.status_code == 400
    assert not WebhookEvent.objects.exists()


def test_razorpays_webhooks_grant_a_pack_purchases_credits_once(
    client, razorpay, candidate, paid_type, task_queue
):
    pack = PackFactory(interview_types=[paid_type], price_paise=100, sessions=2)
    purchase = pack_purchase_start(candidate=candidate, pack=pack)
    Payment.objects.create(
        pack_purchase=purchase, gateway="razorpay", order_ref=ORDER, amount_paise=100
    )

    deliver(client, fixture_body("payment.captured"), event_id="evt_captured")
    deliver(client, fixture_body("order.paid"), event_id="evt_paid")
    task_queue.run_all_except("outbox_send_task")

    assert Payment.objects.get(order_ref=ORDER).status == PaymentStatus.CAPTURED
    assert list(purchase.entries.values_list("kind", "credits")) == [("granted", 2)]
