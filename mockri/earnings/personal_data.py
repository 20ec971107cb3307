"""An interviewer's earnings and payout details, and a candidate's "did not show" reports.

The ledger and the payout lines are accounting records: after an erasure they stay (amounts,
dates, transfer references, and on paid lines the payee as paid), pointing only to the
de-identified profile (Income-tax Act s.44AA and Rule 6F keep books of payments). The payout
details themselves, unpaid lines' copies of them, the reports' words and the pauses go.
"""

import datetime

from .models import EarningEntry, NoShowReport, PayoutDetails, PayoutLine, ReliabilityPause

MODELS = [PayoutDetails, EarningEntry, PayoutLine, NoShowReport, ReliabilityPause]


def export(*, user, archive) -> dict:
    details = PayoutDetails.objects.filter(profile__user=user).first()
    return {
        "payout_details": (
            {
                "method": details.method,
                "holder_name": details.holder_name,
                "account_number": details.account_number,
                "ifsc": details.ifsc,
                "upi_id": details.upi_id,
                "updated_at": details.updated_at,
            }
            if details
            else None
        ),
        "earnings": list(
            EarningEntry.objects.filter(interviewer__user=user)
            .order_by("earned_at", "pk")
            .values("kind", "description", "amount_paise", "earned_at", "settled_at")
        ),
        "payouts": list(
            PayoutLine.objects.filter(interviewer__user=user)
            .order_by("pk")
            .values(
                "amount_paise",
                "payee_name",
                "method",
                "destination_masked",
                "reference",
                "paid_at",
            )
        ),
        "reliability_pauses": list(
            ReliabilityPause.objects.filter(interviewer__user=user).values(
                "paused_at", "incidents", "reason"
            )
        ),
        "no_show_reports": [
            {
                "booking": report.booking.reference,
                "note": report.note,
                "status": report.status,
                "reported_at": report.reported_at,
                "decided_at": report.decided_at,
                "decision_note": report.decision_note,
            }
            for report in NoShowReport.objects.filter(booking__candidate=user).select_related(
                "booking"
            )
        ],
    }


def erase(*, user, now: datetime.datetime) -> None:
    PayoutDetails.objects.filter(profile__user=user).delete()
    PayoutLine.objects.filter(interviewer__user=user, paid_at=None).update(
        payee_name="", destination_masked=""
    )
    ReliabilityPause.objects.filter(interviewer__user=user).delete()
    NoShowReport.objects.filter(booking__candidate=user).update(note="", decision_note="")
