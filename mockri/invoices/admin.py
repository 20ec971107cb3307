"""Issued tax documents never change: staff read them here and at /console/invoices/."""

from django.contrib import admin

from mockri.lib.admin import ReadOnlyAdmin

from .models import CreditNote, Invoice


@admin.register(Invoice)
class InvoiceAdmin(ReadOnlyAdmin):
    list_display = ["number", "issued_at", "buyer_name", "place_of_supply", "total_paise"]
    search_fields = ["number", "payment__booking__reference"]


@admin.register(CreditNote)
class CreditNoteAdmin(ReadOnlyAdmin):
    list_display = ["number", "issued_at", "invoice", "total_paise"]
    list_select_related = ["invoice"]
    search_fields = ["number"]
