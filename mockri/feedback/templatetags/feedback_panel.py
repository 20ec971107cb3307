"""The feedback panel of a booking page, read by the panel's include so the bookings app (which
the feedback app builds on) needs to know nothing of it."""

from django import template
from django.utils import timezone

from mockri.bookings.enums import Actor, BookingStatus

from ..forms import RatingForm
from ..models import Feedback, Rating
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


@register.simple_tag
def feedback_states(bookings) -> dict:
    """Which completed sessions of a list have a scorecard and which a rating (for the "next
    step" of each in the dashboards): two queries for the whole list, none without one."""
    ids = [booking.pk for booking in bookings if booking.status == BookingStatus.COMPLETED]
    if not ids:
        return {"with_feedback": set(), "rated": set()}
    return {
        "with_feedback": set(
            Feedback.objects.filter(booking_id__in=ids).values_list("booking_id", flat=True)
        ),
        "rated": set(
            Rating.objects.filter(booking_id__in=ids).values_list("booking_id", flat=True)
        ),
    }
