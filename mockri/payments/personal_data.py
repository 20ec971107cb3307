"""Payments for a person's bookings and packs. They never held card, bank or contact details;
what they hold (amounts, dates, receipt numbers, provider ids) is kept for accounting after an
erasure, pointing only to the de-identified account."""

import datetime

from django.db.models import Q

from .models import Payment, Receipt, Refund

MODELS = [Payment, Refund, Receipt]


def export(*, user, archive) -> dict:
    payments = Payment.objects.filter(
        Q(booking__candidate=user) | Q(pack_purchase__candidate=user)
    ).select_related("booking", "pack_purchase")
    return {
        "payments": [
            {
                "booking": payment.booking.reference if payment.booking else None,
                "pack_purchase": payment.pack_purchase.reference if payment.pack_purchase else None,
                "gateway": payment.gateway,
                "order_id": payment.order_ref,
                "payment_id": payment.payment_ref,
                "amount_paise": payment.amount_paise,
                "currency": payment.currency,
                "status": payment.status,
                "method": payment.method,
                "refunded_paise": payment.amount_refunded_paise,
                "captured_at": payment.captured_at,
                "created_at": payment.created_at,
                "receipt": getattr(getattr(payment, "receipt", None), "number", None),
                "refunds": list(
                    payment.refunds.values("provider_ref", "amount_paise", "status", "created_at")
                ),
            }
            for payment in payments.prefetch_related("refunds").select_related("receipt")
        ]
    }


def erase(*, user, now: datetime.datetime) -> None:
    """Nothing to remove: these rows identify nobody once the account is de-identified, and the
    law requires keeping them (CGST Act s.36; DPDP Rules, Rule 8 illustration)."""
