"""Scorecards and ratings: every write. Views and tasks call these and nothing else."""

import datetime
from collections.abc import Mapping

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from mockri.accounts.models import User
from mockri.bookings.enums import Actor, BookingStatus, FileKind
from mockri.bookings.models import Booking, FileAccess
from mockri.bookings.services import booking_record_outcome
from mockri.catalogue.models import InterviewerProfile
from mockri.lib.errors import InvalidTransition, NotAllowed, PolicyViolation

from .emails import feedback_ready_email
from .enums import HireSignal, ReviewStatus, Score, Stars
from .jd_text import document_text
from .models import (
    COMMENT_MAX_CHARS,
    REPLY_MAX_CHARS,
    STRENGTHS_MAX_CHARS,
    Feedback,
    FeedbackScore,
    FocusSkill,
    Rating,
    Review,
)
from .selectors import scorecard_criteria
from .skills import FOCUS_SKILLS_MAX, LABEL_MAX_CHARS, clean_label, skill_key

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
    (1-4) per criterion of the booking's interview type and per focus skill chosen from the
    candidate's job description, strengths, areas to improve and a hire
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
    criteria = scorecard_criteria(booking=booking, feedback=None)
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
    publish: bool = False,
    now: datetime.datetime | None = None,
) -> Rating:
    """The candidate rates the interviewer of a completed session from 1 to 5, with an optional
    comment they may ask to publish on the interviewer's profile; rating again changes the one
    rating.

    Side effects: the rating, and the interviewer's rating count and total (what the profile's
    average is made of) in the same transaction; the review (see `_review_follow`). Raises
    NotAllowed for anyone but the candidate and PolicyViolation for a session that did not take
    place, a score out of range, or publishing without a comment.
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
    if publish and not comment:
        raise PolicyViolation("Please write a comment to publish it on the interviewer's profile.")
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
            _review_follow(rating, publish=publish, comment_changed=True, now=now)
            return rating
    if score != rating.score:
        counters.update(rating_total=F("rating_total") + (score - rating.score))
    comment_changed = comment != rating.comment
    rating.score, rating.comment, rating.updated_at = score, comment, now
    rating.save(update_fields=["score", "comment", "updated_at"])
    _review_follow(rating, publish=publish, comment_changed=comment_changed, now=now)
    return rating


def public_name(full_name: str) -> str:
    """How a review names its author: first name and the initial of the last ("Kavya S.")."""
    words = full_name.split()
    if not words:
        return "A Mockri candidate"
    if len(words) == 1:
        return words[0]
    return f"{words[0]} {words[-1][0].upper()}."


def _review_follow(rating: Rating, *, publish: bool, comment_changed: bool, now) -> None:
    """The review follows the candidate's choice: not publishing withdraws (deletes) it;
    publishing a new or changed comment (re)starts moderation, clearing any reply to the old
    text; an unchanged comment keeps its review as it is."""
    review = Review.objects.filter(rating=rating).first()
    if not publish:
        if review is not None:
            review.delete()
        return
    if review is None:
        Review.objects.create(
            rating=rating,
            author_name=public_name(rating.booking.candidate.full_name),
            requested_at=now,
        )
    elif comment_changed:
        review.status, review.requested_at = ReviewStatus.PENDING, now
        review.moderated_at = review.moderated_by = review.replied_at = None
        review.reply = ""
        review.save()


@transaction.atomic
def review_moderate(
    *, review: Review, staff_user: User, publish: bool, now: datetime.datetime | None = None
) -> Review:
    """Staff publish a review waiting for moderation, or decline it.

    Side effects: the review's status, who moderated it and when. Raises NotAllowed for anyone
    but staff and InvalidTransition when the review was moderated, changed or withdrawn since
    the page was loaded.
    """
    if not staff_user.is_staff:
        raise NotAllowed("Only Mockri staff moderate reviews.")
    now = now or timezone.now()
    status = ReviewStatus.PUBLISHED if publish else ReviewStatus.REJECTED
    moved = Review.objects.filter(
        pk=review.pk, status=ReviewStatus.PENDING, requested_at=review.requested_at
    ).update(status=status, moderated_at=now, moderated_by=staff_user)
    if not moved:
        raise InvalidTransition(
            "This review was moderated, changed or withdrawn meanwhile: please look again."
        )
    review.status, review.moderated_at, review.moderated_by = status, now, staff_user
    return review


@transaction.atomic
def review_reply(
    *, review: Review, interviewer: User, text: str, now: datetime.datetime | None = None
) -> Review:
    """The interviewer answers a published review of their session, once; the reply shows
    under the review on their profile.

    Side effects: the reply and when it was written. Raises NotAllowed for anyone but the
    session's interviewer, PolicyViolation for an empty or long reply or a review not published,
    InvalidTransition when they have replied already.
    """
    now = now or timezone.now()
    if review.rating.booking.interviewer.user_id != interviewer.pk:
        raise NotAllowed("Only the session's interviewer replies to its review.")
    text = text.strip()
    if not text:
        raise PolicyViolation("Please write your reply.")
    if len(text) > REPLY_MAX_CHARS:
        raise PolicyViolation(f"Please keep the reply under {REPLY_MAX_CHARS} characters.")
    if review.status != ReviewStatus.PUBLISHED:
        raise PolicyViolation("You can reply once the review is published.")
    moved = Review.objects.filter(pk=review.pk, status=ReviewStatus.PUBLISHED, reply="").update(
        reply=text, replied_at=now
    )
    if not moved:
        raise InvalidTransition("You have already replied to this review.")
    review.reply, review.replied_at = text, now
    return review


def job_description_read(*, booking: Booking, reader: User, role: str) -> str:
    """The job description's text for suggesting focus skills: the pasted text and the text of
    an uploaded file (read here, never sent anywhere).

    Side effects: reading the file is recorded as an opening of it (FileAccess), as a download
    is, so the candidate sees it on their booking page.
    """
    parts = [booking.job_description_text]
    stored = booking.files.filter(kind=FileKind.JOB_DESCRIPTION).first()
    if stored is not None:
        with stored.file.open("rb") as handle:
            parts.append(document_text(handle.read(), content_type=stored.content_type))
        FileAccess.objects.create(
            booking=booking,
            kind=FileKind.JOB_DESCRIPTION,
            file_name=stored.original_name,
            accessed_by=reader,
            accessed_by_role=role,
        )
    return "\n".join(part for part in parts if part)


def focus_skills_refusal(booking: Booking, *, has_feedback: bool) -> str:
    """Why the interviewer cannot choose focus skills for this booking now, or ""."""
    if has_feedback:
        return "The scorecard is written, so its focus skills are settled."
    if booking.status not in (BookingStatus.CONFIRMED, BookingStatus.COMPLETED):
        return "Focus skills are chosen for a confirmed session."
    return ""


@transaction.atomic
def focus_skills_set(
    *,
    booking: Booking,
    interviewer: User,
    labels: list[str],
    now: datetime.datetime | None = None,
) -> list[FocusSkill]:
    """The interviewer chooses (or changes, or clears) up to three focus skills for the
    session, drawn from the candidate's job description or written by them; the scorecard
    scores each beside the interview type's criteria.

    Side effects: replaces the booking's focus skills. Raises NotAllowed for anyone but the
    interviewer, PolicyViolation for more than three or a label too long or without letters,
    and when the scorecard is written already or the booking is not confirmed or completed.
    """
    now = now or timezone.now()
    _check_interviewer(booking, interviewer)
    locked = Booking.objects.select_for_update().get(pk=booking.pk)
    if refusal := focus_skills_refusal(
        locked, has_feedback=Feedback.objects.filter(booking=booking).exists()
    ):
        raise PolicyViolation(refusal)
    chosen: dict[str, str] = {}
    for label in map(clean_label, labels):
        if not label:
            continue
        if len(label) > LABEL_MAX_CHARS:
            raise PolicyViolation(f"Please keep each skill under {LABEL_MAX_CHARS} characters.")
        key = skill_key(label)
        if not key:
            raise PolicyViolation(f"“{label}” needs letters or digits to be a skill.")
        chosen.setdefault(key, label)
    if len(chosen) > FOCUS_SKILLS_MAX:
        raise PolicyViolation(f"Please choose at most {FOCUS_SKILLS_MAX} focus skills.")
    FocusSkill.objects.filter(booking=booking).delete()
    return FocusSkill.objects.bulk_create(
        FocusSkill(booking=booking, key=key, label=label, position=position, chosen_at=now)
        for position, (key, label) in enumerate(chosen.items())
    )
