"""Staff define packs here; purchases and their ledgers are evidence, read-only."""

from django.contrib import admin

from mockri.lib.admin import ReadOnlyAdmin

from .models import CreditEntry, Pack, PackPurchase


@admin.register(Pack)
class PackAdmin(admin.ModelAdmin):
    list_display = ["name", "sessions", "price_paise", "validity_days", "is_active"]
    list_filter = ["is_active"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["interview_types"]


@admin.register(PackPurchase)
class PackPurchaseAdmin(ReadOnlyAdmin):
    list_display = ["reference", "candidate", "pack", "granted_at", "expires_at"]
    list_select_related = ["candidate", "pack"]
    search_fields = ["reference", "candidate__email"]


@admin.register(CreditEntry)
class CreditEntryAdmin(ReadOnlyAdmin):
    list_display = ["purchase", "kind", "credits", "booking", "at"]
    list_filter = ["kind"]
    list_select_related = ["purchase", "booking"]
