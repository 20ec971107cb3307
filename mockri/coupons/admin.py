"""Coupons are made and stopped at /console/coupons/; the admin only reads them and their uses."""

from django.contrib import admin

from mockri.lib.admin import ReadOnlyAdmin

from .models import Coupon, CouponRedemption


@admin.register(Coupon)
class CouponAdmin(ReadOnlyAdmin):
    list_display = ["code", "kind", "percent_off", "amount_off_paise", "max_uses", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["code"]


@admin.register(CouponRedemption)
class CouponRedemptionAdmin(ReadOnlyAdmin):
    list_display = ["coupon", "booking", "discount_paise", "paid_paise", "redeemed_at"]
    list_select_related = ["coupon", "booking"]
    search_fields = ["coupon__code", "booking__reference"]
