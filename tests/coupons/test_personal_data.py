"""A person's coupons are in their export, on bookings and on packs."""

import pytest

from mockri.coupons import personal_data
from mockri.coupons.services import coupon_apply
from mockri.packs.services import pack_purchase_start
from mockri.payments.gateways import get_gateway
from mockri.payments.services import payment_order_for_pack
from mockri.privacy.registry import ExportArchive
from tests.factories import PackFactory
from tests.fixtures import NOW

pytestmark = pytest.mark.django_db


def test_the_export_holds_the_coupons_used_on_bookings_and_on_packs(
    candidate, paid_type, profile, book, make_coupon
):
    make_coupon("BOTH", applies_to_packs=True, max_uses_per_candidate=2)
    booking = book(candidate=candidate, interview_type=paid_type, interviewer=profile)
    coupon_apply(booking=booking, code="BOTH")
    purchase = pack_purchase_start(
        candidate=candidate, pack=PackFactory(interview_types=[paid_type]), coupon_code="BOTH"
    )
    payment_order_for_pack(purchase=purchase, gateway=get_gateway())

    exported = personal_data.export(user=candidate, archive=ExportArchive())

    rows = {
        (row["booking"], row["pack_purchase"], row["paid_paise"], row["redeemed_at"])
        for row in exported["coupon_redemptions"]
    }
    assert rows == {
        (booking.reference, None, booking.price_paise * 80 // 100, None),
        (None, purchase.reference, 240_000, NOW),
    }
