"""A person's packs and the movements of their credits. They are payment records: kept after an
erasure for accounting, like payments, pointing only to the de-identified account."""

import datetime

from .models import CreditEntry, PackPurchase

MODELS = [PackPurchase, CreditEntry]


def export(*, user, archive) -> dict:
    purchases = (
        PackPurchase.objects.filter(candidate=user)
        .select_related("pack")
        .prefetch_related("entries__booking")
        .order_by("created_at")
    )
    return {
        "pack_purchases": [
            {
                "reference": purchase.reference,
                "pack": purchase.pack.name,
                "sessions": purchase.sessions,
                "price_paise": purchase.price_paise,
                "validity_days": purchase.validity_days,
                "created_at": purchase.created_at,
                "granted_at": purchase.granted_at,
                "expires_at": purchase.expires_at,
                "credits": [
                    {
                        "kind": entry.kind,
                        "credits": entry.credits,
                        "booking": entry.booking.reference if entry.booking else None,
                        "at": entry.at,
                    }
                    for entry in purchase.entries.all()
                ],
            }
            for purchase in purchases
        ]
    }


def erase(*, user, now: datetime.datetime) -> None:
    """Nothing to remove: purchases and their ledger are payment records the law requires
    keeping (CGST Act s.36), and identify nobody once the account is de-identified."""
