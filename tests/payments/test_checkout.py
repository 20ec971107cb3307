"""Paying for a held booking through the offline test gateway: the same path as Razorpay's."""

import json

import pytest
import responses
from django.urls import reverse

from mockri.bookings.enums import BookingStatus
from mockri.payments.enums import PaymentStatus
from mockri.payments.models import Payment, Refund, WebhookEvent
from tests.factories import InterviewTypeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def held(now, candidate, profile, book, task_queue):
    paid_type = InterviewTypeFactory(
        name="System Design", price_paise=199_900, interviewers=[profile]
    )
    booking = book(candidate=candidate, interview_type=paid_type, interviewer=profile)
    task_queue.backend.clear()
    return booking


def start(client, booking):
    page = client.get(reverse("payments:pay", kwargs={"reference": booking.reference}))
    assert page.status_code == 200
    return Payment.objects.get(booking=booking)


def test_paying_through_the_test_gateway_confirms_the_booking(client, held, candidate, task_queue):
    client.force_login(candidate)
    payment = start(client, held)
    assert (payment.gateway, payment.amount_paise, payment.status) == ("test", 199_900, "created")

    checkout = client.get(
        reverse("payments:test_checkout", kwargs={"order_ref": payment.order_ref})
    )
    done = client.post(
        reverse("payments:test_checkout", kwargs={"order_ref": payment.order_ref}),
        {"outcome": "pay"},
    )
    handback = done.context
    back = client.post(
        reverse("payments:checkout_complete"),
        {
            "razorpay_order_id": handback["order_ref"],
            "razorpay_payment_id": handback["payment_ref"],
            "razorpay_signature": handback["signature"],
        },
    )

    assert "TEST MODE" in checkout.content.decode()
    assert back.url == held.get_absolute_url()
    held.refresh_from_db()
    assert held.status == BookingStatus.CONFIRMED
    assert Payment.objects.get().status == PaymentStatus.CAPTURED
    task_queue.run_all()  # the test gateway's webhooks: recorded, and change nothing more
    assert sorted(WebhookEvent.objects.values_list("name", flat=True)) == [
        "order.paid",
        "payment.captured",
    ]
    assert Payment.objects.get().status == PaymentStatus.CAPTURED


def test_reloading_the_payment_step_reuses_the_order(client, held, candidate):
    client.force_login(candidate)

    first = start(client, held)
    second = start(client, held)

    assert first.pk == second.pk
    assert Payment.objects.count() == 1


def test_a_failed_test_payment_leaves_the_booking_held_and_can_be_retried(
    client, held, candidate, task_queue
):
    client.force_login(candidate)
    payment = start(client, held)

    response = client.post(
        reverse("payments:test_checkout", kwargs={"order_ref": payment.order_ref}),
        {"outcome": "fail"},
    )
    task_queue.run_all()

    assert response.url == reverse("payments:pay", kwargs={"reference": held.reference})
    held.refresh_from_db()
    assert held.status == BookingStatus.PENDING_PAYMENT
    assert Payment.objects.get().status == PaymentStatus.FAILED
    assert start(client, held).pk == payment.pk  # the same order takes the retry


def test_a_forged_signature_confirms_nothing(client, held, candidate):
    client.force_login(candidate)
    payment = start(client, held)
    done = client.post(
        reverse("payments:test_checkout", kwargs={"order_ref": payment.order_ref}),
        {"outcome": "pay"},
    )

    client.post(
        reverse("payments:checkout_complete"),
        {
            "razorpay_order_id": payment.order_ref,
            "razorpay_payment_id": done.context["payment_ref"],
            "razorpay_signature": "0" * 64,
        },
    )

    held.refresh_from_db()
    assert held.status == BookingStatus.PENDING_PAYMENT
    assert Payment.objects.get().status == PaymentStatus.CREATED


def test_another_candidates_order_is_not_found(client, held, candidate, other_candidate):
    client.force_login(candidate)
    payment = start(client, held)
    client.force_login(other_candidate)

    pay_page = client.get(reverse("payments:pay", kwargs={"reference": held.reference}))
    callback = client.post(
        reverse("payments:checkout_complete"),
        {
            "razorpay_order_id": payment.order_ref,
            "razorpay_payment_id": "x",
            "razorpay_signature": "y",
        },
    )
    checkout = client.get(
        reverse("payments:test_checkout", kwargs={"order_ref": payment.order_ref})
    )

    assert (pay_page.status_code, callback.status_code, checkout.status_code) == (404, 404, 404)


def test_a_confirmed_booking_has_nothing_to_pay(client, now, candidate, profile, book):
    free = InterviewTypeFactory(price_paise=0, interviewers=[profile])
    booking = book(candidate=candidate, interview_type=free, interviewer=profile)
    client.force_login(candidate)

    response = client.get(reverse("payments:pay", kwargs={"reference": booking.reference}))

    assert response.url == booking.get_absolute_url()
    assert not Payment.objects.exists()


@pytest.fixture
def paid_booking(client, held, candidate, task_queue):
    client.force_login(candidate)
    payment = start(client, held)
    done = client.post(
        reverse("payments:test_checkout", kwargs={"order_ref": payment.order_ref}),
        {"outcome": "pay"},
    )
    client.post(
        reverse("payments:checkout_complete"),
        {
            "razorpay_order_id": payment.order_ref,
            "razorpay_payment_id": done.context["payment_ref"],
            "razorpay_signature": done.context["signature"],
        },
    )
    held.refresh_from_db()
    return held


def test_a_paid_booking_has_a_numbered_receipt_with_the_operators_details(
    client, paid_booking, candidate
):
    payment = Payment.objects.get()
    receipt = payment.receipt

    page = client.get(reverse("payments:receipt", kwargs={"number": receipt.pk}))
    booking_page = client.get(paid_booking.get_absolute_url()).content.decode()

    text = page.content.decode()
    assert receipt.number == f"MKR-{receipt.pk:06d}"
    for expected in [
        receipt.number,
        "₹1,999",
        payment.payment_ref,
        "Ramees PP",
        "hello@mockri.com",
        paid_booking.reference,
    ]:
        assert expected in text, expected
    assert receipt.number in booking_page


def test_someone_else_cannot_read_a_receipt(client, paid_booking, other_candidate):
    client.force_login(other_candidate)

    response = client.get(
        reverse("payments:receipt", kwargs={"number": Payment.objects.get().receipt.pk})
    )

    assert response.status_code == 404


def test_staff_issue_a_partial_refund_from_the_booking_page(
    client, paid_booking, staff, two_factor, task_queue, django_capture_on_commit_callbacks
):
    two_factor(staff)
    client.force_login(staff)
    task_queue.backend.clear()

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("payments:staff_refund", kwargs={"reference": paid_booking.reference}),
            {"amount": "500.50", "reason": "Interviewer joined late"},
        )
    task_queue.run_all()

    refund = Refund.objects.get()
    assert (refund.amount_paise, refund.status, refund.reason) == (
        50_050,
        "processed",
        "Interviewer joined late",
    )
    payment = Payment.objects.get()
    assert (payment.status, payment.amount_refunded_paise) == ("partially_refunded", 50_050)
    assert "Refund: Refunded" in client.get(paid_booking.get_absolute_url()).content.decode()


def test_a_refund_larger_than_what_is_left_is_refused(client, paid_booking, staff, two_factor):
    two_factor(staff)
    client.force_login(staff)

    response = client.post(
        reverse("payments:staff_refund", kwargs={"reference": paid_booking.reference}),
        {"amount": "5000"},
        follow=True,
    )

    assert "more than is left to refund" in response.content.decode()
    assert not Refund.objects.exists()


@pytest.mark.parametrize("amount", ["NaN", "Infinity", "-Infinity", "sNaN", "1e999", "0", "-5"])
def test_a_refund_amount_that_is_not_a_sum_of_money_is_refused(
    client, paid_booking, staff, two_factor, amount
):
    two_factor(staff)
    client.force_login(staff)

    response = client.post(
        reverse("payments:staff_refund", kwargs={"reference": paid_booking.reference}),
        {"amount": amount},
        follow=True,
    )

    assert response.status_code == 200
    assert [str(m) for m in response.context["messages"]] == [
        "Enter an amount in rupees, e.g. 499.50."
    ]
    assert not Refund.objects.exists()


def test_a_signature_with_non_ascii_characters_confirms_nothing(client, held, candidate):
    client.force_login(candidate)
    payment = start(client, held)
    done = client.post(
        reverse("payments:test_checkout", kwargs={"order_ref": payment.order_ref}),
        {"outcome": "pay"},
    )

    response = client.post(
        reverse("payments:checkout_complete"),
        {
            "razorpay_order_id": payment.order_ref,
            "razorpay_payment_id": done.context["payment_ref"],
            "razorpay_signature": "é" * 64,
        },
    )

    assert response.status_code == 302
    held.refresh_from_db()
    assert held.status == BookingStatus.PENDING_PAYMENT


def test_a_candidate_cannot_issue_refunds(client, paid_booking, candidate):
    response = client.post(
        reverse("payments:staff_refund", kwargs={"reference": paid_booking.reference}),
        {"amount": "10"},
    )

    assert response.status_code == 404


@responses.activate
def test_razorpays_checkout_script_is_allowed_on_the_payment_page_alone(
    client, held, candidate, razorpay
):
    responses.post(
        "https://api.razorpay.com/v1/orders",
        json={
            "amount": 199_900,
            "amount_due": 199_900,
            "amount_paid": 0,
            "attempts": 0,
            "created_at": 1756455561,
            "currency": "INR",
            "entity": "order",
            "id": "order_RB58MiP5SPFYyM",
            "notes": [],
            "offer_id": None,
            "receipt": held.reference,
            "status": "created",
        },
    )
    client.force_login(candidate)

    pay_page = client.get(reverse("payments:pay", kwargs={"reference": held.reference}))
    booking_page = client.get(held.get_absolute_url())

    assert pay_page.context["checkout_options"]["order_id"] == "order_RB58MiP5SPFYyM"
    assert '"order_id": "order_RB58MiP5SPFYyM"' in pay_page.content.decode()
    assert "https://checkout.razorpay.com" in pay_page["Content-Security-Policy"]
    assert "razorpay" not in booking_page["Content-Security-Policy"]
    sent = json.loads(responses.calls[0].request.body)
    assert (sent["amount"], sent["currency"], sent["receipt"]) == (199_900, "INR", held.reference)
