from django.conf import settings
from django.db import models

from mockri.bookings.models import Booking
from mockri.catalogue.models import InterviewType
from mockri.lib.money import format_inr
from mockri.packs.models import PackPurchase

from .enums import CouponKind


class Coupon(models.Model):
    """A promotion code: percent or flat off sessions (of some types, or all) and, when
    `applies_to_packs`, off packs. Its limits are checked under a lock on its row
    (coupons.services), so they hold however many candidates use it at once."""

    code = models.CharField(max_length=32, unique=True, help_text="Upper case, e.g. WELCOME20.")
    description = models.CharField(max_length=200, blank=True)
    kind = models.CharField(max_length=8, choices=CouponKind.choices)
    percent_off = models.PositiveSmallIntegerField(null=True, blank=True)
    amount_off_paise = models.PositiveIntegerField(null=True, blank=True)
    # None: every type.
    interview_types = models.ManyToManyField(InterviewType, blank=True, related_name="coupons")
    applies_to_sessions = models.BooleanField(default=True)
    applies_to_packs = models.BooleanField(default=False)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField(null=True, blank=True)
    max_uses = models.PositiveIntegerField(null=True, blank=True, help_text="Empty: no limit.")
    max_uses_per_candidate = models.PositiveIntegerField(default=1)
    first_session_only = models.BooleanField(default=False)
    minimum_price_paise = models.PositiveIntegerField(default=0)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(
                        kind=CouponKind.PERCENT,
                        percent_off__gte=1,
                        percent_off__lte=100,
                        amount_off_paise__isnull=True,
                    )
                    | models.Q(
                        kind=CouponKind.FLAT,
                        amount_off_paise__gte=1,
                        percent_off__isnull=True,
                    )
                ),
                name="coupon_percent_or_flat",
            ),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def offer_display(self) -> str:
        if self.kind == CouponKind.PERCENT:
            return f"{self.percent_off}% off"
        return f"{format_inr(self.amount_off_paise or 0)} off"


class CouponRedemption(models.Model):
    """A coupon on one booking or one pack purchase: applied on the booking's details step or
    when buying the pack, redeemed (`redeemed_at`) when the order is made, with the amounts as
    they were then. A redeemed one uses one of the coupon's uses while its booking holds or held
    its time (pending, confirmed, completed, no-show); a cancelled or expired booking gives its
    use back. A pack's redeemed coupon keeps its use: its order was made at that price."""

    coupon = models.ForeignKey(Coupon, on_delete=models.PROTECT, related_name="redemptions")
    booking = models.OneToOneField(
        Booking, on_delete=models.PROTECT, null=True, blank=True, related_name="coupon_redemption"
    )
    pack_purchase = models.OneToOneField(
        PackPurchase,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="coupon_redemption",
    )
    candidate = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    list_price_paise = models.PositiveIntegerField()
    discount_paise = models.PositiveIntegerField()
    paid_paise = models.PositiveIntegerField()
    applied_at = models.DateTimeField(auto_now_add=True)
    redeemed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-applied_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    paid_paise=models.F("list_price_paise") - models.F("discount_paise")
                ),
                name="coupon_redemption_amounts_add_up",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(booking__isnull=False, pack_purchase__isnull=True)
                    | models.Q(booking__isnull=True, pack_purchase__isnull=False)
                ),
                name="coupon_redemption_on_a_booking_or_a_pack",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.coupon} on {self.booking or self.pack_purchase}"
