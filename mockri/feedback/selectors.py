"""Reads of scorecards and ratings. Callers have already checked, with
`bookings.selectors.booking_get_for_user`, that the person may open the booking."""

from mockri.bookings.models import Booking

from .models import Feedback, Rating


def feedback_of_booking(*, booking: Booking) -> Feedback | None:
    """The booking's scorecard with its scores (two queries), or None."""
    return Feedback.objects.filter(booking=booking).prefetch_related("scores").first()


def rating_of_booking(*, booking: Booking) -> Rating | None:
    return Rating.objects.filter(booking=booking).first()


def scorecard_criteria(*, booking: Booking, feedback: Feedback | None) -> list[dict]:
    """What the scorecard form asks: the criteria the scorecard was written with, or for a new
    one the interview type's current criteria."""
    current = booking.interview_type.scorecard_criteria
    if feedback is None:
        return current
    hints = {criterion["key"]: criterion.get("hint", "") for criterion in current}
    return [
        {"key": score.criterion, "label": score.label, "hint": hints.get(score.criterion, "")}
        for score in feedback.scores.all()
    ]
