from django.conf import settings
from django.db import models

from mockri.bookings.models import Booking

from .enums import HIRE_SIGNAL_MEANINGS, HireSignal, ReviewStatus, Score, Stars
from .skills import LABEL_MAX_CHARS

STRENGTHS_MAX_CHARS = 5000
COMMENT_MAX_CHARS = 2000
REPLY_MAX_CHARS = 1000
# The key prefix of a scored focus skill (see skills.skill_key).
FOCUS_KEY_PREFIX = "focus-"


class Feedback(models.Model):
    """The interviewer's scorecard of one session that took place: the candidate's record of
    how it went. Its author is the booking's interviewer and nothing here names them otherwise,
    so the scorecard can stay with the candidate after the interviewer leaves.

    Written and corrected only through `feedback.services`.
    """

    booking = models.OneToOneField(Booking, on_delete=models.CASCADE, related_name="feedback")
    hire_signal = models.CharField(max_length=16, choices=HireSignal.choices)
    strengths = models.TextField(max_length=STRENGTHS_MAX_CHARS)
    areas_to_improve = models.TextField(max_length=STRENGTHS_MAX_CHARS)
    submitted_at = models.DateTimeField()
    # The interviewer may correct it later (DPDP s.8(3), accuracy); the candidate sees when.
    edited_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-submitted_at"]
        verbose_name_plural = "feedback"

    def __str__(self) -> str:
        return f"Feedback on {self.booking}"

    @property
    def hire_signal_meaning(self) -> str:
        return HIRE_SIGNAL_MEANINGS[HireSignal(self.hire_signal)]

    @property
    def has_focus_skills(self) -> bool:
        """Whether it scores skills from the job description (reads the prefetched scores)."""
        return any(score.is_focus_skill for score in self.scores.all())

    @property
    def is_positive(self) -> bool:
        return self.hire_signal in (HireSignal.YES, HireSignal.STRONG_YES)


class FeedbackScore(models.Model):
    """One criterion of a scorecard and its score. The criterion's label is copied from the
    interview type when the scorecard is first written, so later changes to the type's criteria
    never rewrite what a candidate was told."""

    feedback = models.ForeignKey(Feedback, on_delete=models.CASCADE, related_name="scores")
    criterion = models.CharField(max_length=40)
    label = models.CharField(max_length=80)
    score = models.PositiveSmallIntegerField(choices=Score.choices)
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(
                fields=["feedback", "criterion"], name="feedback_score_one_per_criterion"
            ),
            models.CheckConstraint(
                condition=models.Q(score__gte=1, score__lte=4), name="feedback_score_1_to_4"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.label}: {self.score} of 4"

    @property
    def is_focus_skill(self) -> bool:
        """Scored because the interviewer chose it from the candidate's job description."""
        return self.criterion.startswith(FOCUS_KEY_PREFIX)


class FocusSkill(models.Model):
    """One of up to three skills the interviewer chose from the candidate's job description
    before the session; the scorecard scores it beside the interview type's criteria.

    Written only through `feedback.services.focus_skills_set`.
    """

    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="focus_skills")
    key = models.CharField(max_length=40)
    label = models.CharField(max_length=LABEL_MAX_CHARS)
    position = models.PositiveSmallIntegerField()
    chosen_at = models.DateTimeField()

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["booking", "key"], name="focus_skill_once_per_booking"),
        ]

    def __str__(self) -> str:
        return f"{self.label} ({self.booking})"


class Rating(models.Model):
    """The candidate's rating of the interviewer for one completed session. Ratings feed the
    counters on the interviewer's profile (see `feedback.services.rating_submit`); they stay,
    with the comment blanked, when the candidate deletes their account."""

    booking = models.OneToOneField(Booking, on_delete=models.CASCADE, related_name="rating")
    score = models.PositiveSmallIntegerField(choices=Stars.choices)
    comment = models.TextField(blank=True, max_length=COMMENT_MAX_CHARS)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(score__gte=1, score__lte=5), name="rating_score_1_to_5"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.score} of 5 for {self.booking}"


class Review(models.Model):
    """A rating's comment its candidate asked to publish on the interviewer's profile, shown
    under their first name and initial once staff approve it; the interviewer may reply once.
    The text is the rating's comment: changing it sends the review back to moderation.

    Written only through `feedback.services` (rating_submit, review_moderate, review_reply).
    """

    rating = models.OneToOneField(Rating, on_delete=models.CASCADE, related_name="review")
    author_name = models.CharField(max_length=80, help_text="First name and initial.")
    status = models.CharField(
        max_length=16, choices=ReviewStatus.choices, default=ReviewStatus.PENDING
    )
    requested_at = models.DateTimeField()
    moderated_at = models.DateTimeField(null=True, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reply = models.TextField(blank=True, max_length=REPLY_MAX_CHARS)
    replied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at"]
        indexes = [models.Index(fields=["status", "requested_at"])]

    def __str__(self) -> str:
        return f"Review of {self.rating.booking} ({self.status})"
