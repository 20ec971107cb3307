from django.db.models import Count, Q, QuerySet, Sum

from .models import Coupon
from .services import USING_STATUSES


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
