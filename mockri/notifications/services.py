"""Emails about bookings: one function per email, each rendering its templates in the
recipient's time zone into an outbox row whose send task is queued in the same transaction.
Every function's dedupe key makes calling it twice for the same event send one email."""

import datetime
import hashlib
import zoneinfo
from collections.abc import Sequence
from typing import cast

from django.conf import settings
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from mockri.accounts.emails import ACCESS_EMAILS, render_html_from_text
from mockri.accounts.models import User
from mockri.bookings.enums import BookingStatus
from mockri.bookings.models import Booking
from mockri.lib.errors import PolicyViolation
from mockri.lib.text import single_line
from mockri.meetings.enums import MeetingStatus
from mockri.meetings.models import Meeting
from mockri.meetings.selectors import meeting_current_link_for
from mockri.meetings.services import meeting_check_before_start
from mockri.packs.models import PackPurchase
from mockri.payments.models import Receipt

from .calendar import invitation, removal
from .models import OutboxEmail, OutboxStatus

REMINDERS = {
    "reminder_24h": datetime.timedelta(hours=24),
    "reminder_1h": datetime.timedelta(hours=1),
}
# The emails that tell an interviewer the session is theirs (the candidate gets copies of some).
SESSION_EMAILS = ("session_assigned", "booking_rescheduled", "meeting_link", *REMINDERS)
# How long the emails announcing a confirmed or moved session wait for its meeting link
# (meetings' meeting_ready). A slow or failing provider must not hold them longer: they then go
# without the link, and the link follows in an email of its own when it comes.
MEETING_LINK_WAIT = datetime.timedelta(minutes=5)


def email_queue(
    kind: str,
    *,
    recipient: User | None,
    booking: Booking | None,
    dedupe_key: str,
    context: dict,
    attachments: Sequence[dict] = (),
    to_address: str = "",
) -> OutboxEmail | None:
    """Render templates/emails/<kind>/{subject,body}.txt for `recipient` and queue it. Someone
    without an account (a grievance from a visitor) is `to_address`, in India's time zone.

    Side effects: the outbox row and its send task, committed together; None if an email with
    this dedupe key was queued before, or the address bounced.
    """
    if recipient is not None and recipient.email_bounced_at:
        return None  # the address bounced: the app asks its owner to fix it instead
    address = recipient.email if recipient is not None else to_address
    zone = recipient.timezone if recipient is not None else settings.TIME_ZONE
    context = {
        "user": recipient,
        "booking": booking,
        "site_url": settings.SITE_URL,
        "operator": settings.OPERATOR,
        **context,
    }
    with timezone.override(zoneinfo.ZoneInfo(zone)):
        subject = single_line(render_to_string(f"emails/{kind}/subject.txt", context))
        text = render_to_string(f"emails/{kind}/body.txt", context).strip()
    return _store(
        kind=kind,
        booking=booking,
        recipient=recipient,
        to_address=address,
        dedupe_key=dedupe_key,
        subject=f"Mockri: {subject}",
        text_body=text,
        html_body=render_html_from_text(
            subject=subject, text=text, links=[context.get("meeting_url")]
        ),
        attachments=list(attachments),
    )


def email_queue_rendered(
    kind: str,
    *,
    to_address: str,
    recipient: User | None,
    subject: str,
    text_body: str,
    html_body: str,
    dedupe_key: str,
    despite_bounce: bool = False,
) -> OutboxEmail | None:
    """Queue an email the accounts app rendered (allauth's, and the Google sign-in notice) to
    `to_address`: the address of `recipient`, another address of theirs being confirmed, or
    nobody's (a password reset asked for an unknown address).

    Side effects: the outbox row and its send task, committed together; None if an email with
    this dedupe key was queued before, or it is to the recipient's address and that address
    bounced, unless `despite_bounce` (an email by which the owner fixes or proves their
    address: confirming it, resetting the password).
    """
    bounced = (
        recipient is not None
        and recipient.email_bounced_at is not None
        and to_address.lower() == recipient.email.lower()
    )
    if bounced and not despite_bounce:
        return None
    return _store(
        kind=kind,
        booking=None,
        recipient=recipient,
        to_address=to_address,
        dedupe_key=dedupe_key,
        subject=subject[:200],
        text_body=text_body,
        html_body=html_body,
    )


def _store(*, attachments: Sequence[dict] = (), **fields) -> OutboxEmail | None:
    """The outbox row and its send task, in one transaction; None if the dedupe key was used."""
    from .tasks import outbox_send_task  # noqa: PLC0415 — a cycle: tasks.py imports this module

    try:
        with transaction.atomic():
            email = OutboxEmail.objects.create(attachments=list(attachments), **fields)
            outbox_send_task.enqueue(email_id=email.pk)
    except IntegrityError:
        return None
    return email


def outbox_resend(*, email: OutboxEmail) -> OutboxEmail:
    """Send an email again, as staff asked: a failed one goes back to the queue (its attempts
    start again), a sent one is queued anew as a copy (its own dedupe and idempotency keys, so
    the provider does not take it for the first). Refused for an email on its way, for one that
    held a one-time link or code (its body was removed; the person asks for a new one), and for
    an address that bounced.

    Side effects: the queued row (the failed one, or the copy) and its send task, committed
    together. Returns the row that will be sent.
    """
    from .tasks import outbox_send_task  # noqa: PLC0415 — a cycle: tasks.py imports this module

    if email.kind in ACCESS_EMAILS:
        raise PolicyViolation(
            "This email held a one-time link or code, so it cannot be sent again: "
            "its owner asks for a new one."
        )
    if email.status in (OutboxStatus.QUEUED, OutboxStatus.SENDING):
        raise PolicyViolation("This email is already on its way.")
    recipient = email.recipient
    if (
        recipient is not None
        and recipient.email_bounced_at
        and recipient.email.lower() == email.to_address.lower()
    ):
        raise PolicyViolation(
            f"Emails to {email.to_address} bounced: the address must be fixed first."
        )
    with transaction.atomic():
        if email.status == OutboxStatus.FAILED:
            requeued = OutboxEmail.objects.filter(pk=email.pk, status=OutboxStatus.FAILED).update(
                status=OutboxStatus.QUEUED, attempts=0
            )
            if not requeued:
                raise PolicyViolation("This email was changed meanwhile. Please reload the page.")
            outbox_send_task.enqueue(email_id=email.pk)
            email.refresh_from_db()
            return email
        copies = OutboxEmail.objects.filter(dedupe_key__startswith=f"{email.dedupe_key}:again")
        copy = _store(
            kind=email.kind,
            booking=email.booking,
            recipient=recipient,
            to_address=email.to_address,
            dedupe_key=f"{email.dedupe_key}:again{copies.count() + 1}"[-200:],
            subject=email.subject,
            text_body=email.text_body,
            html_body=email.html_body,
            attachments=email.attachments,
        )
    if copy is None:
        raise PolicyViolation("This email was sent again meanwhile. Please reload the page.")
    return copy


def _ics(
    booking: Booking,
    *,
    person: User,
    cancelled: bool = False,
    stamped_at: datetime.datetime | None = None,
) -> dict:
    return {
        "filename": "mockri-interview.ics",
        "content": invitation(
            booking=booking,
            meeting_url=meeting_current_link_for(booking),
            for_user=person,
            cancelled=cancelled,
            stamped_at=stamped_at,
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


def booking_announce_emails(*, booking_id: int) -> None:
    """Tell both people the booking's current time and interviewer, with the invitation and
    the meeting link if it has one: a confirmation ("booking_confirmed" to the candidate,
    "session_assigned" to the interviewer) to whoever has had none for this booking, else the
    "booking_rescheduled" email of this version.

    Called when the meeting link is ready (meeting_ready_emails) and when the wait for it ends
    (MEETING_LINK_WAIT after the booking was confirmed or changed), in either order: each email
    goes once. Side effects: up to two outbox rows and their send tasks.
    """
    booking = _load(booking_id)
    if booking is None or booking.status != BookingStatus.CONFIRMED:
        return
    context = {"meeting_url": meeting_current_link_for(booking)}
    for person in (booking.candidate, booking.interviewer.user):
        kind, dedupe_key = _announcement(booking, person)
        email_queue(
            kind,
            recipient=person,
            booking=booking,
            dedupe_key=dedupe_key,
            context=context,
            attachments=[_ics(booking, person=person)],
        )


def _announcement(booking: Booking, person: User) -> tuple[str, str]:
    """The email telling `person` about the booking's current version, as (kind, dedupe key):
    a confirmation sent for an earlier version makes it the "moved" email."""
    confirmation = "booking_confirmed" if person.pk == booking.candidate_id else "session_assigned"
    dedupe_key = f"{confirmation}:{booking.pk}:v{booking.version}"
    confirmed_before = (
        OutboxEmail.objects.filter(booking=booking, recipient=person, kind=confirmation)
        .exclude(dedupe_key=dedupe_key)
        .exists()
    )
    if not confirmed_before:
        return confirmation, dedupe_key
    return "booking_rescheduled", f"booking_rescheduled:{booking.pk}:v{booking.version}:{person.pk}"


def meeting_ready_emails(*, booking_id: int) -> None:
    """The booking's meeting has its link (meeting_ready): send the announcements that waited
    for it, and to whoever already had this version's announcement without this link (it went
    when the wait ran out, or the link changed since) the link in an email of its own, with the
    invitation updated.

    Side effects: those of booking_announce_emails; a "meeting_link" outbox row per person and
    link. Does nothing while the meeting lags behind a change of the booking (its own
    meeting_ready follows).
    """
    booking = _load(booking_id)
    if booking is None or booking.status != BookingStatus.CONFIRMED:
        return
    url = meeting_current_link_for(booking)
    if not url:
        return
    booking_announce_emails(booking_id=booking.pk)
    link = hashlib.sha256(url.encode()).hexdigest()[:16]
    for person in (booking.candidate, booking.interviewer.user):
        _, announced_by = _announcement(booking, person)
        announced = (
            OutboxEmail.objects.filter(dedupe_key=announced_by)
            .values_list("text_body", flat=True)
            .first()
        )
        if announced is None or url in announced:
            continue  # nothing went (the address bounced), or it carried this link
        email_queue(
            "meeting_link",
            recipient=person,
            booking=booking,
            dedupe_key=f"meeting_link:{booking.pk}:v{booking.version}:{person.pk}:{link}",
            context={"meeting_url": url},
            # Same SEQUENCE (same time), a later DTSTAMP: calendars take the added link.
            attachments=[_ics(booking, person=person, stamped_at=timezone.now())],
        )


def meeting_no_link_emails(*, booking_id: int) -> None:
    """Every provider failed to give the session a link (meetings' meeting_link_missing): alert
    each active staff member, with the reason, to make one by hand. The two people were already
    told the link will follow (their announcement goes without it after MEETING_LINK_WAIT).

    Side effects: a "meeting_no_link" outbox row per staff member and reason (a second failure,
    e.g. the check before the start, alerts again). Does nothing once the session has a link
    again or is no longer confirmed.
    """
    booking = _load(booking_id)
    if booking is None or booking.status != BookingStatus.CONFIRMED:
        return
    meeting = Meeting.objects.filter(booking=booking, status=MeetingStatus.NO_LINK).first()
    if meeting is None:
        return
    reason = hashlib.sha256(meeting.last_error.encode()).hexdigest()[:16]
    for person in User.objects.filter(is_staff=True, is_active=True).order_by("pk"):
        email_queue(
            "meeting_no_link",
            recipient=person,
            booking=booking,
            dedupe_key=f"meeting_no_link:{booking.pk}:v{booking.version}:{person.pk}:{reason}",
            context={"reason": meeting.last_error},
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
            attachments=[_ics(booking, person=person, cancelled=True)],
        )


def booking_reassigned_emails(*, booking_id: int) -> None:
    """Tell each former interviewer of the booking that it moved to another interviewer
    ("session_reassigned"), with a METHOD:CANCEL invitation that takes it out of their calendar.

    Called on every change of the booking (booking_changed). A former interviewer is someone
    emailed about this booking as having it who is neither its candidate nor its interviewer
    now; someone never told of the session is not told it went. The dedupe key names the last
    email that told them they had it, so each lost assignment is told once: a later change of
    time sends nothing more, while losing it again after getting it back sends another.
    Side effects: an outbox row and its send task per former interviewer.
    """
    booking = _load(booking_id)
    if booking is None:
        return
    told = (
        OutboxEmail.objects.filter(booking=booking, kind__in=SESSION_EMAILS)
        .exclude(recipient=None)
        .exclude(recipient__in=[booking.candidate_id, booking.interviewer.user_id])
        .order_by("-pk")
        .values_list("recipient", "pk")
    )
    last_told: dict[int, int] = {}
    for recipient_id, email_id in told:
        last_told.setdefault(recipient_id, email_id)
    for person in User.objects.filter(pk__in=last_told).order_by("pk"):
        email_queue(
            "session_reassigned",
            recipient=person,
            booking=booking,
            dedupe_key=f"session_reassigned:{booking.pk}:{person.pk}:{last_told[person.pk]}",
            context={},
            attachments=[
                {
                    "filename": "mockri-interview.ics",
                    "content": removal(booking=booking, person=person),
                    "mimetype": "text/calendar",
                }
            ],
        )


def reminders_plan(*, booking_id: int, now: datetime.datetime | None = None) -> list[str]:
    """Schedule the 24-hour and 1-hour reminders for the booking's current time. A reminder
    whose moment has passed (a booking made less than 24 h ahead) is skipped. Tasks planned for
    an earlier time find the booking moved and send nothing."""
    from .tasks import reminder_send_task  # noqa: PLC0415 — a cycle: tasks.py imports this module

    now = now or timezone.now()
    booking = _load(booking_id)
    planned: list[str] = []
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
                context={"meeting_url": meeting_current_link_for(booking)},
            )
        )
    return queued


def payment_receipt_email(*, receipt_id: int) -> None:
    """The candidate's receipt for a captured payment (for a booking or a pack)."""
    receipt = (
        Receipt.objects.select_related(
            "payment__booking__candidate",
            "payment__booking__interview_type",
            "payment__booking__interviewer",
            "payment__pack_purchase__candidate",
            "payment__pack_purchase__pack",
        )
        .filter(pk=receipt_id)
        .first()
    )
    if receipt is None:
        return
    booking = receipt.payment.booking
    purchase = receipt.payment.pack_purchase
    email_queue(
        "payment_receipt",
        # A payment is for a booking or, failing that, a pack (its check constraint).
        recipient=booking.candidate if booking else cast(PackPurchase, purchase).candidate,
        booking=booking,
        dedupe_key=f"payment_receipt:{receipt.pk}",
        context={"receipt": receipt, "payment": receipt.payment, "purchase": purchase},
    )
