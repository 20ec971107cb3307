"""Coupons: what a code takes off, when it is refused, and its use when the order is made."""

import datetime

import pytest
from django.db import IntegrityError, transaction

from mockri.bookings.enums import Actor, BookingStatus
from mockri.bookings.services import booking_cancel
from mockri.coupons.enums import CouponKind
from mockri.coupons.models import CouponRedemption
from mockri.coupons.selectors import coupon_redeemed_on_pack
from mockri.coupons.services import (
    CouponRefused,
    coupon_apply,
    coupon_apply_to_pack,
    coupon_discount,
    coupon_redeem_for_order,
)
from mockri.packs.models import PackPurchase
from mockri.packs.services import pack_purchase_start
from mockri.payments.gateways import get_gateway
from mockri.payments.models import Payment
from mockri.payments.services import (
    payment_order_for,
    payment_order_for_pack,
    payment_record,
    refund_for_cancellation,
)
from tests.factories import InterviewTypeFactory, PackFactory, UserFactory
from tests.fixtures import SLOT, SLOT_BOTH

pytestmark = pytest.mark.django_db


def refusal(coupon, candidate, price=199_900, **options) -> str:
    with pytest.raises(CouponRefused) as refused:
        coupon_discount(coupon, candidate, price, **options)
    return refused.value.message


@pytest.mark.parametrize(
    ("fields", "price", "discount"),
    [
        ({"kind": CouponKind.PERCENT, "percent_off": 20}, 199_900, 39_980),
        ({"kind": CouponKind.PERCENT, "percent_off": 33}, 99_999, 32_999),
        ({"kind": CouponKind.FLAT, "amount_off_paise": 50_000}, 199_900, 50_000),
        ({"kind": CouponKind.FLAT, "amount_off_paise": 500_000}, 199_900, 199_900),
        ({"kind": CouponKind.PERCENT, "percent_off": 100}, 199_900, 199_900),
        # Razorpay takes no order under ₹1: 50 paise left to pay becomes nothing to pay.
        ({"kind": CouponKind.FLAT, "amount_off_paise": 199_850}, 199_900, 199_900),
    ],
)
def test_a_coupon_takes_a_percent_or_a_flat_amount_off(
    make_coupon, candidate, paid_type, fields, price, discount
):
    coupon = make_coupon(**fields)

    assert coupon_discount(coupon, candidate, price, interview_type=paid_type) == discount


def test_unknown_expired_early_and_stopped_codes_are_refused_with_a_reason(
    make_coupon, candidate, paid_type, now
):
    expired = make_coupon("OLD", ends_at=now)
    early = make_coupon("SOON", starts_at=now + datetime.timedelta(hours=1))
    stopped = make_coupon("STOPPED", is_active=False)

    assert refusal(expired, candidate, interview_type=paid_type) == "The coupon OLD has expired."
    assert refusal(early, candidate, interview_type=paid_type) == (
        "The coupon SOON is not valid right now."
    )
    assert refusal(stopped, candidate, interview_type=paid_type) == (
        "The coupon STOPPED is not valid right now."
    )


def test_a_coupon_applies_only_to_its_types_its_minimum_price_and_sessions_or_packs(
    make_coupon, candidate, paid_type, profile
):
    other_type = InterviewTypeFactory(name="Behavioural", price_paise=99_900)
    for_design = make_coupon("DESIGN", types=[paid_type], minimum_price_paise=150_000)
    packs_only = make_coupon("PACKS", applies_to_sessions=False, applies_to_packs=True)

    assert refusal(for_design, candidate, interview_type=other_type) == (
        "The coupon DESIGN applies only to System Design sessions."
    )
    assert refusal(for_design, candidate, 149_900, interview_type=paid_type) == (
        "The coupon DESIGN applies only to higher prices."
    )
    assert refusal(packs_only, candidate, interview_type=paid_type) == (
        "The coupon PACKS applies to packs only."
    )
    assert refusal(for_design, candidate, for_pack=True) == (
        "The coupon DESIGN does not apply to packs."
    )
    assert coupon_discount(packs_only, candidate, 500_000, for_pack=True) == 100_000


def test_a_first_session_coupon_is_refused_to_a_candidate_who_has_booked_before(
    make_coupon, candidate, other_candidate, paid_type, profile, book
):
    coupon = make_coupon("FIRST", first_session_only=True)
    book(candidate=candidate, interview_type=paid_type, interviewer=profile)

    assert refusal(coupon, candidate, interview_type=paid_type) == (
        "The coupon FIRST is for your first session only."
    )
    assert coupon_discount(coupon, other_candidate, 199_900, interview_type=paid_type) == 39_980


def held_with_coupon(book, candidate, paid_type, profile, code, starts_at=SLOT):
    booking = book(
        candidate=candidate, interview_type=paid_type, interviewer=profile, starts_at=starts_at
    )
    coupon_apply(booking=booking, code=code)
    return booking


def test_a_coupon_is_used_when_the_order_is_made_and_the_order_is_for_the_rest(
    make_coupon, candidate, paid_type, profile, book
):
    make_coupon("WELCOME20")
    booking = held_with_coupon(book, candidate, paid_type, profile, " welcome20 ")

    payment = payment_order_for(booking=booking, gateway=get_gateway())

    redemption = CouponRedemption.objects.get()
    assert payment.amount_paise == 159_920
    assert (redemption.list_price_paise, redemption.discount_paise, redemption.paid_paise) == (
        199_900,
        39_980,
        159_920,
    )
    assert redemption.redeemed_at is not None
    # A reload reuses the order: the coupon is not checked or used again.
    assert payment_order_for(booking=booking, gateway=get_gateway()) == payment


def test_per_candidate_and_total_limits_count_redeemed_uses_of_bookings_that_hold_their_time(
    make_coupon, candidate, other_candidate, paid_type, profile, book, now
):
    make_coupon("ONCE", max_uses_per_candidate=1, max_uses=2)
    first = held_with_coupon(book, candidate, paid_type, profile, "ONCE")
    coupon_redeem_for_order(booking=first)
    later = SLOT + datetime.timedelta(hours=2)
    second = book(
        candidate=candidate, interview_type=paid_type, interviewer=profile, starts_at=later
    )

    with pytest.raises(CouponRefused, match=r"You have already used the coupon ONCE\."):
        coupon_apply(booking=second, code="ONCE")

    # A cancelled booking gives its use back.
    booking_cancel(first, actor=candidate, actor_role=Actor.CANDIDATE, reason="", now=now)
    coupon_apply(booking=second, code="ONCE")
    assert coupon_redeem_for_order(booking=second) == 159_920


def test_a_coupon_used_up_before_the_order_comes_off_the_booking_and_the_full_price_applies(
    make_coupon, candidate, other_candidate, paid_type, profile, other_profile, book
):
    paid_type.interviewers.add(other_profile)
    make_coupon("LAST", max_uses=1)
    mine = held_with_coupon(book, candidate, paid_type, profile, "LAST")
    theirs = held_with_coupon(
        book, other_candidate, paid_type, other_profile, "LAST", starts_at=SLOT_BOTH
    )
    coupon_redeem_for_order(booking=theirs)

    with pytest.raises(CouponRefused) as refused:
        payment_order_for(booking=mine, gateway=get_gateway())

    assert refused.value.message == "The coupon LAST has been used up. The full price applies."
    assert not CouponRedemption.objects.filter(booking=mine).exists()
    assert payment_order_for(booking=mine, gateway=get_gateway()).amount_paise == 199_900


def test_a_100_percent_coupon_confirms_the_booking_without_a_payment(
    make_coupon, candidate, paid_type, profile, book
):
    make_coupon("FREE", percent_off=100)
    booking = held_with_coupon(book, candidate, paid_type, profile, "FREE")

    assert payment_order_for(booking=booking, gateway=get_gateway()) is None

    booking.refresh_from_db()
    assert (booking.status, booking.hold_expires_at) == (BookingStatus.CONFIRMED, None)
    assert booking.events.last().detail == "The coupon FREE covered the price."
    assert not Payment.objects.exists()


def test_a_cancellation_refunds_what_was_paid_not_the_list_price(
    make_coupon, candidate, paid_type, profile, book, now
):
    make_coupon("WELCOME20")
    booking = held_with_coupon(book, candidate, paid_type, profile, "WELCOME20")
    gateway = get_gateway()
    payment = payment_order_for(booking=booking, gateway=gateway)
    paid, _, _ = gateway.checkout(payment.order_ref, succeed=True)
    payment_record(info=paid)
    booking.refresh_from_db()
    booking_cancel(booking, actor=candidate, actor_role=Actor.CANDIDATE, reason="", now=now)

    refund = refund_for_cancellation(booking=booking)

    assert refund.amount_paise == 159_920


def test_a_coupon_cannot_be_put_on_a_booking_whose_payment_has_started(
    make_coupon, candidate, paid_type, profile, book
):
    make_coupon("LATE")
    booking = book(candidate=candidate, interview_type=paid_type, interviewer=profile)
    payment_order_for(booking=booking, gateway=get_gateway())

    with pytest.raises(CouponRefused, match="payment has started"):
        coupon_apply(booking=booking, code="LATE")


def test_an_unknown_code_is_refused(candidate, paid_type, profile, book):
    booking = book(candidate=candidate, interview_type=paid_type, interviewer=profile)

    with pytest.raises(CouponRefused, match="There is no coupon with that code"):
        coupon_apply(booking=booking, code="NOPE")


# Packs: the coupon is applied when buying, redeemed under the same lock when the order is made.


def test_a_pack_coupon_is_applied_when_buying_and_redeemed_when_the_order_is_made(
    candidate, paid_type, make_coupon
):
    make_coupon("PACK10", percent_off=10, applies_to_packs=True)
    pack = PackFactory(interview_types=[paid_type])

    purchase = pack_purchase_start(candidate=candidate, pack=pack, coupon_code=" pack10 ")
    redemption = purchase.coupon_redemption
    assert (redemption.booking, redemption.redeemed_at) == (None, None)
    assert (redemption.list_price_paise, redemption.discount_paise) == (300_000, 30_000)

    payment = payment_order_for_pack(purchase=purchase, gateway=get_gateway())

    redemption.refresh_from_db()
    assert payment.amount_paise == redemption.paid_paise == 270_000
    assert redemption.redeemed_at is not None
    assert coupon_redeemed_on_pack(purchase) == redemption


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"applies_to_packs": False}, "The coupon CODE does not apply to packs."),
        ({"applies_to_packs": True, "is_active": False}, "The coupon CODE is not valid right now."),
        (
            {"applies_to_packs": True, "percent_off": 100},
            "The coupon CODE would cover the whole pack, and a pack needs a payment. "
            "Please use it on a single session instead.",
        ),
    ],
)
def test_a_coupon_that_cannot_be_used_on_a_pack_makes_no_purchase(
    candidate, paid_type, make_coupon, fields, message
):
    make_coupon("CODE", **fields)
    pack = PackFactory(interview_types=[paid_type])

    with pytest.raises(CouponRefused) as refused:
        pack_purchase_start(candidate=candidate, pack=pack, coupon_code="CODE")

    assert refused.value.message == message
    assert not PackPurchase.objects.exists() and not CouponRedemption.objects.exists()


def test_a_pack_coupon_used_up_before_the_order_is_taken_off_and_the_full_price_applies(
    candidate, paid_type, make_coupon
):
    coupon = make_coupon("ONE", max_uses=1, applies_to_packs=True)
    pack = PackFactory(interview_types=[paid_type])
    first = pack_purchase_start(candidate=candidate, pack=pack, coupon_code="ONE")
    second = pack_purchase_start(candidate=UserFactory(), pack=pack, coupon_code="ONE")
    payment_order_for_pack(purchase=first, gateway=get_gateway())

    with pytest.raises(CouponRefused, match=r"has been used up\. The full price applies\."):
        payment_order_for_pack(purchase=second, gateway=get_gateway())

    assert list(coupon.redemptions.values_list("pack_purchase", flat=True)) == [first.pk]
    payment = payment_order_for_pack(purchase=second, gateway=get_gateway())
    assert payment.amount_paise == 300_000


def test_a_redeemed_pack_coupon_counts_towards_the_candidates_limit_for_sessions_too(
    candidate, paid_type, make_coupon, book, profile
):
    make_coupon("ONCE", applies_to_packs=True)
    purchase = pack_purchase_start(
        candidate=candidate, pack=PackFactory(interview_types=[paid_type]), coupon_code="ONCE"
    )
    payment_order_for_pack(purchase=purchase, gateway=get_gateway())
    booking = book(candidate=candidate, interview_type=paid_type, interviewer=profile)

    with pytest.raises(CouponRefused, match=r"You have already used the coupon ONCE\."):
        coupon_apply(booking=booking, code="ONCE")


def test_a_coupon_cannot_be_added_to_a_pack_whose_order_is_made(candidate, paid_type, make_coupon):
    make_coupon("LATE", applies_to_packs=True)
    pack = PackFactory(interview_types=[paid_type])
    ordered = pack_purchase_start(candidate=candidate, pack=pack)
    payment_order_for_pack(purchase=ordered, gateway=get_gateway())

    again = pack_purchase_start(candidate=candidate, pack=pack, coupon_code="LATE")

    assert again != ordered and again.coupon_redemption.discount_paise == 60_000
    with pytest.raises(CouponRefused, match="payment has started"):
        coupon_apply_to_pack(purchase=ordered, code="LATE")


def test_a_redemption_is_on_exactly_one_of_a_booking_or_a_pack(
    candidate, paid_type, make_coupon, book, profile
):
    coupon = make_coupon("BOTH", applies_to_packs=True)
    booking = book(candidate=candidate, interview_type=paid_type, interviewer=profile)
    purchase = pack_purchase_start(candidate=candidate, pack=PackFactory())
    amounts = {"list_price_paise": 100, "discount_paise": 0, "paid_paise": 100}

    for links in [{}, {"booking": booking, "pack_purchase": purchase}]:
        with pytest.raises(IntegrityError), transaction.atomic():
            CouponRedemption.objects.create(coupon=coupon, candidate=candidate, **links, **amounts)
