"""Retention (personal data kept only as long as the privacy policy says) and grievances."""

import datetime
import hashlib
import secrets

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction

from mockri.bookings.enums import BookingStatus
from mockri.bookings.models import BookingFile

from .models import Grievance, GrievanceStatus, PurgeLog


def _purge(files, *, what: str) -> int:
    rows = list(files.select_related("booking").values_list("pk", "file", "booking__reference"))
    if not rows:
        return 0
    with transaction.atomic():
        BookingFile.objects.filter(pk__in=[pk for pk, _, _ in rows]).delete()
        PurgeLog.objects.create(
            what=what,
            count=len(rows),
            detail=", ".join(sorted({reference for _, _, reference in rows})),
        )
        names = [name for _, name, _ in rows]
        transaction.on_commit(lambda: [default_storage.delete(name) for name in names])
    return len(rows)


def retention_purge(*, now: datetime.datetime) -> dict:
    """Delete job descriptions and resumes FILE_RETENTION_DAYS after their session ended, and
    those of expired or cancelled bookings a day after. Each purge is logged.

    Side effects: BookingFile rows and stored files deleted; PurgeLog rows.
    """
    kept_until = now - datetime.timedelta(days=settings.FILE_RETENTION_DAYS)
    a_day_ago = now - datetime.timedelta(days=1)
    return {
        "after the session": _purge(
            BookingFile.objects.filter(
                booking__ends_at__lte=kept_until,
                booking__status__in=[
                    BookingStatus.COMPLETED,
                    BookingStatus.NO_SHOW,
                    BookingStatus.CONFIRMED,
                ],
            ),
            what=f"files {settings.FILE_RETENTION_DAYS} days after the session",
        ),
        "not held": _purge(
            BookingFile.objects.filter(
                booking__status__in=[BookingStatus.EXPIRED, BookingStatus.CANCELLED],
                booking__updated_at__lte=a_day_ago,
            ),
            what="files of expired or cancelled bookings",
        ),
    }


def grievance_submit(
    *, user, name: str, email: str, kind: str, message: str, now: datetime.datetime
) -> Grievance:
    """File a privacy request or grievance and acknowledge it by email.

    Side effects: the ticket (reference, due date GRIEVANCE_RESPONSE_DAYS later) and its
    acknowledgement in the outbox, committed together.
    """
    from mockri.notifications.services import email_queue

    with transaction.atomic():
        grievance = Grievance.objects.create(
            reference=_new_reference(),
            user=user if user is not None and user.is_authenticated else None,
            name=name,
            email=email,
            kind=kind,
            message=message,
            due_at=now + datetime.timedelta(days=settings.GRIEVANCE_RESPONSE_DAYS),
        )
        email_queue(
            "grievance_received",
            recipient=grievance.user,
            to_address=email,
            booking=None,
            dedupe_key=f"grievance_received:{grievance.reference}",
            context={"grievance": grievance, "name": name},
        )
    return grievance


def _new_reference() -> str:
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "GRV-" + "".join(secrets.choice(alphabet) for _ in range(6))


def grievance_answer(
    *, grievance: Grievance, reply: str, status: str, now: datetime.datetime
) -> Grievance:
    """Staff answer (or close) a grievance. Side effects: the reply is emailed to the person,
    once per distinct reply."""
    from mockri.notifications.services import email_queue

    with transaction.atomic():
        grievance.reply = reply
        grievance.status = status
        if status == GrievanceStatus.CLOSED and grievance.closed_at is None:
            grievance.closed_at = now
        grievance.save(update_fields=["reply", "status", "closed_at"])
        if reply.strip():
            digest = hashlib.sha256(reply.encode()).hexdigest()[:16]
            email_queue(
                "grievance_answered",
                recipient=grievance.user,
                to_address=grievance.email,
                booking=None,
                dedupe_key=f"grievance_answered:{grievance.reference}:{digest}",
                context={"grievance": grievance, "name": grievance.name},
            )
    return grievance
