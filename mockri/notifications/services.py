"""Emails about bookings: one function per email, each rendering its templates in the
recipient's time zone into an outbox row whose send task is queued in the same transaction.
Every function's dedupe key makes calling it twice for the same event send one email."""

import datetime
import zoneinfo

from django.conf import settings
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from mockri.accounts.emails import render_html_from_text
from mockri.accounts.models import User
from mockri.bookings.enums import BookingStatus
from mockri.bookings.models import Booking
from mockri.meetings.selectors import meeting_link_for
from mockri.meetings.services import meeting_check_before_start

from .calendar import invitation
from .models import OutboxEmail

REMINDERS = {
    "reminder_24h": datetime.timedelta(hours=24),
    "reminder_1h": datetime.timedelta(hours=1),
}


def email_queue(
    kind: str,
    *,
    recipient: User | None,
    booking: Booking | None,
    dedupe_key: str,
    context: dict,
    attachments: list[dict] = (),
    to_address: str = "",
) -> OutboxEmail | None:
    """Render templates/emails/<kind>/{subject,body}.txt for `recipient` and queue it. Someone
    without an account (a grievance from a visitor) is `to_address`, in India's time zone.

    Side effects: the outbox row and its send task, committed together; None if an email with
    this dedupe key was queued before, or the address bounced.
    """
    from .tasks import outbox_send_task

    if recipient is not None and recipient.email_bounced_at:
        return None  # the address bounced: the app asks its owner to fix it instead
    address = recipient.email if recipient is not None else to_address
    zone = recipient.timezone if recipient is not None else settings.TIME_ZONE
    context = {"user": recipient, "booking": booking, "site_url": settings.SITE_URL, **context}
    with timezone.override(zoneinfo.ZoneInfo(zone)):
        subject = " ".join(render_to_string(f"emails/{kind}/subject.txt", context).split())
        text = render_to_string(f"emails/{kind}/body.txt", context).strip()
    try:
        with transaction.atomic():
            email = OutboxEmail.objects.create(
                kind=kind,
                booking=booking,
                recipient=recipient,
                to_address=address,
                dedupe_key=dedupe_key,
                subject=f"Mockri: {subject}",
                text_body=text,
                html_body=render_html_from_text(subject=subject, text=text),
                attachments=list(attachments),
            )
            transaction.on_commit(lambda: outbox_send_task.enqueue(email_id=email.pk))
    except IntegrityError:
        return None
    return email


def meeting_url(booking: Booking) -> str:
    return meeting_link_for(booking)


def _ics(booking: Booking, *, cancelled: bool = False) -> dict:
    return {
        "filename": "mockri-interview.ics",
        "content": invitation(
            booking=booking, meeting_url=meeting_url(booking), cancelled=cancelled
        ),
        # Plain text/calendar: Resend refuses parameters here; METHOD is inside the file.
        "mimetype": "text/calendar",
    }


def _load(booking_id: int) -> Booking | None:
    return (
        Booking.objects.select_related("candidate", "interviewer__user", "interview_type")
        .filter(pk=booking_id)
        .first()
    )


def booking_confirmed_emails(*, booking_id: int) -> None:
    """The candidate's confirmation (with the invitation) and the interviewer's new session."""
    booking = _load(booking_id)
    if booking is None or booking.status != BookingStatus.CONFIRMED:
        return
    version = f"{booking.pk}:v{booking.version}"
    context = {"meeting_url": meeting_url(booking)}
    email_queue(
        "booking_confirmed",
        recipient=booking.candidate,
        booking=booking,
        dedupe_key=f"booking_confirmed:{version}",
        context=context,
        attachments=[_ics(booking)],
    )
    email_queue(
        "session_assigned",
        recipient=booking.interviewer.user,
        booking=booking,
        dedupe_key=f"session_assigned:{version}",
        context=context,
        attachments=[_ics(booking)],
    )


def booking_rescheduled_emails(*, booking_id: int) -> None:
    """Both people learn the new time (or interviewer), with the updated invitation."""
    booking = _load(booking_id)
    if booking is None or booking.status != BookingStatus.CONFIRMED:
        return
    context = {"meeting_url": meeting_url(booking)}
    for person in (booking.candidate, booking.interviewer.user):
        email_queue(
            "booking_rescheduled",
            recipient=person,
            booking=booking,
            dedupe_key=f"booking_rescheduled:{booking.pk}:v{booking.version}:{person.pk}",
            context=context,
            attachments=[_ics(booking)],
        )


def booking_cancelled_emails(*, booking_id: int) -> None:
    """Both people learn of the cancellation (the candidate with the refund decision)."""
    booking = _load(booking_id)
    if booking is None or booking.status != BookingStatus.CANCELLED:
        return
    for person in (booking.candidate, booking.interviewer.user):
        email_queue(
            "booking_cancelled",
            recipient=person,
            booking=booking,
            dedupe_key=f"booking_cancelled:{booking.pk}:{person.pk}",
            context={},
            attachments=[_ics(booking, cancelled=True)],
        )


def reminders_plan(*, booking_id: int, now: datetime.datetime | None = None) -> list[str]:
    """Schedule the 24-hour and 1-hour reminders for the booking's current time. A reminder
    whose moment has passed (a booking made less than 24 h ahead) is skipped. Tasks planned for
    an earlier time find the booking moved and send nothing."""
    from .tasks import reminder_send_task

    now = now or timezone.now()
    booking = _load(booking_id)
    planned = []
    if booking is None or booking.status != BookingStatus.CONFIRMED:
        return planned
    for kind, before in REMINDERS.items():
        moment = booking.starts_at - before
        if moment <= now:
            continue
        reminder_send_task.using(run_after=moment).enqueue(
            booking_id=booking.pk, kind=kind, starts_at=booking.starts_at.isoformat()
        )
        planned.append(kind)
    return planned


def reminder_send(*, booking_id: int, kind: str, starts_at: str) -> int:
    """Send a planned reminder to both people, if the booking still starts when it was planned
    for and is still confirmed. Returns how many were queued."""
    booking = _load(booking_id)
    if (
        booking is None
        or booking.status != BookingStatus.CONFIRMED
        or booking.starts_at != datetime.datetime.fromisoformat(starts_at)
    ):
        return 0
    if kind == "reminder_1h":
        # The last email before the session: make sure the link it carries works.
        meeting_check_before_start(booking_id=booking.pk)
    queued = 0
    for person in (booking.candidate, booking.interviewer.user):
        queued += bool(
            email_queue(
                kind,
                recipient=person,
                booking=booking,
                dedupe_key=f"{kind}:{booking.pk}:{starts_at}:{person.pk}",
                context={"meeting_url": meeting_url(booking)},
            )
        )
    return queued


def payment_receipt_email(*, receipt_id: int) -> None:
    """The candidate's receipt for a captured payment."""
    from mockri.payments.models import Receipt

    receipt = (
        Receipt.objects.select_related(
            "payment__booking__candidate",
            "payment__booking__interview_type",
            "payment__booking__interviewer",
        )
        .filter(pk=receipt_id)
        .first()
    )
    if receipt is None:
        return
    booking = receipt.payment.booking
    email_queue(
        "payment_receipt",
        recipient=booking.candidate,
        booking=booking,
        dedupe_key=f"payment_receipt:{receipt.pk}",
        context={"receipt": receipt, "payment": receipt.payment},
    )
