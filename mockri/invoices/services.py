"""Tax invoices and credit notes (GST), issued once the operator's GSTIN is configured.

Every captured payment gets one invoice and every processed refund of an invoiced payment one
credit note, numbered without gaps in a series per financial year (April to March): the
series' counter row is locked in the transaction that stores the document. Prices include
GST; the split follows the place of supply the candidate gave (gst.tax_split). Issued
documents never change (models._Immutable).
"""

import datetime
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from mockri.accounts.models import User
from mockri.bookings.models import Booking
from mockri.lib.errors import DomainError
from mockri.notifications.services import email_queue_rendered
from mockri.payments.enums import PAYMENT_RANK, PaymentStatus, RefundStatus
from mockri.payments.models import Payment, Refund

from .gst import financial_year, gstin_problem, tax_split
from .models import BuyerDetails, CreditNote, DocumentCounter, Invoice

INVOICE_SERIES = "MKR"
CREDIT_NOTE_SERIES = "MKC"


def invoicing_enabled() -> bool:
    """Tax invoices are issued only once the operator's GSTIN is configured."""
    return bool(settings.GSTIN)


def buyer_details_save(*, booking: Booking, place_of_supply: str, gstin: str = "") -> BuyerDetails:
    """Keep the state (and GSTIN) the candidate gave for the booking's invoice. A GSTIN must
    be valid and registered in that state (the place of supply of a registered buyer is where
    they are registered). Raises DomainError."""
    gstin = gstin.strip().upper()
    if gstin and (problem := gstin_problem(gstin)):
        raise DomainError(problem)
    if gstin and gstin[:2] != place_of_supply:
        raise DomainError("That GSTIN is registered in another state: choose that state.")
    details, _ = BuyerDetails.objects.update_or_create(
        booking=booking, defaults={"place_of_supply": place_of_supply, "gstin": gstin}
    )
    return details


def _next_number(series: str, issued_at: datetime.datetime) -> tuple[str, int, str]:
    """(financial year, sequence, number) for the next document of `series`: the counter's
    row stays locked until the caller's transaction ends, so the next caller waits for it."""
    year = financial_year(timezone.localdate(issued_at))
    DocumentCounter.objects.get_or_create(series=series, financial_year=year)
    counter = DocumentCounter.objects.select_for_update().get(series=series, financial_year=year)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    # At most 16 characters, as CGST Rules rule 46(b) asks: MKR/26-27/00001.
    return year, counter.last_number, f"{series}/{year[2:]}/{counter.last_number:05d}"


def _seller() -> dict:
    return {
        "seller_legal_name": settings.OPERATOR_LEGAL_NAME,
        "seller_address": settings.OPERATOR_ADDRESS,
        "seller_gstin": settings.GSTIN,
        "seller_state": settings.OPERATOR_STATE_CODE,
        "sac_code": settings.GST_SAC_CODE,
    }


def _split(total_paise: int, *, place_of_supply: str, rate_percent: Decimal) -> dict:
    split = tax_split(
        total_paise=total_paise,
        rate_percent=rate_percent,
        supplier_state=settings.OPERATOR_STATE_CODE,
        place_of_supply=place_of_supply,
    )
    return {
        "taxable_paise": split.taxable_paise,
        "cgst_paise": split.cgst_paise,
        "sgst_paise": split.sgst_paise,
        "igst_paise": split.igst_paise,
        "total_paise": split.total_paise,
    }


def _payer(payment: Payment) -> User:
    """Who paid: the booking's candidate, or the pack's buyer."""
    return payment.paid_for.candidate


def _description(payment: Payment) -> str:
    if booking := payment.booking:
        return (
            f"{booking.interview_type.name} mock interview session, "
            f"{timezone.localtime(booking.starts_at):%d %b %Y} (booking {booking.reference})"
        )
    purchase = payment.paid_for
    return (
        f"{purchase.pack.name}: {purchase.sessions} mock interview session credits, valid "
        f"{purchase.validity_days} days (pack {purchase.reference})"
    )


def invoice_issue(*, payment_id: int, now: datetime.datetime | None = None) -> Invoice | None:
    """The tax invoice of a captured payment: the one it has, else a new one numbered next in
    this financial year. None when invoicing is off or the payment was never captured.

    Side effects: the invoice, its number taken from the series' counter, and its email to
    the candidate (through the outbox), in one transaction.
    """
    if not invoicing_enabled():
        return None
    now = now or timezone.now()
    with transaction.atomic():
        payment = (
            # Only the payment's row: a payment is for a booking or a pack, so the joins are
            # outer ones, which PostgreSQL cannot lock.
            Payment.objects.select_for_update(of=("self",))
            .select_related(
                "booking__candidate",
                "booking__interview_type",
                "pack_purchase__candidate",
                "pack_purchase__pack",
            )
            .filter(pk=payment_id)
            .first()
        )
        if payment is None or PAYMENT_RANK[payment.status] < PAYMENT_RANK[PaymentStatus.CAPTURED]:
            return None
        if existing := Invoice.objects.filter(payment=payment).first():
            return existing
        booking = payment.booking
        details = BuyerDetails.objects.filter(booking=booking).first() if booking else None
        # Without a state on record, the place of supply is the supplier's (IGST Act s.12(2)(b)).
        place = details.place_of_supply if details else settings.OPERATOR_STATE_CODE
        rate = Decimal(settings.GST_RATE_PERCENT)
        year, sequence, number = _next_number(INVOICE_SERIES, now)
        invoice = Invoice.objects.create(
            payment=payment,
            number=number,
            financial_year=year,
            sequence=sequence,
            issued_at=now,
            buyer_name=_payer(payment).full_name,
            buyer_gstin=details.gstin if details else "",
            place_of_supply=place,
            description=_description(payment)[:300],
            rate_percent=rate,
            **_seller(),
            **_split(payment.amount_paise, place_of_supply=place, rate_percent=rate),
        )
        _email(invoice, kind="tax_invoice", title=f"Tax invoice {invoice.number}")
    return invoice


def credit_note_issue(*, refund_id: int, now: datetime.datetime | None = None) -> CreditNote | None:
    """The credit note of a processed refund of an invoiced payment, at the invoice's place of
    supply and rate: the one it has, else a new one. None when there is nothing to credit.

    Side effects: the credit note, its number from its own series, and its email.
    """
    now = now or timezone.now()
    with transaction.atomic():
        refund = (
            Refund.objects.select_for_update(of=("self",))
            .select_related("payment__booking__candidate", "payment__pack_purchase__candidate")
            .filter(pk=refund_id, status=RefundStatus.PROCESSED)
            .first()
        )
        if refund is None:
            return None
        invoice = Invoice.objects.filter(payment_id=refund.payment_id).first()
        if invoice is None:
            return None
        if existing := CreditNote.objects.filter(refund=refund).first():
            return existing
        year, sequence, number = _next_number(CREDIT_NOTE_SERIES, now)
        note = CreditNote.objects.create(
            refund=refund,
            invoice=invoice,
            number=number,
            financial_year=year,
            sequence=sequence,
            issued_at=now,
            seller_legal_name=invoice.seller_legal_name,
            seller_address=invoice.seller_address,
            seller_gstin=invoice.seller_gstin,
            seller_state=invoice.seller_state,
            sac_code=invoice.sac_code,
            buyer_name=invoice.buyer_name,
            buyer_gstin=invoice.buyer_gstin,
            place_of_supply=invoice.place_of_supply,
            description=f"Refund against invoice {invoice.number}: {refund.reason}"[:300],
            rate_percent=invoice.rate_percent,
            **_split(
                refund.amount_paise,
                place_of_supply=invoice.place_of_supply,
                rate_percent=invoice.rate_percent,
            ),
        )
        _email(note, kind="credit_note", title=f"Credit note {note.number}")
    return note


def _email(document: Invoice | CreditNote, *, kind: str, title: str) -> None:
    """The document itself, as HTML, to the candidate; the text part links to its page."""
    candidate = _payer(
        document.payment if isinstance(document, Invoice) else document.refund.payment
    )
    context = {
        "document": document,
        "title": title,
        "is_credit_note": isinstance(document, CreditNote),
        "site_url": settings.SITE_URL,
        "user": candidate,
    }
    email_queue_rendered(
        kind,
        to_address=candidate.email,
        recipient=candidate,
        subject=f"Mockri: {title}",
        text_body=render_to_string("emails/tax_document/body.txt", context).strip(),
        html_body=render_to_string("emails/tax_document/body.html", context),
        dedupe_key=f"{kind}:{document.pk}",
    )
