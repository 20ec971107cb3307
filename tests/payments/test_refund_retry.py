"""Retrying a refund the provider failed, and asking the provider where a refund stands, against
Razorpay's documented Refunds API (POST /v1/payments/:id/refund, GET /v1/refunds/:id)."""

import json

import pytest
import responses

from mockri.lib.errors import DomainError
from mockri.payments.enums import PaymentStatus, RefundStatus
from mockri.payments.gateways import get_gateway
from mockri.payments.models import Payment, Refund
from mockri.payments.services import refund_check, refund_request, refund_retry
from tests.payments.conftest import PAYMENT, fixture_body

pytestmark = pytest.mark.django_db
API = "https://api.razorpay.com/v1"
FAILED_REF = "rfnd_FS8TWyPrCsa0OB"
RETRY_REF = "rfnd_FS8TWyPrCsa0OC"


def refund_entity(**changes) -> dict:
    """The refund of the documented refund.processed event, as the Refunds API returns it."""
    entity = json.loads(fixture_body("refund.processed"))["payload"]["refund"]["entity"]
    return {**entity, "payment_id": PAYMENT, **changes}


@pytest.fixture
def payment(razorpay, held_booking) -> Payment:
    """The held booking's 100-paise payment, captured."""
    payment = Payment.objects.get()
    Payment.objects.filter(pk=payment.pk).update(status=PaymentStatus.CAPTURED, payment_ref=PAYMENT)
    payment.refresh_from_db()
    return payment


def a_refund(payment, *, status, amount_paise=100, key="mockri-refund-1-1", ref=FAILED_REF):
    return Refund.objects.create(
        payment=payment,
        idempotency_key=key,
        provider_ref=ref,
        amount_paise=amount_paise,
        status=status,
        reason="Cancelled: full refund",
    )


@responses.activate
def test_a_failed_refund_is_asked_for_again_under_a_key_of_its_own(payment, task_queue):
    failed = a_refund(payment, status=RefundStatus.FAILED)
    task_queue.backend.clear()
    created = responses.post(
        f"{API}/payments/{PAYMENT}/refund",
        json=refund_entity(id=RETRY_REF, amount=100, status="processed"),
    )

    retry, asked = refund_retry(failed=failed, reason="Bank account fixed")

    assert asked is True
    assert (retry.amount_paise, retry.status, retry.reason) == (
        100,
        RefundStatus.REQUESTED,
        "Retry: Bank account fixed",
    )
    assert retry.idempotency_key == f"mockri-refund-retry-{failed.pk}" != failed.idempotency_key
    assert task_queue.names() == ["earning_reverse_refunds_task", "refund_execute_task"]
    task_queue.run_all()
    assert created.calls[0].request.headers["X-Refund-Idempotency"] == retry.idempotency_key
    assert json.loads(created.calls[0].request.body)["amount"] == 100
    retry.refresh_from_db()
    assert (retry.status, retry.provider_ref) == (RefundStatus.PROCESSED, RETRY_REF)
    payment.refresh_from_db()
    assert (payment.status, payment.amount_refunded_paise) == (PaymentStatus.REFUNDED, 100)


def test_retrying_the_same_failed_refund_twice_asks_for_it_once(payment, task_queue):
    failed = a_refund(payment, status=RefundStatus.FAILED)
    task_queue.backend.clear()

    first, first_asked = refund_retry(failed=failed, reason="Retry")
    second, second_asked = refund_retry(failed=failed, reason="Retry")

    assert (first_asked, second_asked) == (True, False)
    assert second == first
    assert Refund.objects.count() == 2
    assert task_queue.names().count("refund_execute_task") == 1


@pytest.mark.parametrize("in_progress", [RefundStatus.REQUESTED, RefundStatus.PENDING])
def test_no_retry_while_another_refund_of_the_payment_is_in_progress(
    payment, task_queue, in_progress
):
    failed = a_refund(payment, status=RefundStatus.FAILED, amount_paise=40)
    a_refund(payment, status=in_progress, amount_paise=60, key="mockri-refund-1-2", ref=None)
    task_queue.backend.clear()

    with pytest.raises(DomainError) as refusal:
        refund_retry(failed=failed, reason="Retry")

    assert refusal.value.message == (
        "Another refund of this payment is still in progress: check it with Razorpay first."
    )
    assert Refund.objects.count() == 2
    assert task_queue.names() == []


def test_no_retry_of_a_payment_refunded_in_full(payment):
    failed = a_refund(payment, status=RefundStatus.FAILED)
    a_refund(payment, status=RefundStatus.PROCESSED, key="mockri-refund-1-2", ref=RETRY_REF)
    Payment.objects.filter(pk=payment.pk).update(
        status=PaymentStatus.REFUNDED, amount_refunded_paise=100
    )

    with pytest.raises(DomainError) as refusal:
        refund_retry(failed=failed, reason="Retry")

    assert refusal.value.message == "This payment is already refunded in full."
    assert Refund.objects.count() == 2


def test_no_retry_when_the_provider_reports_the_payment_refunded_elsewhere(payment):
    """A refund made on Razorpay's dashboard shows only in the payment's refunded total."""
    failed = a_refund(payment, status=RefundStatus.FAILED)
    Payment.objects.filter(pk=payment.pk).update(amount_refunded_paise=100)

    with pytest.raises(DomainError) as refusal:
        refund_retry(failed=failed, reason="Retry")

    assert refusal.value.message == "This payment is already refunded in full."


def test_no_retry_for_more_than_is_left_of_the_payment(payment):
    failed = a_refund(payment, status=RefundStatus.FAILED, amount_paise=100)
    a_refund(payment, status=RefundStatus.PROCESSED, amount_paise=60, key="k-2", ref=RETRY_REF)

    with pytest.raises(DomainError) as refusal:
        refund_retry(failed=failed, reason="Retry")

    assert refusal.value.message == (
        "Only ₹0.40 is left to refund on this payment, less than the ₹1 that failed."
    )


@pytest.mark.parametrize("status", [RefundStatus.PENDING, RefundStatus.PROCESSED])
def test_only_a_failed_refund_is_retried(payment, status):
    refund = a_refund(payment, status=status)

    with pytest.raises(DomainError) as refusal:
        refund_retry(failed=refund, reason="Retry")

    label = RefundStatus(status).label.lower()
    assert refusal.value.message == f"Only a failed refund can be retried; this one is {label}."


def test_a_request_is_never_for_more_than_the_provider_has_left_to_refund(payment):
    Payment.objects.filter(pk=payment.pk).update(amount_refunded_paise=70)

    with pytest.raises(DomainError):
        refund_request(payment=payment, amount_paise=31, reason="Goodwill")
    refund = refund_request(payment=payment, amount_paise=30, reason="Goodwill")

    assert refund.amount_paise == 30


@responses.activate
@pytest.mark.parametrize(
    ("provider_says", "recorded", "payment_status"),
    [
        ("processed", RefundStatus.PROCESSED, PaymentStatus.REFUNDED),
        ("failed", RefundStatus.FAILED, PaymentStatus.CAPTURED),
        ("pending", RefundStatus.PENDING, PaymentStatus.CAPTURED),
    ],
)
def test_checking_a_pending_refund_records_what_the_refunds_api_says(
    payment, provider_says, recorded, payment_status
):
    pending = a_refund(payment, status=RefundStatus.PENDING)
    responses.get(f"{API}/refunds/{FAILED_REF}", json=refund_entity(status=provider_says))

    checked = refund_check(refund=pending, gateway=get_gateway())

    assert checked.status == recorded
    pending.refresh_from_db()
    assert pending.status == recorded
    assert Payment.objects.get().status == payment_status


@responses.activate
def test_checking_a_refund_the_provider_never_acknowledged_sends_it_again_under_its_key(payment):
    requested = a_refund(payment, status=RefundStatus.REQUESTED, ref=None)
    created = responses.post(
        f"{API}/payments/{PAYMENT}/refund", json=refund_entity(amount=100, status="pending")
    )

    checked = refund_check(refund=requested, gateway=get_gateway())

    assert created.calls[0].request.headers["X-Refund-Idempotency"] == "mockri-refund-1-1"
    assert (checked.status, checked.provider_ref) == (RefundStatus.PENDING, FAILED_REF)
    assert Refund.objects.count() == 1


@responses.activate
def test_a_check_the_provider_cannot_answer_changes_nothing(payment):
    pending = a_refund(payment, status=RefundStatus.PENDING)
    responses.get(
        f"{API}/refunds/{FAILED_REF}",
        status=502,
        json={"error": {"code": "SERVER_ERROR", "description": "The server is down"}},
    )

    with pytest.raises(DomainError) as refusal:
        refund_check(refund=pending, gateway=get_gateway())

    assert refusal.value.message.startswith("The provider could not be asked: ")
    pending.refresh_from_db()
    assert pending.status == RefundStatus.PENDING


@pytest.mark.parametrize("status", [RefundStatus.PROCESSED, RefundStatus.FAILED])
def test_a_final_refund_has_nothing_to_check(payment, status):
    refund = a_refund(payment, status=status)

    with pytest.raises(DomainError) as refusal:
        refund_check(refund=refund, gateway=get_gateway())

    label = RefundStatus(status).label.lower()
    assert refusal.value.message == f"This refund is {label}: there is nothing to check."
