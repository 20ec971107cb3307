"""The feedback panel of a booking page, read by the panel's include so the bookings app (which
the feedback app builds on) needs to know nothing of it."""

from django import template
from django.utils import timezone

from mockri.bookings.enums import Actor, BookingStatus

from ..enums import ReviewStatus
from ..forms import RatingForm, ReplyForm, rating_initial
from ..models import Feedback, Rating
from ..selectors import (
    feedback_of_booking,
    focus_skills_of_booking,
    rating_of_booking,
    score_trends,
)
from ..services import feedback_refusal, focus_skills_refusal, public_name

register = template.Library()


@register.simple_tag
def feedback_panel_for(booking, role) -> dict | None:
    """What the panel shows `role` on `booking` (whose page they may open): the focus skills
    from the job description before the session, then the scorecard (with the candidate's
    trends) and the rating with its review. None for a session that is not confirmed or
    completed: then nothing is read; before the session only the focus skills are."""
    if booking.status not in (BookingStatus.CONFIRMED, BookingStatus.COMPLETED):
        return None
    now = timezone.now()
    started = booking.status == BookingStatus.COMPLETED or now >= booking.starts_at
    # A scorecard is written only once the session has started.
    feedback = feedback_of_booking(booking=booking) if started else None
    focus = {
        "skills": focus_skills_of_booking(booking=booking) if feedback is None else [],
        "can_choose": role == Actor.INTERVIEWER
        and not focus_skills_refusal(booking, has_feedback=feedback is not None),
    }
    if not started:
        return {"focus": focus, "started": False}
    completed = booking.status == BookingStatus.COMPLETED
    rating = rating_of_booking(booking=booking) if completed else None
    review = getattr(rating, "review", None)
    return {
        "focus": focus,
        "started": True,
        "feedback": feedback,
        "trends": score_trends(feedback=feedback)
        if feedback is not None and role == Actor.CANDIDATE
        else [],
        "review": review,
        "reply_form": ReplyForm()
        if role == Actor.INTERVIEWER
        and review is not None
        and review.status == ReviewStatus.PUBLISHED
        and not review.reply
        else None,
        "can_write": role == Actor.INTERVIEWER
        and feedback is None
        and not feedback_refusal(booking, now=now),
        "completed": completed,
        "rating": rating,
        # The interviewer sees the candidate's rating once their own feedback is written.
        "show_rating": completed and (role != Actor.INTERVIEWER or feedback is not None),
        "rating_form": (
            RatingForm(
                initial=rating_initial(rating),
                author_name=public_name(booking.candidate.full_name),
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
