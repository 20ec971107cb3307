from django.db.models import Count, Q, QuerySet, Sum

from mockri.accounts.models import User
from mockri.bookings.enums import BookingStatus

from .models import Coupon, CouponRedemption

# The bookings whose redeemed coupon counts as used: they hold, or held, their time.
USING_STATUSES = [
    BookingStatus.PENDING_PAYMENT,
    BookingStatus.CONFIRMED,
    BookingStatus.COMPLETED,
    BookingStatus.NO_SHOW,
]
# A redeemed use counts while its booking uses it, and always on a pack (its order was made).
_USING = Q(booking__status__in=USING_STATUSES) | Q(pack_purchase__isnull=False)


def coupon_uses(
    coupon: Coupon, *, candidate: User | None = None, exclude_booking_id: int | None = None
) -> int:
    """Redeemed uses of `coupon` (by `candidate` when given): on packs, and on bookings that
    still use it."""
    uses = coupon.redemptions.filter(_USING, redeemed_at__isnull=False)
    if candidate is not None:
        uses = uses.filter(candidate=candidate)
    if exclude_booking_id is not None:
        uses = uses.exclude(booking_id=exclude_booking_id)
    return uses.count()


def coupons_with_usage() -> QuerySet[Coupon]:
    """Every coupon with `uses` (redeemed on packs, or on bookings that hold or held their time),
    `redemptions` (all redeemed) and `discount_given_paise`, in one query."""
    redeemed = Q(redemptions__redeemed_at__isnull=False)
    return (
        Coupon.objects.annotate(
            uses=Count(
                "redemptions",
                filter=redeemed
                & (
                    Q(redemptions__booking__status__in=USING_STATUSES)
                    | Q(redemptions__pack_purchase__isnull=False)
                ),
            ),
            redeemed_count=Count("redemptions", filter=redeemed),
            discount_given_paise=Sum("redemptions__discount_paise", filter=redeemed, default=0),
        )
        .prefetch_related("interview_types")
        .order_by("-created_at")
    )


def coupon_redeemed_on(booking) -> CouponRedemption | None:
    """The coupon redeemed on a booking (what its order was reduced by), if any."""
    if booking is None:
        return None
    return (
        CouponRedemption.objects.filter(booking=booking, redeemed_at__isnull=False)
        .select_related("coupon")
        .first()
    )


def coupon_redeemed_on_pack(purchase) -> CouponRedemption | None:
    """The coupon redeemed on a pack purchase (what its order was reduced by), if any."""
    if purchase is None:
        return None
    return (
        CouponRedemption.objects.filter(pack_purchase=purchase, redeemed_at__isnull=False)
        .select_related("coupon")
        .first()
    )
