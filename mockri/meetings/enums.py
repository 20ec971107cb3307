from django.db import models


class MeetingStatus(models.TextChoices):
    PENDING = "pending", "Setting up"
    READY = "ready", "Ready"
    # The configured provider kept failing, so the session got another provider's link instead.
    FAILED_OVER = "failed_over", "Ready (fallback link)"
    # Every provider failed: the link will follow, and staff were alerted to make one.
    NO_LINK = "no_link", "No link (staff alerted)"
    CANCELLED = "cancelled", "Cancelled"


# Statuses with a link people can join.
JOINABLE_STATUSES = (MeetingStatus.READY, MeetingStatus.FAILED_OVER)

# Where a meeting's status may go from each; meetings.services.meeting_transition is its one
# writer. A write that keeps the status (new details for the same state) is always allowed.
MEETING_TRANSITIONS: dict[str, frozenset[str]] = {
    MeetingStatus.PENDING: frozenset(
        {
            MeetingStatus.READY,
            MeetingStatus.FAILED_OVER,
            MeetingStatus.NO_LINK,
            MeetingStatus.CANCELLED,
        }
    ),
    # Back to pending: moved, and the provider has not given the new link yet.
    MeetingStatus.READY: frozenset(
        {
            MeetingStatus.PENDING,
            MeetingStatus.FAILED_OVER,
            MeetingStatus.NO_LINK,
            MeetingStatus.CANCELLED,
        }
    ),
    # A fallback link is kept: the failed provider is not tried again for this session (unless
    # the fallback provider itself fails to move it, when the chain runs again).
    MeetingStatus.FAILED_OVER: frozenset({MeetingStatus.NO_LINK, MeetingStatus.CANCELLED}),
    # Tried again before the start, or by staff: a provider that recovered gives the link.
    MeetingStatus.NO_LINK: frozenset({MeetingStatus.FAILED_OVER, MeetingStatus.CANCELLED}),
    MeetingStatus.CANCELLED: frozenset(),
}
