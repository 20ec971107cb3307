"""Reads of meetings. The booking passed in is one the caller may already see (booking
selectors check that), so these add no permission check of their own."""

from mockri.bookings.models import Booking

from .enums import JOINABLE_STATUSES
from .models import Meeting


def meeting_current_link_for(booking: Booking) -> str:
    """The link to join the session if the meeting already reflects the booking's current time
    and interviewer, or "" (none yet, or the provider has not caught up with a change). The only
    link emails, invitations and pages give: after a move an older one may no longer work
    (Cal.com books anew; a reassigned Jitsi session gets a new room)."""
    url = (
        Meeting.objects.filter(
            booking=booking,
            status__in=JOINABLE_STATUSES,
            synced_version__gte=booking.version,
        )
        .values_list("url", flat=True)
        .first()
    )
    return url or ""
