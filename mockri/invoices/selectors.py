from django.db.models import QuerySet, Sum
from django.http import Http404

from mockri.bookings.enums import Actor
from mockri.bookings.selectors import booking_get_for_user
from mockri.payments.models import Payment

from .models import CreditNote, Invoice


def _payers_or_staff(*, user, payment: Payment) -> bool:
    """Whether the user may read a payment's tax documents: its candidate (of the booking or
    the pack) and staff; never the interviewer."""
    if payment.booking is None:
        return payment.paid_for.candidate_id == user.pk or user.is_staff
    _, role = booking_get_for_user(user=user, reference=payment.booking.reference)
    return role in (Actor.CANDIDATE, Actor.STAFF)


def invoice_get_for_user(*, user, pk: int) -> Invoice:
    """An invoice for its candidate and staff; 404 for anyone else (the interviewer too)."""
    invoice = (
        Invoice.objects.select_related("payment__booking", "payment__pack_purchase")
        .filter(pk=pk)
        .first()
    )
    if invoice is None or not _payers_or_staff(user=user, payment=invoice.payment):
        raise Http404("No such invoice.")
    return invoice


def credit_note_get_for_user(*, user, pk: int) -> CreditNote:
    note = (
        CreditNote.objects.select_related(
            "invoice", "refund__payment__booking", "refund__payment__pack_purchase"
        )
        .filter(pk=pk)
        .first()
    )
    if note is None or not _payers_or_staff(user=user, payment=note.refund.payment):
        raise Http404("No such credit note.")
    return note


def invoices_for_console() -> QuerySet[Invoice]:
    return Invoice.objects.select_related("payment__booking", "payment__pack_purchase").order_by(
        "-issued_at", "-pk"
    )


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
