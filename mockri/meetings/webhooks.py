"""Cal.com's events, applied to Mockri's bookings: stored once per body, state moved only
forward, through the bookings services (their rules apply as for anyone else)."""

import datetime
import hashlib

from django.db import IntegrityError, transaction
from django.utils import timezone

from mockri.bookings.enums import Actor, BookingStatus, NoShowSide
from mockri.bookings.services import booking_cancel, booking_record_outcome, booking_reschedule
from mockri.lib.errors import DomainError

from .models import Meeting, WebhookDelivery
from .providers.calcom import CalcomEvent
from .services import meeting_cancelled_elsewhere

OUTCOME_MAX_LENGTH = 300


def calcom_webhook_receive(
    *, body: bytes, event: CalcomEvent, now: datetime.datetime | None = None
) -> WebhookDelivery | None:
    """Apply a verified Cal.com event once; None for a body received before.

    Side effects, in one transaction with the delivery row and its outcome (an unexpected
    error leaves nothing, so a redelivery applies it again):
    - BOOKING_CANCELLED: the booking is cancelled as its interviewer, with Cal.com's reason
      (full refund by the policy); the meeting is marked cancelled first, so Mockri does not
      cancel it back at Cal.com. Not when the Cal.com booking is that of the session's previous
      interviewer: Mockri cancels it itself when it moves the session to another interviewer.
    - BOOKING_RESCHEDULED: the new Cal.com uid is stored; the booking moves to the new time
      when that is open for it, else the problem is kept in the meeting's last_error.
    - BOOKING_NO_SHOW_UPDATED: after the start, the absent side's no-show is recorded.
    - MEETING_ENDED: after the start, a confirmed booking is completed.
    Other triggers, and events about bookings Mockri does not know, are kept only. The booking
    is found by Cal.com's uid, or, for the triggers whose payload carries the booking's metadata
    (BOOKING_RESCHEDULED, MEETING_ENDED), by the Mockri reference in it: a uid Mockri never
    learnt (a lost answer or webhook) still finds its session. Never for BOOKING_CANCELLED
    (its payload has no metadata, and Mockri cancels stale bookings of a session itself).
    """
    now = now or timezone.now()
    with transaction.atomic():
        try:
            with transaction.atomic():
                delivery = WebhookDelivery.objects.create(
                    provider="calcom",
                    body_sha256=hashlib.sha256(body).hexdigest(),
                    trigger=event.trigger[:64],
                    external_id=event.uid[:200],
                )
        except IntegrityError:
            return None
        apply = APPLIERS.get(event.trigger)
        delivery.outcome = (apply(event, now) if apply else "ignored")[:OUTCOME_MAX_LENGTH]
        delivery.save(update_fields=["outcome"])
    return delivery


def _meeting(*uids: str, reference: str = "") -> Meeting | None:
    """The Cal.com meeting known by one of `uids`, else the one of the booking `reference`."""
    meetings = Meeting.objects.select_related(
        "booking__candidate", "booking__interviewer__user"
    ).filter(provider="calcom")
    uids = tuple(uid for uid in uids if uid)
    found = meetings.filter(external_id__in=uids).first() if uids else None
    if found is None and reference:
        found = meetings.filter(booking__reference=reference).first()
    return found


def _booking_cancelled(event: CalcomEvent, now: datetime.datetime) -> str:
    meeting = _meeting(event.uid)
    if meeting is None:
        return "unknown booking"
    booking = meeting.booking
    if booking.status == BookingStatus.CANCELLED:
        return "already cancelled"
    if meeting.interviewer_id is not None and meeting.interviewer_id != booking.interviewer_id:
        return "ignored: the Cal.com booking of the session's previous interviewer"
    try:
        with transaction.atomic():
            meeting_cancelled_elsewhere(meeting)
            booking_cancel(
                booking,
                actor=booking.interviewer.user,
                actor_role=Actor.INTERVIEWER,
                reason=event.cancellation_reason or "Cancelled on Cal.com.",
                now=now,
            )
    except DomainError as error:
        return _problem(meeting, f"Cal.com cancelled this session, but Mockri could not: {error}")
    return "booking cancelled"


def _booking_rescheduled(event: CalcomEvent, now: datetime.datetime) -> str:
    meeting = _meeting(event.uid, event.rescheduled_from_uid, reference=event.booking_reference)
    if meeting is None:
        return "unknown booking"
    if meeting.external_id == event.uid:
        return "already known"  # Mockri moved it and stored the new uid itself
    booking = meeting.booking
    fields = {"external_id": event.uid, "url": event.url or meeting.url}
    if not meeting.external_id:
        # Still being made (its answer was lost): the retry reads this booking, not moves it.
        fields.update(
            synced_version=booking.version,
            starts_at=booking.starts_at,
            interviewer_id=booking.interviewer_id,
        )
    if event.starts_at is None or event.starts_at == booking.starts_at:
        _update(meeting, **fields)
        return "new uid stored"
    try:
        with transaction.atomic():
            booking = booking_reschedule(
                booking,
                actor=booking.interviewer.user,
                actor_role=Actor.INTERVIEWER,
                new_start=event.starts_at,
                now=now,
            )
    except DomainError as error:
        _update(meeting, **fields)
        when = event.starts_at.astimezone(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
        return _problem(meeting, f"Cal.com moved this session to {when}; Mockri could not: {error}")
    # The meeting already is at the new time: the update task that follows has nothing to do.
    _update(
        meeting, **{**fields, "synced_version": booking.version, "starts_at": booking.starts_at}
    )
    return "booking moved"


def _no_show_updated(event: CalcomEvent, now: datetime.datetime) -> str:
    meeting = _meeting(event.uid)
    if meeting is None:
        return "unknown booking"
    booking = meeting.booking
    absent = set(event.no_show_emails)
    if booking.candidate.email.lower() in absent:
        side = NoShowSide.CANDIDATE
    elif booking.interviewer.user.email.lower() in absent:
        side = NoShowSide.INTERVIEWER
    else:
        return "no one of this booking marked absent"
    if booking.status != BookingStatus.CONFIRMED or now < booking.starts_at:
        return _too_early_or_settled(booking)
    try:
        with transaction.atomic():
            booking_record_outcome(
                booking, actor=None, actor_role=Actor.SYSTEM, no_show_side=side, now=now
            )
    except DomainError as error:
        return _problem(meeting, f"Cal.com reported a no-show; Mockri could not record it: {error}")
    return f"no-show recorded: {side}"


def _meeting_ended(event: CalcomEvent, now: datetime.datetime) -> str:
    meeting = _meeting(event.uid, reference=event.booking_reference)
    if meeting is None:
        return "unknown booking"
    booking = meeting.booking
    if booking.status != BookingStatus.CONFIRMED or now < booking.starts_at:
        return _too_early_or_settled(booking)
    try:
        with transaction.atomic():
            booking_record_outcome(booking, actor=None, actor_role=Actor.SYSTEM, now=now)
    except DomainError as error:
        return _problem(meeting, f"Cal.com reported the end; Mockri could not record it: {error}")
    return "booking completed"


def _too_early_or_settled(booking) -> str:
    return f"ignored: the booking is {booking.status}, starting {booking.starts_at.isoformat()}"


def _update(meeting: Meeting, **fields) -> None:
    Meeting.objects.filter(pk=meeting.pk).update(updated_at=timezone.now(), **fields)


def _problem(meeting: Meeting, message: str) -> str:
    """Keep what went wrong on the meeting, where staff see it on the booking."""
    _update(meeting, last_error=message)
    return message


APPLIERS = {
    "BOOKING_CANCELLED": _booking_cancelled,
    "BOOKING_RESCHEDULED": _booking_rescheduled,
    "BOOKING_NO_SHOW_UPDATED": _no_show_updated,
    "MEETING_ENDED": _meeting_ended,
}
