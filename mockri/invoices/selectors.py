from django.db.models import QuerySet, Sum
from django.http import Http404

from mockri.bookings.enums import Actor
from mockri.bookings.selectors import booking_get_for_user

from .models import CreditNote, Invoice


def invoice_get_for_user(*, user, pk: int) -> Invoice:
    """An invoice for its candidate and staff; 404 for anyone else (the interviewer too)."""
    invoice = Invoice.objects.select_related("payment__booking").filter(pk=pk).first()
    if invoice is None:
        raise Http404("No such invoice.")
    _, role = booking_get_for_user(user=user, reference=invoice.payment.booking.reference)
    if role not in (Actor.CANDIDATE, Actor.STAFF):
        raise Http404("No such invoice.")
    return invoice


def credit_note_get_for_user(*, user, pk: int) -> CreditNote:
    note = (
        CreditNote.objects.select_related("invoice", "refund__payment__booking")
        .filter(pk=pk)
        .first()
    )
    if note is None:
        raise Http404("No such credit note.")
    _, role = booking_get_for_user(user=user, reference=note.refund.payment.booking.reference)
    if role not in (Actor.CANDIDATE, Actor.STAFF):
        raise Http404("No such credit note.")
    return note


def invoices_for_console() -> QuerySet[Invoice]:
    return Invoice.objects.select_related("payment__booking").order_by("-issued_at", "-pk")


def credit_notes_for_console() -> QuerySet[CreditNote]:
    return CreditNote.objects.select_related("invoice", "refund__payment__booking").order_by(
        "-issued_at", "-pk"
    )


_TOTALS = {
    "taxable": Sum("taxable_paise", default=0),
    "cgst": Sum("cgst_paise", default=0),
    "sgst": Sum("sgst_paise", default=0),
    "igst": Sum("igst_paise", default=0),
    "total": Sum("total_paise", default=0),
}


def tax_totals() -> dict[str, dict[str, int]]:
    """Sums of everything invoiced and credited, for the console's GST summary."""
    return {
        "invoiced": Invoice.objects.aggregate(**_TOTALS),
        "credited": CreditNote.objects.aggregate(**_TOTALS),
    }
