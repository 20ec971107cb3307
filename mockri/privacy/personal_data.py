"""A person's privacy requests and grievances, and the copies of their data they downloaded."""

import datetime

from django.db.models import Q

from mockri.lib.files import delete_stored_on_commit

from .models import BreachNotice, DataExport, Grievance, Nominee

MODELS = [Grievance, DataExport, BreachNotice, Nominee]

REDACTED = "[erased]"


def _grievances(user):
    return Grievance.objects.filter(Q(user=user) | Q(email__iexact=user.email))


def export(*, user, archive) -> dict:
    return {
        "requests_and_grievances": list(
            _grievances(user)
            .order_by("created_at")
            .values(
                "reference",
                "kind",
                "name",
                "email",
                "message",
                "status",
                "reply",
                "created_at",
                "due_at",
                "closed_at",
            )
        ),
        "breach_notices": [
            {
                "incident": notice.incident.reference,
                "what_happened": notice.incident.description,
                "from": notice.incident.window_start,
                "until": notice.incident.window_end,
                "data_involved": notice.incident.data_kind_labels,
                "likely_consequences": notice.incident.consequences,
                "what_we_did": notice.incident.mitigation,
                "what_you_can_do": notice.incident.user_steps,
                "emailed": notice.email_id is not None,
                "sent_at": notice.sent_at,
                "acknowledged_at": notice.acknowledged_at,
            }
            for notice in BreachNotice.objects.filter(user=user).select_related("incident")
        ],
        "nominees": list(
            Nominee.objects.filter(user=user).values("name", "email", "relationship", "created_at")
        ),
        "data_exports": list(
            DataExport.objects.filter(user=user)
            .order_by("created_at")
            .values("status", "created_at", "ready_at", "expires_at", "downloaded_at")
        ),
    }


def erase(*, user, now: datetime.datetime) -> None:
    """Grievances stay as a record that a request was made and answered (reference, kind,
    dates, status), without the person's name, address or words. Breach notices stay as the
    record that the person was told (they point to the de-identified account). Exports and
    nominees are deleted."""
    _grievances(user).update(name=REDACTED, email="", message="", reply="")
    names = [
        name for name in DataExport.objects.filter(user=user).values_list("file", flat=True) if name
    ]
    DataExport.objects.filter(user=user).delete()
    Nominee.objects.filter(user=user).delete()
    delete_stored_on_commit(names)
