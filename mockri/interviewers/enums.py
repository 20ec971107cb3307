from django.db import models


class ApplicationStatus(models.TextChoices):
    PENDING = "pending", "Waiting for review"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"


class ApplicationOrder(models.TextChoices):
    """How staff sort the review queue."""

    NEWEST = "newest", "Newest first"
    OLDEST = "oldest", "Oldest first"
