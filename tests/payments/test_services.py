import datetime

import pytest
import requests
import responses
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mockri.bookings.enums import Actor, BookingStatus
from mockri.bookings.models import Booking
from mockri.bookings.services import booking_cancel, booking_expire_hold
from mockri.payments.enums import PaymentStatus, RefundStatus
from mockri.payments.gateways.base import Payment as ProviderPayment
from mockri.payments.models import Payment, Refund
from mockri.payments.services import payment_record
from tests.fixtures import NOW
from tests.payments.conftest import ORDER, PAYMENT

pytestmark = pytest.mark.django_db


def report(status, *, ref=PAYMENT, amount=100, refunded=0):
    return ProviderPayment(
        provider_ref=ref,
        order_ref=ORDER,
        amount_paise=amount,
        currency="INR",
        status=status,
        method="upi",
        amount_refunded_paise=refunded,
    )


REPORTS = {
    "authorized": report("authorized"),
    "captured": report("captured"),
    "failed": report("failed", ref="pay_failedAttempt01"),
    "order.paid": report("captured"),
}


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    order=st.permutations(list(REPORTS)),
    repeats=st.lists(st.sampled_from(list(REPORTS)), max_size=3),
)
def test_any_arrival_order_of_the_events_ends_paid_and_confirmed(
    held_booking, task_queue, order, repeats
):
    Payment.objects.filter(order_ref=ORDER).update(status=PaymentStatus.CREATED, payment_ref=None)
    Booking.objects.filter(pk=held_booking.pk).update(status=BookingStatus.PENDING_PAYMENT)

    for name in [*order, *repeats]:
        payment_record(info=REPORTS[name])

    payment = Payment.objects.get(order_ref=ORDER)
    assert (payment.status, payment.payment_ref) == (PaymentStatus.CAPTURED, PAYMENT)
    assert Booking.objects.get(pk=held_booking.pk).status == BookingStatus.CONFIRMED


def test_an_authorised_payment_is_queued_for_capture(held_booking, task_queue):
    payment_record(info=report("authorized"))

    assert Payment.objects.get().status == PaymentStatus.AUTHORIZED
    assert task_queue.names() == ["payment_capture_task"]


def test_a_payment_after_the_hold_ran_out_confirms_when_the_time_is_still_free(
    held_booking, task_queue
):
    booking_expire_hold(booking_id=held_booking.pk, now=NOW + datetime.timedelta(hours=1))

    payment_record(info=report("captured"))

    held_booking.refresh_from_db()
    assert held_booking.status == BookingStatus.CONFIRMED
    assert not Refund.objects.exists()


def test_a_payment_after_the_hold_ran_out_is_refunded_when_the_time_was_taken(
    held_booking, other_candidate, book, task_queue, django_capture_on_commit_callbacks
):
    booking_expire_hold(booking_id=held_booking.pk, now=NOW + datetime.timedelta(hours=1))
    book(
        candidate=other_candidate,
        interview_type=held_booking.interview_type,
        interviewer=held_booking.interviewer,
    )

    with django_capture_on_commit_callbacks(execute=True):
        payment_record(info=report("captured"))

    held_booking.refresh_from_db()
    assert held_booking.status == BookingStatus.EXPIRED
    refund = Refund.objects.get()
    assert (refund.amount_paise, refund.status) == (100, RefundStatus.REQUESTED)
    assert "refund_execute_task" in task_queue.names()


@pytest.fixture
def paid(held_booking, task_queue):
    payment_record(info=report("captured"))
    task_queue.backend.clear()
    held_booking.refresh_from_db()
    return held_booking


def run_queued(task_queue, name: str) -> None:
    (queued,) = [r for r in task_queue.enqueued if r.task.name == name]
    task_queue.backend.results.remove(queued)
    queued.task.call(**queued.kwargs)


def test_a_cancellation_24_hours_ahead_refunds_in_full(paid, candidate, task_queue):
    booking_cancel(paid, actor=candidate, actor_role=Actor.CANDIDATE, reason="", now=NOW)
    run_queued(task_queue, "refund_for_cancellation_task")

    refund = Refund.objects.get()
    assert (refund.amount_paise, refund.idempotency_key) == (
        100,
        f"mockri-refund-{refund.payment_id}-1",
    )
    assert "refund_execute_task" in task_queue.names()


def test_a_late_cancellation_refunds_nothing(paid, candidate, task_queue):
    booking_cancel(
        paid,
        actor=candidate,
        actor_role=Actor.CANDIDATE,
        reason="",
        now=paid.starts_at - datetime.timedelta(hours=2),
    )
    run_queued(task_queue, "refund_for_cancellation_task")

    assert not Refund.objects.exists()
    assert "refund_execute_task" not in task_queue.names()


REFUND_URL = f"https://api.razorpay.com/v1/payments/{PAYMENT}/refund"
REFUND_ENTITY = {
    "id": "rfnd_FS8TWyPrCsa0OB",
    "entity": "refund",
    "amount": 100,
    "currency": "INR",
    "payment_id": PAYMENT,
    "notes": {},
    "receipt": None,
    "acquirer_data": {"arn": None},
    "created_at": 1597734071,
    "batch_id": None,
    "status": "processed",
    "speed_processed": "normal",
    "speed_requested": "normal",
}


def test_a_refund_retried_after_a_network_failure_sends_the_same_key_once_more(
    paid, candidate, razorpay, task_queue
):
    booking_cancel(paid, actor=candidate, actor_role=Actor.CANDIDATE, reason="", now=NOW)
    run_queued(task_queue, "refund_for_cancellation_task")
    (queued,) = [r for r in task_queue.enqueued if r.task.name == "refund_execute_task"]

    with responses.RequestsMock() as razorpay_api:
        razorpay_api.post(REFUND_URL, body=requests.ConnectionError("reset"))
        razorpay_api.post(REFUND_URL, json=REFUND_ENTITY)
        with pytest.raises(Exception):  # noqa: B017 -- the task fails; the worker retries
            queued.task.call(**queued.kwargs)
        queued.task.call(**queued.kwargs)
        queued.task.call(**queued.kwargs)  # a stray third run does nothing
        keys = [call.request.headers["X-Refund-Idempotency"] for call in razorpay_api.calls]

    refund = Refund.objects.get()
    assert keys == [refund.idempotency_key] * 2
    assert (refund.status, refund.provider_ref) == (RefundStatus.PROCESSED, "rfnd_FS8TWyPrCsa0OB")


def test_a_second_payment_for_the_same_booking_is_refunded(
    paid, task_queue, django_capture_on_commit_callbacks
):
    second_order = Payment.objects.create(
        booking=paid, gateway="razorpay", order_ref="order_SecondTab0001", amount_paise=100
    )
    with django_capture_on_commit_callbacks(execute=True):
        payment_record(
            info=ProviderPayment(
                provider_ref="pay_SecondTab0001",
                order_ref=second_order.order_ref,
                amount_paise=100,
                currency="INR",
                status="captured",
                method="card",
            )
        )

    refund = Refund.objects.get()
    assert (refund.payment, refund.amount_paise) == (second_order, 100)
    paid.refresh_from_db()
    assert paid.status == BookingStatus.CONFIRMED
