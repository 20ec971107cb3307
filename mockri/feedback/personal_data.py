"""Feedback: the scorecards a person received as a candidate or wrote as an interviewer (with
the focus skills chosen from the candidate's job description), the ratings they gave or
received, and the public reviews made of those ratings."""

import datetime
import re

from django.db.models import Q

from .models import Feedback, FeedbackScore, FocusSkill, Rating, Review

MODELS = [Feedback, FeedbackScore, FocusSkill, Rating, Review]

# What stands in for the interviewer's name in scorecards kept after they leave.
THE_INTERVIEWER = "the interviewer"


def _scorecard(feedback: Feedback) -> dict:
    booking = feedback.booking
    return {
        "booking": booking.reference,
        "interview_type": booking.interview_type.name,
        "session_starts_at": booking.starts_at,
        "hire_signal": feedback.get_hire_signal_display(),
        "scores": [
            {"criterion": score.label, "score": score.score, "of": 4}
            for score in feedback.scores.all()
        ],
        "strengths": feedback.strengths,
        "areas_to_improve": feedback.areas_to_improve,
        "submitted_at": feedback.submitted_at,
        "corrected_at": feedback.edited_at,
    }


def export(*, user, archive) -> dict:
    scorecards = Feedback.objects.select_related(
        "booking__interview_type", "booking__interviewer"
    ).prefetch_related("scores")
    ratings = Rating.objects.select_related("booking__interviewer")
    reviews = Review.objects.select_related("rating__booking__interviewer")
    return {
        "focus_skills_of_your_sessions": [
            {"booking": skill.booking.reference, "skill": skill.label, "chosen_at": skill.chosen_at}
            for skill in FocusSkill.objects.filter(booking__candidate=user)
            .select_related("booking")
            .order_by("booking__starts_at", "position")
        ],
        "feedback_you_received": [
            {**_scorecard(feedback), "interviewer": feedback.booking.interviewer.display_name}
            for feedback in scorecards.filter(booking__candidate=user).order_by("submitted_at")
        ],
        # The candidate's name stays out: the booking reference identifies the session.
        "feedback_you_wrote": [
            _scorecard(feedback)
            for feedback in scorecards.filter(booking__interviewer__user=user).order_by(
                "submitted_at"
            )
        ],
        "ratings_you_gave": [
            {
                "booking": rating.booking.reference,
                "interviewer": rating.booking.interviewer.display_name,
                "score": rating.score,
                "comment": rating.comment,
                "rated_at": rating.created_at,
                "changed_at": rating.updated_at,
            }
            for rating in ratings.filter(booking__candidate=user).order_by("created_at")
        ],
        # Ratings are about the interviewer; the candidate who gave one is not named.
        "ratings_about_you": [
            {
                "booking": rating.booking.reference,
                "score": rating.score,
                "comment": rating.comment,
                "rated_at": rating.created_at,
            }
            for rating in ratings.filter(booking__interviewer__user=user).order_by("created_at")
        ],
        "reviews_you_published": [
            {**_review(review), "interviewer": review.rating.booking.interviewer.display_name}
            for review in reviews.filter(rating__booking__candidate=user).order_by("requested_at")
        ],
        # The public review names its author as shown on the profile, nothing more.
        "reviews_about_you": [
            _review(review)
            for review in reviews.filter(rating__booking__interviewer__user=user).order_by(
                "requested_at"
            )
        ],
    }


def _review(review: Review) -> dict:
    return {
        "booking": review.rating.booking.reference,
        "text": review.rating.comment,
        "shown_as": review.author_name,
        "status": review.get_status_display(),
        "asked_at": review.requested_at,
        "moderated_at": review.moderated_at,
        "reply": review.reply,
        "replied_at": review.replied_at,
    }


def _without_names(text: str, names: set[str]) -> str:
    for name in sorted(names, key=len, reverse=True):
        text = re.sub(
            rf"(?<!\w){re.escape(name)}(?!\w)", THE_INTERVIEWER, text, flags=re.IGNORECASE
        )
    return text


def erase(*, user, now: datetime.datetime) -> None:
    """As a candidate: the scorecards about them and the focus skills drawn from their job
    descriptions are deleted; the ratings they gave keep their score (the interviewer's average
    stays right) but lose the comment and any public review of it, and the booking they point
    to no longer names them once the account is de-identified.

    As an interviewer: the scorecards they wrote stay (they are the candidates' record), with
    their name taken out of the text (nothing else in them names the interviewer); the comments
    of ratings about them, and the reviews and replies, are deleted, the scores kept.

    As staff: the reviews they moderated stop naming them.
    """
    Feedback.objects.filter(booking__candidate=user).delete()
    FocusSkill.objects.filter(booking__candidate=user).delete()
    Review.objects.filter(
        Q(rating__booking__candidate=user) | Q(rating__booking__interviewer__user=user)
    ).delete()
    Review.objects.filter(moderated_by=user).update(moderated_by=None)
    Rating.objects.filter(Q(booking__candidate=user) | Q(booking__interviewer__user=user)).exclude(
        comment=""
    ).update(comment="")
    profile = getattr(user, "interviewer_profile", None)
    names = {name.strip() for name in (user.full_name, user.email) if name and name.strip()}
    if profile is not None and profile.display_name.strip():
        names.add(profile.display_name.strip())
    if not names:
        return
    naming = Q()
    for name in names:
        naming |= Q(strengths__icontains=name) | Q(areas_to_improve__icontains=name)
    for feedback in Feedback.objects.filter(naming, booking__interviewer__user=user):
        feedback.strengths = _without_names(feedback.strengths, names)
        feedback.areas_to_improve = _without_names(feedback.areas_to_improve, names)
        feedback.save(update_fields=["strengths", "areas_to_improve"])
