"""Scorecards and ratings: every write. Views and tasks call these and nothing else."""

import datetime
from collections.abc import Mapping

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from mockri.accounts.models import User
from mockri.bookings.enums import Actor, BookingStatus
from mockri.bookings.models import Booking
from mockri.bookings.services import booking_record_outcome
from mockri.catalogue.models import InterviewerProfile
from mockri.lib.errors import InvalidTransition, NotAllowed, PolicyViolation

from .emails import feedback_ready_email
from .enums import HireSignal, Score, Stars
from .models import COMMENT_MAX_CHARS, STRENGTHS_MAX_CHARS, Feedback, FeedbackScore, Rating

ALREADY_SUBMITTED = "Your feedback on this session was already submitted: you can correct it."


def feedback_refusal(booking: Booking, *, now: datetime.datetime) -> str:
    """Why this booking cannot get a scorecard now, or "" when it can: the session has started
    and is confirmed (submitting marks it completed) or completed already."""
    if booking.status == BookingStatus.NO_SHOW:
        return "This session was recorded as a no-show, so it has no scorecard."
    if booking.status not in (BookingStatus.CONFIRMED, BookingStatus.COMPLETED):
        return "Only a session that took place can have a scorecard."
    if now < booking.starts_at:
        return "You can write feedback once the session has started."
    if not booking.candidate.is_active:
        return "The candidate has closed their account, so this session gets no scorecard."
    return ""


def _check_interviewer(booking: Booking, interviewer: User) -> None:
    if booking.interviewer.user_id != interviewer.pk:
        raise NotAllowed("Only the session's interviewer writes its feedback.")


def _check_text(*, hire_signal: str, strengths: str, areas_to_improve: str) -> None:
    if hire_signal not in HireSignal.values:
        raise PolicyViolation("Please choose an overall hire signal.")
    for name, text in (("strengths", strengths), ("areas to improve", areas_to_improve)):
        if not text.strip():
            raise PolicyViolation(f"Please write the candidate's {name}.")
        if len(text) > STRENGTHS_MAX_CHARS:
            raise PolicyViolation(f"Please keep the {name} under {STRENGTHS_MAX_CHARS} characters.")


def _check_scores(labels: Mapping[str, str], scores: Mapping[str, int]) -> None:
    """One score from 1 to 4 for each criterion, and nothing else."""
    if set(scores) != set(labels):
        missing = [labels[key] for key in labels if key not in scores]
        raise PolicyViolation(
            "Please score " + ", ".join(missing) + "."
            if missing
            else "The scorecard's criteria have changed: please reload the page."
        )
    for key, value in scores.items():
        if value not in Score.values:
            raise PolicyViolation(f"Score {labels[key]} from 1 to 4.")


@transaction.atomic
def feedback_submit(
    *,
    booking: Booking,
    interviewer: User,
    scores: Mapping[str, int],
    hire_signal: str,
    strengths: str,
    areas_to_improve: str,
    now: datetime.datetime | None = None,
) -> Feedback:
    """The assigned interviewer writes the scorecard of a session that has started: one score
    (1-4) per criterion of the booking's interview type, strengths, areas to improve and a hire
    signal.

    Side effects: a confirmed booking is marked completed (with that transition's effects:
    audit event, "sessions given", booking_completed); the scorecard and its scores; the
    candidate's "your feedback is ready" email, queued in the same transaction. Raises NotAllowed
    for anyone else, PolicyViolation for a session that cannot have a scorecard or a scorecard
    that is incomplete, InvalidTransition when feedback exists already or the booking changed.
    """
    now = now or timezone.now()
    _check_interviewer(booking, interviewer)
    if refusal := feedback_refusal(booking, now=now):
        raise PolicyViolation(refusal)
    criteria = booking.interview_type.scorecard_criteria
    labels = {criterion["key"]: criterion["label"] for criterion in criteria}
    _check_scores(labels, scores)
    _check_text(hire_signal=hire_signal, strengths=strengths, areas_to_improve=areas_to_improve)
    if Feedback.objects.filter(booking=booking).exists():
        raise InvalidTransition(ALREADY_SUBMITTED)
    if booking.status == BookingStatus.CONFIRMED:
        booking_record_outcome(booking, actor=interviewer, actor_role=Actor.INTERVIEWER, now=now)
    try:
        with transaction.atomic():
            feedback = Feedback.objects.create(
                booking=booking,
                hire_signal=hire_signal,
                strengths=strengths.strip(),
                areas_to_improve=areas_to_improve.strip(),
                submitted_at=now,
            )
    except IntegrityError:
        raise InvalidTransition(ALREADY_SUBMITTED) from None  # a second submission won
    FeedbackScore.objects.bulk_create(
        FeedbackScore(
            feedback=feedback,
            criterion=criterion["key"],
            label=criterion["label"],
            score=scores[criterion["key"]],
            position=position,
        )
        for position, criterion in enumerate(criteria)
    )
    feedback_ready_email(booking=booking)
    return feedback


@transaction.atomic
def feedback_correct(
    *,
    booking: Booking,
    interviewer: User,
    scores: Mapping[str, int],
    hire_signal: str,
    strengths: str,
    areas_to_improve: str,
    now: datetime.datetime | None = None,
) -> Feedback:
    """The interviewer corrects their scorecard, on the criteria it was written with, at any
    time (the accuracy duty of DPDP s.8(3)).

    Side effects: the changed scores and text, and `edited_at` when anything changed. No email.
    Raises NotAllowed for anyone but the interviewer, InvalidTransition when there is nothing to
    correct, PolicyViolation for an incomplete scorecard.
    """
    now = now or timezone.now()
    _check_interviewer(booking, interviewer)
    feedback = Feedback.objects.select_for_update().filter(booking=booking).first()
    if feedback is None:
        raise InvalidTransition("There is no feedback on this session to correct yet.")
    rows = list(feedback.scores.all())
    _check_scores({row.criterion: row.label for row in rows}, scores)
    _check_text(hire_signal=hire_signal, strengths=strengths, areas_to_improve=areas_to_improve)
    changed_rows = [row for row in rows if row.score != scores[row.criterion]]
    for row in changed_rows:
        row.score = scores[row.criterion]
    FeedbackScore.objects.bulk_update(changed_rows, ["score"])
    text = {
        "hire_signal": hire_signal,
        "strengths": strengths.strip(),
        "areas_to_improve": areas_to_improve.strip(),
    }
    changed_text = {name: value for name, value in text.items() if getattr(feedback, name) != value}
    if changed_rows or changed_text:
        for name, value in {**changed_text, "edited_at": now}.items():
            setattr(feedback, name, value)
        feedback.save(update_fields=[*changed_text, "edited_at"])
    return feedback


@transaction.atomic
def rating_submit(
    *,
    booking: Booking,
    candidate: User,
    score: int,
    comment: str = "",
    now: datetime.datetime | None = None,
) -> Rating:
    """The candidate rates the interviewer of a completed session from 1 to 5, with an optional
    comment; rating again changes the one rating.

    Side effects: the rating, and the interviewer's rating count and total (what the profile's
    average is made of) in the same transaction. Raises NotAllowed for anyone but the candidate
    and PolicyViolation for a session that did not take place or a score out of range.
    """
    now = now or timezone.now()
    if booking.candidate_id != candidate.pk:
        raise NotAllowed("Only the candidate rates the session's interviewer.")
    if booking.status != BookingStatus.COMPLETED:
        raise PolicyViolation("You can rate your interviewer once the session has taken place.")
    if score not in Stars.values:
        raise PolicyViolation("Please choose a rating from 1 to 5.")
    comment = comment.strip()
    if len(comment) > COMMENT_MAX_CHARS:
        raise PolicyViolation(f"Please keep the comment under {COMMENT_MAX_CHARS} characters.")
    counters = InterviewerProfile.objects.filter(pk=booking.interviewer_id)
    rating = Rating.objects.select_for_update().filter(booking=booking).first()
    if rating is None:
        try:
            with transaction.atomic():
                rating = Rating.objects.create(
                    booking=booking, score=score, comment=comment, created_at=now, updated_at=now
                )
        except IntegrityError:
            # The candidate's other request rated it first: this one changes that rating.
            rating = Rating.objects.select_for_update().get(booking=booking)
        else:
            counters.update(
                rating_count=F("rating_count") + 1, rating_total=F("rating_total") + score
            )
            return rating
    if score != rating.score:
        counters.update(rating_total=F("rating_total") + (score - rating.score))
    rating.score, rating.comment, rating.updated_at = score, comment, now
    rating.save(update_fields=["score", "comment", "updated_at"])
    return rating
