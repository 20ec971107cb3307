"""The coupons a person used on their bookings and packs. They are part of what was paid (the
list price, the discount, the amount charged), so they are kept after an erasure like the
payments, pointing only to the de-identified account."""

import datetime

from .models import CouponRedemption

MODELS = [CouponRedemption]


def export(*, user, archive) -> dict:
    redemptions = CouponRedemption.objects.filter(candidate=user).select_related(
        "coupon", "booking", "pack_purchase"
    )
    return {
        "coupon_redemptions": [
            {
                "booking": redemption.booking.reference if redemption.booking else None,
                "pack_purchase": (
                    redemption.pack_purchase.reference if redemption.pack_purchase else None
                ),
                "coupon": redemption.coupon.code,
                "list_price_paise": redemption.list_price_paise,
                "discount_paise": redemption.discount_paise,
                "paid_paise": redemption.paid_paise,
                "applied_at": redemption.applied_at,
                "redeemed_at": redemption.redeemed_at,
            }
            for redemption in redemptions
        ]
    }


def erase(*, user, now: datetime.datetime) -> None:
    """Nothing to remove: amounts of a payment record, kept for accounting (CGST Act s.36)."""
