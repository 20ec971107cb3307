from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.csp import CSP
from django.views.decorators.cache import never_cache
from django.views.decorators.csp import csp_override
from django.views.decorators.http import require_GET

from mockri.bookings.enums import BookingStatus
from mockri.bookings.selectors import booking_get_for_user
from mockri.meetings.selectors import meeting_current_link_for

from .calendar import invitation
from .models import OutboxEmail


@never_cache
@login_required
@require_GET
def calendar_file(request, reference: str):
    """The booking's invitation as a .ics download, for its two people and staff."""
    booking, _ = booking_get_for_user(user=request.user, reference=reference)
    ics = invitation(
        booking=booking,
        meeting_url=meeting_current_link_for(booking),
        for_user=request.user,
        cancelled=booking.status == BookingStatus.CANCELLED,
    )
    response = HttpResponse(ics, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="mockri-{booking.reference}.ics"'
    return response


def google_calendar_link(booking) -> str:
    """A link that opens Google Calendar's "add event" form filled in (nothing is sent to
    Google until the person chooses to save it there)."""
    span = f"{booking.starts_at:%Y%m%dT%H%M%SZ}/{booking.ends_at:%Y%m%dT%H%M%SZ}"
    query = urlencode(
        {
            "action": "TEMPLATE",
            "text": f"Mockri: {booking.interview_type.name} mock interview",
            "dates": span,
            "details": f"{settings.SITE_URL}{booking.get_absolute_url()}",
        }
    )
    return f"https://calendar.google.com/calendar/render?{query}"


# An email's HTML carries inline styles (mail clients need them): allowed on this page only.
EMAIL_PREVIEW_CSP = {**settings.SECURE_CSP, "style-src": [CSP.SELF, CSP.UNSAFE_INLINE]}


@never_cache
@login_required
@require_GET
@csp_override(EMAIL_PREVIEW_CSP)
def outbox(request, email_id: int | None = None):
    """While developing (DEBUG only, staff only): every email Mockri queued, newest first, and
    one email's HTML as it will arrive."""
    if not settings.DEBUG or not request.user.is_staff:
        raise Http404
    if email_id is not None:
        email = get_object_or_404(OutboxEmail, pk=email_id)
        return HttpResponse(email.html_body)
    emails = OutboxEmail.objects.select_related("booking")[:200]
    return render(request, "notifications/outbox.html", {"emails": emails})
