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


def coupon_uses(
    coupon: Coupon, *, candidate: User | None = None, exclude_booking_id: int | None = None
) -> int:
    """Redeemed uses of `coupon` (by `candidate` when given) whose booking still uses it."""
    uses = coupon.redemptions.filter(redeemed_at__isnull=False, booking__status__in=USING_STATUSES)
    if candidate is not None:
        uses = uses.filter(candidate=candidate)
    if exclude_booking_id is not None:
        uses = uses.exclude(booking_id=exclude_booking_id)
    return uses.count()


def coupons_with_usage() -> QuerySet[Coupon]:
    """Every coupon with `uses` (redeemed on bookings that hold or held their time),
    `redemptions` (all redeemed) and `discount_given_paise`, in one query."""
    redeemed = Q(redemptions__redeemed_at__isnull=False)
    return (
        Coupon.objects.annotate(
            uses=Count(
                "redemptions",
                filter=redeemed & Q(redemptions__booking__status__in=USING_STATUSES),
            ),
            redeemed_count=Count("redemptions", filter=redeemed),
            discount_given_paise=Sum("redemptions__discount_paise", filter=redeemed, default=0),
        )
        .prefetch_related("interview_types")
        .order_by("-created_at")
    )


def coupon_redeemed_on(booking) -> CouponRedemption | None:
    """The coupon redeemed on a booking (what its order was reduced by), if any."""
    return (
        CouponRedemption.objects.filter(booking=booking, redeemed_at__isnull=False)
        .select_related("coupon")
        .first()
    )
