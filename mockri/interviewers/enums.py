from django.db import models


class ApplicationStatus(models.TextChoices):
    PENDING = "pending", "Waiting for review"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"


class ApplicationOrder(models.TextChoices):
    """How staff sort the review queue."""

    NEWEST = "newest", "Newest first"
    OLDEST = "oldest", "Oldest first"


class StatusAction(models.TextChoices):
    """What happened to an interviewer's place in the directory (models.StatusChange)."""

    WENT_LIVE = "went_live", "Went live"
    PAUSED = "paused", "Paused"
    UNLISTED = "unlisted", "Unlisted"
    RESUMED = "resumed", "Resumed"
