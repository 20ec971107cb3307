from django.db import models


class MeetingStatus(models.TextChoices):
    PENDING = "pending", "Setting up"
    READY = "ready", "Ready"
    # The configured provider kept failing, so the session got a Jitsi link instead.
    FAILED_OVER = "failed_over", "Ready (fallback link)"
    CANCELLED = "cancelled", "Cancelled"


# Statuses with a link people can join.
JOINABLE_STATUSES = (MeetingStatus.READY, MeetingStatus.FAILED_OVER)

# Where a meeting's status may go from each; meetings.services.meeting_transition is its one
# writer. A write that keeps the status (new details for the same state) is always allowed.
MEETING_TRANSITIONS: dict[str, frozenset[str]] = {
    MeetingStatus.PENDING: frozenset(
        {MeetingStatus.READY, MeetingStatus.FAILED_OVER, MeetingStatus.CANCELLED}
    ),
    # Back to pending: moved, and the provider has not given the new link yet.
    MeetingStatus.READY: frozenset(
        {MeetingStatus.PENDING, MeetingStatus.FAILED_OVER, MeetingStatus.CANCELLED}
    ),
    # A fallback link is kept: the failed provider is not tried again for this session.
    MeetingStatus.FAILED_OVER: frozenset({MeetingStatus.CANCELLED}),
    MeetingStatus.CANCELLED: frozenset(),
}
