"""Bookings: the sessions a person booked (with what they uploaded and who opened it) and the
sessions an interviewer ran."""

import datetime

from django.db.models import Q

from .models import Booking, BookingEvent, BookingFile, FileAccess, Upload
from .services import _delete_files
from .upload_services import uploads_delete_of

MODELS = [Booking, BookingFile, FileAccess, BookingEvent, Upload]


def _opened_by(access: FileAccess) -> str:
    if access.accessed_by_role == "interviewer" and access.booking.interviewer_id:
        return f"your interviewer, {access.booking.interviewer.display_name}"
    return access.get_accessed_by_role_display()


def export(*, user, archive) -> dict:
    booked = (
        Booking.objects.filter(candidate=user)
        .select_related("interviewer", "interview_type")
        .prefetch_related("files", "events", "file_accesses")
        .order_by("starts_at")
    )
    bookings = []
    for booking in booked:
        bookings.append(
            {
                "reference": booking.reference,
                "interview_type": booking.interview_type.name,
                "interviewer": booking.interviewer.display_name,
                "status": booking.status,
                "starts_at": booking.starts_at,
                "ends_at": booking.ends_at,
                "price_paise": booking.price_paise,
                "job_description_text": booking.job_description_text,
                "target_company": booking.target_company,
                "focus_areas": booking.focus_areas,
                "reschedule_count": booking.reschedule_count,
                "cancelled_by": booking.cancelled_by,
                "cancelled_at": booking.cancelled_at,
                "cancellation_reason": booking.cancellation_reason,
                "refund_decision": booking.refund_decision,
                "no_show_side": booking.no_show_side,
                "created_at": booking.created_at,
                "files": [
                    {
                        "kind": file.kind,
                        "name_you_gave": file.original_name,
                        "content_type": file.content_type,
                        "size_bytes": file.size_bytes,
                        "uploaded_at": file.uploaded_at,
                        "in_this_archive": archive.add_file(
                            f"files/{booking.reference}/{file.kind}", file.file.name
                        ),
                    }
                    for file in booking.files.all()
                ],
                "who_opened_your_files": [
                    {"file": access.kind, "opened_by": _opened_by(access), "at": access.accessed_at}
                    for access in booking.file_accesses.all()
                ],
                "history": [
                    {
                        "at": event.at,
                        "by": event.actor_role,
                        "action": event.action,
                        "from": event.from_status,
                        "to": event.to_status,
                        "detail": event.detail,
                    }
                    for event in booking.events.all()
                ],
            }
        )
    sessions_run = list(
        Booking.objects.filter(interviewer__user=user)
        .order_by("starts_at")
        .values("reference", "interview_type__name", "status", "starts_at", "ends_at")
    )
    # Files sent ahead of a form not (yet) posted: only described, since they are deleted within
    # a day anyway (upload_services.UPLOAD_KEPT).
    unused_uploads = list(
        Upload.objects.filter(owner=user)
        .order_by("created_at")
        .values("kind", "name", "size_bytes", "status", "created_at")
    )
    return {
        "bookings": bookings,
        "sessions_you_interviewed": sessions_run,
        "files_uploaded_but_not_yet_used": unused_uploads,
    }


def erase(*, user, now: datetime.datetime) -> None:
    """Delete the person's uploads (used or not) and blank what they wrote. The bookings
    themselves stay (the interviewer's history and the payment records point to them), as does
    the audit trail, with its free text and file names redacted."""
    uploads_delete_of(owner=user)
    booked = Booking.objects.filter(candidate=user)
    for booking in booked.filter(files__isnull=False).distinct():
        _delete_files(booking)
    FileAccess.objects.filter(booking__candidate=user).update(file_name="")
    BookingEvent.objects.filter(Q(booking__candidate=user) | Q(actor=user)).update(detail="")
    booked.update(
        job_description_text="", target_company="", focus_areas="", cancellation_reason=""
    )
