from django.db import models


class Score(models.IntegerChoices):
    """One criterion of a scorecard, against the bar of the round the candidate is preparing for."""

    WELL_BELOW = 1, "Well below the bar"
    BELOW = 2, "Below the bar"
    AT = 3, "At the bar"
    ABOVE = 4, "Above the bar"


class HireSignal(models.TextChoices):
    """The interviewer's overall call, as if the session had been the real round."""

    STRONG_NO = "strong_no", "Strong no hire"
    NO = "no", "No hire"
    YES = "yes", "Hire"
    STRONG_YES = "strong_yes", "Strong hire"


HIRE_SIGNAL_MEANINGS = {
    HireSignal.STRONG_NO: "Far from passing this round today.",
    HireSignal.NO: "Would not pass this round yet, but not far off with work.",
    HireSignal.YES: "Would pass this round at most companies.",
    HireSignal.STRONG_YES: "A clear pass that would stand out.",
}


class Stars(models.IntegerChoices):
    """The candidate's rating of their interviewer."""

    ONE = 1, "Poor"
    TWO = 2, "Fair"
    THREE = 3, "Good"
    FOUR = 4, "Very good"
    FIVE = 5, "Excellent"


class ReviewStatus(models.TextChoices):
    """A rating's comment the candidate asked to publish on the interviewer's profile."""

    PENDING = "pending", "Waiting for moderation"
    PUBLISHED = "published", "Published"
    REJECTED = "rejected", "Not published"
