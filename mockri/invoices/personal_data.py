"""A person's tax invoices and credit notes, and the billing details they gave. Issued tax
documents (with the buyer's name and GSTIN as issued) are kept after an erasure for the period
the law requires (CGST Act s.36: 72 months; DPDP Rules, Rule 8 illustration); the billing
details behind them are deleted."""

import datetime

from django.db.models import Q

from .models import BuyerDetails, CreditNote, Invoice

MODELS = [BuyerDetails, Invoice, CreditNote]


def _document(document) -> dict:
    return {
        "number": document.number,
        "issued_at": document.issued_at,
        "buyer_name": document.buyer_name,
        "buyer_gstin": document.buyer_gstin,
        "place_of_supply": document.place_of_supply,
        "taxable_paise": document.taxable_paise,
        "cgst_paise": document.cgst_paise,
        "sgst_paise": document.sgst_paise,
        "igst_paise": document.igst_paise,
        "total_paise": document.total_paise,
    }


def export(*, user, archive) -> dict:
    return {
        "billing_details": [
            {
                "booking": details.booking.reference,
                "place_of_supply": details.place_of_supply,
                "gstin": details.gstin,
            }
            for details in BuyerDetails.objects.filter(booking__candidate=user).select_related(
                "booking"
            )
        ],
        "tax_invoices": [
            _document(invoice)
            for invoice in Invoice.objects.filter(
                Q(payment__booking__candidate=user) | Q(payment__pack_purchase__candidate=user)
            )
        ],
        "credit_notes": [
            _document(note)
            for note in CreditNote.objects.filter(
                Q(refund__payment__booking__candidate=user)
                | Q(refund__payment__pack_purchase__candidate=user)
            )
        ],
    }


def erase(*, user, now: datetime.datetime) -> None:
    BuyerDetails.objects.filter(booking__candidate=user).delete()
