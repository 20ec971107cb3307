"""Staff read the money records here; every change goes through the console's pages and their
services (rates at /console/earnings/rates/, batches at /console/payouts/), which keep the rules:
entries are append-only, a settled entry never changes, a rate is kept by the entries credited at
it. So nothing is added, changed or deleted in the admin, and payout details show masked."""

from django.contrib import admin

from mockri.lib.admin import ReadOnlyAdmin, ReadOnlyInline

from .models import (
    EarningEntry,
    EarningRate,
    NoShowReport,
    PayoutBatch,
    PayoutDetails,
    PayoutLine,
    ReliabilityPause,
)


class StaffReadOnly(ReadOnlyAdmin):
    """Every active staff member may read (the middleware requires their two-factor here)."""

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_staff

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_staff


@admin.register(EarningEntry)
class EarningEntryAdmin(StaffReadOnly):
    list_display = [
        "earned_at",
        "interviewer",
        "kind",
        "amount_display",
        "booking",
        "settled_at",
    ]
    list_filter = ["kind", ("settled_at", admin.EmptyFieldListFilter)]
    list_select_related = ["interviewer", "booking"]
    search_fields = ["interviewer__display_name", "booking__reference", "description"]
    date_hierarchy = "earned_at"
    fields = [
        "interviewer",
        "booking",
        "kind",
        "amount_display",
        "description",
        "earned_at",
        "rate",
        "reverses",
        "refund",
        "payout_line",
        "settled_at",
        "created_at",
    ]
    readonly_fields = fields

    @admin.display(description="amount")
    def amount_display(self, entry: EarningEntry) -> str:
        return entry.amount_display


@admin.register(EarningRate)
class EarningRateAdmin(StaffReadOnly):
    list_display = ["interview_type", "description", "effective_from", "created_by", "created_at"]
    list_filter = ["kind", "interview_type"]
    list_select_related = ["interview_type", "created_by"]


class PayoutLineInline(ReadOnlyInline):
    model = PayoutLine
    fields = ["interviewer", "amount_display", "payee_name", "destination_masked", "reference"]
    readonly_fields = fields

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_staff

    @admin.display(description="amount")
    def amount_display(self, line: PayoutLine) -> str:
        return line.amount_display


@admin.register(PayoutBatch)
class PayoutBatchAdmin(StaffReadOnly):
    list_display = ["__str__", "minimum_paise", "created_by", "created_at"]
    list_select_related = ["created_by"]
    inlines = [PayoutLineInline]


@admin.register(PayoutLine)
class PayoutLineAdmin(StaffReadOnly):
    list_display = [
        "batch",
        "interviewer",
        "amount_display",
        "payee_name",
        "destination_masked",
        "reference",
        "paid_at",
    ]
    list_filter = [("paid_at", admin.EmptyFieldListFilter)]
    list_select_related = ["batch", "interviewer"]
    search_fields = ["interviewer__display_name", "reference"]

    @admin.display(description="amount")
    def amount_display(self, line: PayoutLine) -> str:
        return line.amount_display


@admin.register(PayoutDetails)
class PayoutDetailsAdmin(StaffReadOnly):
    """Masked like every page: the full number leaves only in staff's bank-transfer CSV."""

    list_display = ["profile", "method", "holder_name", "masked", "updated_at"]
    list_select_related = ["profile"]
    search_fields = ["profile__display_name", "holder_name"]
    # Only these: the account number, IFSC and UPI id are never rendered in full here.
    fields = ["profile", "method", "holder_name", "masked", "updated_at"]
    readonly_fields = fields


@admin.register(NoShowReport)
class NoShowReportAdmin(StaffReadOnly):
    list_display = ["booking", "status", "reported_at", "decided_at", "decided_by"]
    list_filter = ["status"]
    list_select_related = ["booking", "decided_by"]
    search_fields = ["booking__reference"]


@admin.register(ReliabilityPause)
class ReliabilityPauseAdmin(StaffReadOnly):
    list_display = ["interviewer", "paused_at", "incidents", "reason"]
    list_select_related = ["interviewer"]
