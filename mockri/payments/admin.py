"""Payment records are evidence: staff read them here and act from the booking page."""

from django.contrib import admin

from mockri.lib.admin import ReadOnlyAdmin

from .models import Payment, Receipt, Refund, WebhookEvent


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdmin):
    list_display = ["order_ref", "payment_ref", "booking", "amount_paise", "status", "created_at"]
    list_filter = ["status", "gateway"]
    list_select_related = ["booking"]
    search_fields = ["order_ref", "payment_ref", "booking__reference"]


@admin.register(Refund)
class RefundAdmin(ReadOnlyAdmin):
    list_display = ["provider_ref", "payment", "amount_paise", "status", "created_at"]
    list_filter = ["status"]
    list_select_related = ["payment"]


@admin.register(Receipt)
class ReceiptAdmin(ReadOnlyAdmin):
    list_display = ["number", "payment", "issued_at"]
    list_select_related = ["payment"]


@admin.register(WebhookEvent)
class WebhookEventAdmin(ReadOnlyAdmin):
    list_display = ["event_id", "provider", "name", "received_at", "processed_at", "outcome"]
    list_filter = ["provider", "name", "outcome"]
    search_fields = ["event_id"]
