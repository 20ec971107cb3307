"""The follow-up emails after a session, through the notifications outbox: the interviewer's
feedback request when the session ends, the candidate's "rate your interviewer" when it is
marked completed and "your feedback is ready" when the scorecard is first submitted. Each is
sent once per booking (its dedupe key), never for a cancelled session or a moved one's old time.
"""

import datetime

from mockri.bookings.enums import BookingStatus
from mockri.bookings.models import Booking
from mockri.notifications.services import email_queue

from .models import Feedback, Rating


def _load(booking_id: int) -> Booking | None:
    return (
        Booking.objects.select_related("candidate", "interviewer__user", "interview_type")
        .filter(pk=booking_id)
        .first()
    )


def feedback_request_plan(*, booking_id: int) -> bool:
    """Plan the interviewer's feedback request for when the (confirmed) session ends. A booking
    moved since is planned again by its change; the earlier plan then finds the time changed.
    True when planned."""
    from .tasks import feedback_request_send_task  # noqa: PLC0415 — a cycle: tasks.py imports this module

    booking = _load(booking_id)
    if booking is None or booking.status != BookingStatus.CONFIRMED:
        return False
    feedback_request_send_task.using(run_after=booking.ends_at).enqueue(
        booking_id=booking.pk, ends_at=booking.ends_at.isoformat()
    )
    return True


def feedback_request_send(*, booking_id: int, ends_at: str) -> bool:
    """Ask the interviewer to record the outcome and write the scorecard, if the session still
    ends when it was planned for, took place (or is awaiting its outcome), has no feedback yet
    and its candidate still has an account. True when queued."""
    booking = _load(booking_id)
    if (
        booking is None
        or booking.status not in (BookingStatus.CONFIRMED, BookingStatus.COMPLETED)
        or booking.ends_at != datetime.datetime.fromisoformat(ends_at)
        or not booking.candidate.is_active
        or Feedback.objects.filter(booking=booking).exists()
    ):
        return False
    return bool(
        email_queue(
            "feedback_request",
            recipient=booking.interviewer.user,
            booking=booking,
            dedupe_key=f"feedback_request:{booking.pk}",
            context={},
        )
    )


def rate_interviewer_email(*, booking_id: int) -> bool:
    """Ask the candidate of a completed session to rate their interviewer. True when queued."""
    booking = _load(booking_id)
    if (
        booking is None
        or booking.status != BookingStatus.COMPLETED
        or not booking.candidate.is_active
    ):
        return False
    return bool(
        email_queue(
            "rate_interviewer",
            recipient=booking.candidate,
            booking=booking,
            dedupe_key=f"rate_interviewer:{booking.pk}",
            context={},
        )
    )


def feedback_ready_email(*, booking: Booking) -> None:
    """Tell the candidate their scorecard is on the booking page (the email carries only the
    link: the feedback itself stays behind sign-in). Called in the scorecard's transaction."""
    email_queue(
        "feedback_ready",
        recipient=booking.candidate,
        booking=booking,
        dedupe_key=f"feedback_ready:{booking.pk}",
        context={"rated": Rating.objects.filter(booking=booking).exists()},
    )
