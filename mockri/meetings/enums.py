from django.db import models


class MeetingStatus(models.TextChoices):
    PENDING = "pending", "Setting up"
    READY = "ready", "Ready"
    # The configured provider kept failing, so the session got a Jitsi link instead.
    FAILED_OVER = "failed_over", "Ready (fallback link)"
    CANCELLED = "cancelled", "Cancelled"


# Statuses with a link people can join.
JOINABLE_STATUSES = (MeetingStatus.READY, MeetingStatus.FAILED_OVER)
