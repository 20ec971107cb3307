"""Two staff refund one payment at the same moment, on PostgreSQL with real connections: the
second sees the first's refund, so the candidate never gets back more than they paid; a retry
submitted twice at once asks once."""

import pytest
from django.db import connection

from mockri.bookings.services import booking_confirm_payment
from mockri.payments.enums import PaymentStatus, RefundStatus
from mockri.payments.models import Payment, Refund
from mockri.payments.services import refund_request, refund_retry, refund_status_advance
from tests.fixtures import SLOT, at_once, past_session
from tests.payments.conftest import booked_with_a_payment

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="SQLite serialises every write transaction"
    ),
]


@pytest.mark.parametrize(
    ("amounts", "refunded"),
    [((199_900, 199_900), [199_900]), ((150_000, 49_900), [49_900, 150_000])],
)
def test_two_staff_refunds_at_once_never_refund_more_than_was_paid(
    now, candidate, paid_type, profile, private_storage, amounts, refunded
):
    payment = booked_with_a_payment(
        candidate=candidate,
        interview_type=paid_type,
        interviewer=profile,
        amount_paise=199_900,
        status=PaymentStatus.CAPTURED,
    )
    booking = payment.booking
    booking_confirm_payment(booking)

    def attempt(amount):
        return lambda: refund_request(
            payment=Payment.objects.get(pk=payment.pk), amount_paise=amount, reason="Staff"
        )

    outcomes = at_once([attempt(amount) for amount in amounts], refusal=lambda e: e.message)

    assert sorted(Refund.objects.values_list("amount_paise", flat=True)) == refunded
    expected = ["done"] * len(refunded) + [
        "That is more than is left to refund on this payment."
    ] * (2 - len(refunded))
    assert outcomes == sorted(expected)


def test_a_retry_submitted_twice_at_once_asks_for_one_refund(now, candidate, paid_type, profile):
    booking = past_session(
        candidate=candidate, interviewer=profile, interview_type=paid_type, starts_at=SLOT
    )
    payment = Payment.objects.create(
        booking=booking,
        gateway="test",
        order_ref="order_race",
        payment_ref="pay_race",
        amount_paise=199_900,
        currency="INR",
        status=PaymentStatus.CAPTURED,
    )
    failed = Refund.objects.create(
        payment=payment, idempotency_key="mockri-refund-race-1", amount_paise=199_900
    )
    refund_status_advance(failed, to=RefundStatus.FAILED)

    def retry():
        return refund_retry(failed=Refund.objects.get(pk=failed.pk), reason="Double click")

    outcomes = at_once([retry, retry])

    assert outcomes == ["done", "done"]
    assert Refund.objects.exclude(pk=failed.pk).count() == 1
