"""Twenty candidates pay at the same moment with a coupon that has one use left (for a session,
then for a pack), on PostgreSQL with real connections: the coupon's row lock lets exactly one
of them have it."""

import datetime

import pytest
from django.db import connection

from mockri.coupons.models import CouponRedemption
from mockri.coupons.services import coupon_apply
from mockri.packs.services import pack_purchase_start
from mockri.payments.gateways import get_gateway
from mockri.payments.models import Payment
from mockri.payments.services import payment_order_for, payment_order_for_pack
from tests.factories import PackFactory, UserFactory
from tests.fixtures import SLOT, at_once

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="SQLite serialises every write transaction"
    ),
]
RACERS = 20


def test_twenty_simultaneous_uses_of_a_one_use_coupon_give_it_to_exactly_one(
    now, paid_type, profile, book, make_coupon
):
    make_coupon("ONLYONE", max_uses=1)
    bookings = []
    for day in range(RACERS):
        booking = book(
            candidate=UserFactory(),
            interview_type=paid_type,
            interviewer=profile,
            starts_at=SLOT + datetime.timedelta(days=day),
            files=[],
        )
        coupon_apply(booking=booking, code="ONLYONE")
        bookings.append(booking)

    def pay(booking):
        return lambda: payment_order_for(booking=booking, gateway=get_gateway())

    outcomes = at_once([pay(booking) for booking in bookings], refusal=lambda e: e.message)

    assert outcomes == sorted(
        ["done"] + ["The coupon ONLYONE has been used up. The full price applies."] * 19
    )
    winner = CouponRedemption.objects.get()
    assert winner.redeemed_at is not None
    assert list(Payment.objects.values_list("booking_id", "amount_paise")) == [
        (winner.booking_id, 159_920)
    ]


def test_twenty_simultaneous_pack_orders_with_a_one_use_coupon_give_it_to_exactly_one(
    now, paid_type, make_coupon
):
    make_coupon("ONEPACK", max_uses=1, applies_to_packs=True)
    pack = PackFactory(interview_types=[paid_type])
    purchases = [
        pack_purchase_start(candidate=UserFactory(), pack=pack, coupon_code="ONEPACK")
        for _ in range(RACERS)
    ]

    def pay(purchase):
        return lambda: payment_order_for_pack(purchase=purchase, gateway=get_gateway())

    outcomes = at_once([pay(purchase) for purchase in purchases], refusal=lambda e: e.message)

    assert outcomes == sorted(
        ["done"] + ["The coupon ONEPACK has been used up. The full price applies."] * 19
    )
    winner = CouponRedemption.objects.get()
    assert winner.redeemed_at is not None
    assert list(Payment.objects.values_list("pack_purchase_id", "amount_paise")) == [
        (winner.pack_purchase_id, 240_000)
    ]
