import datetime

import pytest
import time_machine
from django.db import IntegrityError, transaction

from mockri.bookings.enums import Actor, BookingStatus, RefundDecision
from mockri.bookings.services import booking_cancel
from mockri.lib.errors import PolicyViolation
from mockri.notifications.models import OutboxEmail
from mockri.packs.enums import CreditKind
from mockri.packs.selectors import credit_for_booking, purchase_get_for_user
from mockri.packs.services import (
    booking_pay_with_credit,
    credits_expire,
    credits_expiry_reminders,
    pack_purchase_grant,
    pack_purchase_refund,
    pack_refund_quote,
)
from mockri.payments.enums import PaymentStatus, RefundStatus
from mockri.payments.gateways import fake
from mockri.payments.models import Payment, Receipt
from mockri.payments.services import payment_order_for, payment_record
from tests.factories import InterviewTypeFactory, PackFactory
from tests.fixtures import NOW, SLOT

pytestmark = pytest.mark.django_db


def balance(purchase) -> int:
    return purchase_get_for_user(user=purchase.candidate, reference=purchase.reference).balance


def kinds(purchase) -> list[tuple[str, int]]:
    return list(purchase.entries.values_list("kind", "credits"))


def test_a_captured_payment_grants_the_credits_valid_from_then(candidate, pack, buy):
    purchase = buy(candidate=candidate, pack=pack)

    payment = purchase.payments.get()
    assert (payment.status, payment.method, payment.amount_paise) == ("captured", "upi", 300_000)
    assert kinds(purchase) == [("granted", 3)]
    assert purchase.granted_at == NOW
    assert purchase.expires_at == NOW + datetime.timedelta(days=60)
    assert Receipt.objects.filter(payment=payment).exists()


def test_the_grant_happens_once_however_often_it_runs(candidate, pack, buy):
    purchase = buy(candidate=candidate, pack=pack)

    assert pack_purchase_grant(payment_id=purchase.payments.get().pk) is False
    assert kinds(purchase) == [("granted", 3)]


def test_a_second_payment_for_a_paid_pack_is_refunded_in_full(candidate, pack, buy, task_queue):
    purchase = buy(candidate=candidate, pack=pack)
    gateway = fake.TestGateway()
    order = gateway.create_order(amount_paise=300_000, currency="INR", receipt="x", notes={})
    second = Payment.objects.create(
        pack_purchase=purchase, gateway="test", order_ref=order.provider_ref, amount_paise=300_000
    )
    paid, _, _ = gateway.checkout(order.provider_ref, succeed=True)

    payment_record(info=paid)
    task_queue.run_all_except("outbox_send_task")

    second.refresh_from_db()
    assert second.status == PaymentStatus.REFUNDED
    assert kinds(purchase) == [("granted", 3)]


def test_a_booking_paid_with_a_credit_is_confirmed_at_once_without_a_payment(
    candidate, pack, buy, book, paid_type
):
    purchase = buy(candidate=candidate, pack=pack)
    held = book(candidate=candidate, interview_type=paid_type)

    booking = booking_pay_with_credit(booking=held, candidate=candidate)

    assert (booking.status, booking.hold_expires_at) == (BookingStatus.CONFIRMED, None)
    assert not booking.payments.exists()
    assert kinds(purchase) == [("granted", 3), ("used", -1)]
    assert purchase.entries.get(kind=CreditKind.USED).booking == booking
    assert balance(purchase) == 2


def test_a_credit_pays_only_for_its_packs_types_before_it_expires(
    candidate, pack, buy, book, profile
):
    buy(candidate=candidate, pack=pack)
    other_type = InterviewTypeFactory(name="Behavioral", interviewers=[profile])
    held = book(candidate=candidate, interview_type=other_type)

    assert credit_for_booking(booking=held) is None
    with pytest.raises(PolicyViolation, match="no pack credit"):
        booking_pay_with_credit(booking=held, candidate=candidate)


def test_a_session_starting_after_the_pack_expires_is_not_covered(candidate, paid_type, buy, book):
    pack = pack_for(paid_type, validity_days=1)  # expires at NOW + 1 day, before SLOT
    buy(candidate=candidate, pack=pack)
    held = book(candidate=candidate, interview_type=paid_type, starts_at=SLOT)

    assert credit_for_booking(booking=held) is None


def pack_for(interview_type, **terms):
    return PackFactory(interview_types=[interview_type], **terms)


def test_the_last_credit_cannot_pay_twice(candidate, paid_type, buy, book):
    buy(candidate=candidate, pack=pack_for(paid_type, sessions=1))
    first = book(candidate=candidate, interview_type=paid_type)
    second = book(
        candidate=candidate, interview_type=paid_type, starts_at=SLOT + datetime.timedelta(hours=2)
    )

    booking_pay_with_credit(booking=first, candidate=candidate)

    with pytest.raises(PolicyViolation, match="no pack credit"):
        booking_pay_with_credit(booking=second, candidate=candidate)
    second.refresh_from_db()
    assert second.status == BookingStatus.PENDING_PAYMENT


def test_someone_elses_booking_cannot_take_my_credit(
    candidate, other_candidate, pack, buy, book, paid_type
):
    buy(candidate=candidate, pack=pack)
    theirs = book(candidate=other_candidate, interview_type=paid_type)

    with pytest.raises(PolicyViolation):
        booking_pay_with_credit(booking=theirs, candidate=candidate)


def test_cancelling_in_time_returns_the_credit(candidate, pack, buy, book, paid_type, task_queue):
    purchase = buy(candidate=candidate, pack=pack)
    booking = booking_pay_with_credit(
        booking=book(candidate=candidate, interview_type=paid_type), candidate=candidate
    )

    booking_cancel(booking, actor=candidate, actor_role=Actor.CANDIDATE, reason="Moved on")
    task_queue.run_all_except("outbox_send_task", "meeting_cancel_task")

    assert booking.refund_decision == RefundDecision.FULL
    assert kinds(purchase) == [("granted", 3), ("used", -1), ("returned", 1)]
    assert balance(purchase) == 3


def test_cancelling_late_uses_the_credit(candidate, pack, buy, book, paid_type, task_queue):
    purchase = buy(candidate=candidate, pack=pack)
    booking = booking_pay_with_credit(
        booking=book(candidate=candidate, interview_type=paid_type), candidate=candidate
    )

    with time_machine.travel(SLOT - datetime.timedelta(hours=2), tick=False):
        booking_cancel(booking, actor=candidate, actor_role=Actor.CANDIDATE, reason="Busy")
        task_queue.run_all_except("outbox_send_task", "meeting_cancel_task")

    assert booking.refund_decision == RefundDecision.NONE
    assert kinds(purchase) == [("granted", 3), ("used", -1)]


def test_an_interviewers_cancellation_always_returns_the_credit(
    candidate, interviewer, pack, buy, book, paid_type, task_queue
):
    purchase = buy(candidate=candidate, pack=pack)
    booking = booking_pay_with_credit(
        booking=book(candidate=candidate, interview_type=paid_type), candidate=candidate
    )

    with time_machine.travel(SLOT - datetime.timedelta(hours=1), tick=False):
        booking_cancel(booking, actor=interviewer, actor_role=Actor.INTERVIEWER, reason="Ill")
        task_queue.run_all_except("outbox_send_task", "meeting_cancel_task")

    assert kinds(purchase) == [("granted", 3), ("used", -1), ("returned", 1)]


def test_a_payment_that_lands_after_a_credit_paid_is_refunded(
    candidate, pack, buy, book, paid_type, task_queue
):
    buy(candidate=candidate, pack=pack)
    held = book(candidate=candidate, interview_type=paid_type)
    gateway = fake.TestGateway()
    payment = payment_order_for(booking=held, gateway=gateway)
    booking_pay_with_credit(booking=held, candidate=candidate)
    paid, _, _ = gateway.checkout(payment.order_ref, succeed=True)

    payment_record(info=paid)
    task_queue.run_all_except("outbox_send_task", "meeting_create_task")

    payment.refresh_from_db()
    assert payment.status == PaymentStatus.REFUNDED


def test_credits_left_expire_at_the_end_of_the_validity(candidate, pack, buy, book, paid_type):
    purchase = buy(candidate=candidate, pack=pack)
    booking_pay_with_credit(
        booking=book(candidate=candidate, interview_type=paid_type), candidate=candidate
    )

    assert credits_expire(now=purchase.expires_at - datetime.timedelta(seconds=1)) == 0
    assert credits_expire(now=purchase.expires_at) == 1
    assert credits_expire(now=purchase.expires_at) == 0

    assert kinds(purchase) == [("granted", 3), ("used", -1), ("expired", -2)]
    assert balance(purchase) == 0


def test_a_reminder_goes_once_a_week_before_the_credits_expire(candidate, pack, buy):
    purchase = buy(candidate=candidate, pack=pack)
    week_before = purchase.expires_at - datetime.timedelta(days=7)

    assert credits_expiry_reminders(now=week_before - datetime.timedelta(minutes=1)) == 0
    with time_machine.travel(week_before, tick=False):
        assert credits_expiry_reminders(now=week_before) == 1
        assert credits_expiry_reminders(now=week_before + datetime.timedelta(hours=1)) == 0

    email = OutboxEmail.objects.get(kind="pack_expiry_reminder")
    assert email.to_address == candidate.email
    assert email.subject == "Mockri: 3 pack credits expire on 30 January"
    assert purchase.reference in email.text_body


def test_unused_credits_are_refunded_pro_rata_through_the_refund_path(
    candidate, pack, buy, book, paid_type, task_queue
):
    purchase = buy(candidate=candidate, pack=pack)
    booking_pay_with_credit(
        booking=book(candidate=candidate, interview_type=paid_type), candidate=candidate
    )

    assert pack_refund_quote(purchase, now=NOW) == (2, 200_000, "")
    refund = pack_purchase_refund(purchase=purchase, candidate=candidate)
    task_queue.run_all_except("outbox_send_task")

    refund.refresh_from_db()
    payment = purchase.payments.get()
    assert (refund.amount_paise, refund.status) == (200_000, RefundStatus.PROCESSED)
    assert refund.idempotency_key == f"mockri-refund-{payment.pk}-1"
    payment.refresh_from_db()
    assert (payment.status, payment.amount_refunded_paise) == (
        PaymentStatus.PARTIALLY_REFUNDED,
        200_000,
    )
    assert kinds(purchase) == [("granted", 3), ("used", -1), ("refunded", -2)]
    assert purchase.entries.get(kind=CreditKind.REFUNDED).refund == refund
    with pytest.raises(PolicyViolation, match="No unused credits"):
        pack_purchase_refund(purchase=purchase, candidate=candidate)


def test_a_pack_bought_with_a_coupon_refunds_pro_rata_of_what_was_paid(
    candidate, pack, pack_coupon, buy, task_queue
):
    purchase = buy(candidate=candidate, pack=pack, coupon_code="PACK20")
    payment = purchase.payments.get()
    assert (payment.amount_paise, payment.status) == (240_000, PaymentStatus.CAPTURED)

    assert pack_refund_quote(purchase, now=NOW) == (3, 240_000, "")
    refund = pack_purchase_refund(purchase=purchase, candidate=candidate)
    task_queue.run_all_except("outbox_send_task")

    refund.refresh_from_db()
    assert (refund.amount_paise, refund.status) == (240_000, RefundStatus.PROCESSED)


def test_the_pro_rata_amount_rounds_down_to_the_paisa(candidate, paid_type, buy):
    purchase = buy(candidate=candidate, pack=pack_for(paid_type, sessions=3, price_paise=100_000))

    assert pack_refund_quote(purchase, now=NOW) == (3, 100_000, "")
    purchase.entries.create(kind=CreditKind.EXPIRED, credits=-1, at=NOW)  # one gone
    assert pack_refund_quote(purchase, now=NOW) == (2, 66_666, "")


def test_no_refund_after_the_window(candidate, pack, buy, settings):
    settings.PACK_REFUND_WINDOW_DAYS = 30
    purchase = buy(candidate=candidate, pack=pack)
    later = NOW + datetime.timedelta(days=30, seconds=1)

    credits, amount, refusal = pack_refund_quote(purchase, now=later)

    assert (credits, amount) == (3, 0)
    assert refusal == "Unused credits can be refunded within 30 days of buying the pack."
    with pytest.raises(PolicyViolation):
        pack_purchase_refund(purchase=purchase, candidate=candidate, now=later)


def test_someone_else_cannot_refund_my_pack(candidate, other_candidate, pack, buy):
    purchase = buy(candidate=candidate, pack=pack)

    with pytest.raises(PolicyViolation):
        pack_purchase_refund(purchase=purchase, candidate=other_candidate)


def test_a_payment_is_for_a_booking_or_a_pack_never_both_nor_neither(
    candidate, pack, buy, book, paid_type
):
    purchase = buy(candidate=candidate, pack=pack)
    booking = book(candidate=candidate, interview_type=paid_type)

    for links in ({}, {"booking": booking, "pack_purchase": purchase}):
        with pytest.raises(IntegrityError), transaction.atomic():
            Payment.objects.create(
                gateway="test", order_ref=f"order_{len(links)}", amount_paise=100, **links
            )
