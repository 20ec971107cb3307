"""Reads of scorecards and ratings. Callers have already checked, with
`bookings.selectors.booking_get_for_user`, that the person may open the booking."""

from mockri.bookings.models import Booking
from mockri.catalogue.models import InterviewerProfile

from .enums import ReviewStatus
from .models import Feedback, FeedbackScore, FocusSkill, Rating, Review
from .trends import Trend, trends_from_rows

FOCUS_SKILL_HINT = "A focus skill from the candidate's job description."


def feedback_of_booking(*, booking: Booking) -> Feedback | None:
    """The booking's scorecard with its scores (two queries), or None."""
    return Feedback.objects.filter(booking=booking).prefetch_related("scores").first()


def rating_of_booking(*, booking: Booking) -> Rating | None:
    """The booking's rating with its review, if any (one query)."""
    return Rating.objects.filter(booking=booking).select_related("review").first()


def focus_skills_of_booking(*, booking: Booking) -> list[FocusSkill]:
    return list(FocusSkill.objects.filter(booking=booking))


def scorecard_criteria(*, booking: Booking, feedback: Feedback | None) -> list[dict]:
    """What the scorecard form asks: the criteria the scorecard was written with, or for a new
    one the interview type's current criteria and the focus skills the interviewer chose."""
    current = booking.interview_type.scorecard_criteria
    if feedback is None:
        focus = [
            {"key": skill.key, "label": skill.label, "hint": FOCUS_SKILL_HINT}
            for skill in focus_skills_of_booking(booking=booking)
        ]
        return [*current, *focus]
    hints = {criterion["key"]: criterion.get("hint", "") for criterion in current}
    return [
        {
            "key": score.criterion,
            "label": score.label,
            "hint": FOCUS_SKILL_HINT if score.is_focus_skill else hints.get(score.criterion, ""),
        }
        for score in feedback.scores.all()
    ]


def score_trends(*, feedback: Feedback) -> list[Trend]:
    """For each criterion of this scorecard, the candidate's scores on it across their
    sessions up to this one, oldest first (one query); only criteria scored more than once."""
    booking = feedback.booking
    keys = [score.criterion for score in feedback.scores.all()]
    rows = (
        FeedbackScore.objects.filter(
            feedback__booking__candidate_id=booking.candidate_id,
            feedback__booking__starts_at__lte=booking.starts_at,
            criterion__in=keys,
        )
        .order_by("feedback__booking__starts_at", "feedback_id")
        .values_list("criterion", "label", "score", "feedback__booking__starts_at")
    )
    return trends_from_rows(list(rows), order=keys)


def reviews_published_for(*, profile: InterviewerProfile, limit: int = 10) -> list[Review]:
    """The newest published reviews of an interviewer, with their ratings (one query)."""
    return list(
        Review.objects.filter(rating__booking__interviewer=profile, status=ReviewStatus.PUBLISHED)
        .select_related("rating")
        .order_by("-moderated_at")[:limit]
    )


def reviews_to_moderate(*, limit: int = 50) -> list[Review]:
    """Reviews waiting for staff, oldest first, with what the console shows (one query)."""
    return list(
        Review.objects.filter(status=ReviewStatus.PENDING)
        .select_related("rating__booking__interviewer")
        .order_by("requested_at")[:limit]
    )


def reviews_moderated_recently(*, limit: int = 20) -> list[Review]:
    return list(
        Review.objects.exclude(status=ReviewStatus.PENDING)
        .select_related("rating__booking__interviewer", "moderated_by")
        .order_by("-moderated_at")[:limit]
    )


def review_for_moderation(*, review_id: int) -> Review | None:
    return Review.objects.filter(pk=review_id).first()


def review_of_interviewer(*, interviewer_user, review_id: int) -> Review | None:
    """A review of one of this interviewer's sessions, or None for anyone else's."""
    return (
        Review.objects.filter(pk=review_id, rating__booking__interviewer__user=interviewer_user)
        .select_related("rating__booking__interviewer")
        .first()
    )
