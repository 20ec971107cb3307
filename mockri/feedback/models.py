from django.db import models

from mockri.bookings.models import Booking

from .enums import HIRE_SIGNAL_MEANINGS, HireSignal, Score, Stars

STRENGTHS_MAX_CHARS = 5000
COMMENT_MAX_CHARS = 2000


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
