"""The feedback panel of a booking page, read by the panel's include so the bookings app (which
the feedback app builds on) needs to know nothing of it."""

from django import template
from django.utils import timezone

from mockri.bookings.enums import Actor, BookingStatus

from ..forms import RatingForm
from ..selectors import feedback_of_booking, rating_of_booking
from ..services import feedback_refusal

register = template.Library()


@register.simple_tag
def feedback_panel_for(booking, role) -> dict | None:
    """What the panel shows `role` on `booking` (whose page they may open), or None for a
    session that has not started or did not take place: then nothing is read."""
    now = timezone.now()
    after_start = booking.status == BookingStatus.CONFIRMED and now >= booking.starts_at
    if booking.status != BookingStatus.COMPLETED and not after_start:
        return None
    feedback = feedback_of_booking(booking=booking)
    completed = booking.status == BookingStatus.COMPLETED
    rating = rating_of_booking(booking=booking) if completed else None
    return {
        "feedback": feedback,
        "can_write": role == Actor.INTERVIEWER
        and feedback is None
        and not feedback_refusal(booking, now=now),
        "completed": completed,
        "rating": rating,
        # The interviewer sees the candidate's rating once their own feedback is written.
        "show_rating": completed and (role != Actor.INTERVIEWER or feedback is not None),
        "rating_form": (
            RatingForm(
                initial={"score": rating.score, "comment": rating.comment} if rating else None
            )
            if completed and role == Actor.CANDIDATE
            else None
        ),
    }
