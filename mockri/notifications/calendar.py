"""Calendar invitations (RFC 5545) for a booking, built with icalendar.

The UID is stable per booking and SEQUENCE is the booking's version, so calendar apps update
the same event on a reschedule and remove it on METHOD:CANCEL.
"""

import datetime
import zoneinfo

from django.conf import settings
from icalendar import Calendar, Event, vCalAddress, vText

from mockri.bookings.models import Booking


def booking_uid(booking: Booking) -> str:
    return f"{booking.reference}@mockri"


def invitation(
    *,
    booking: Booking,
    meeting_url: str,
    cancelled: bool = False,
    stamped_at: datetime.datetime | None = None,
) -> str:
    """The .ics text: METHOD:REQUEST for a new or moved session, METHOD:CANCEL when cancelled.

    DTSTAMP is the booking's last change unless `stamped_at` says otherwise: a link added at the
    same time keeps SEQUENCE, and calendars take the later DTSTAMP as the newer copy.
    """
    interviewer = booking.interviewer
    candidate_zone = zoneinfo.ZoneInfo(booking.candidate.timezone)
    interviewer_zone = zoneinfo.ZoneInfo(interviewer.user.timezone)
    calendar = Calendar()
    calendar.add("prodid", "-//Mockri//Mock interviews//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "CANCEL" if cancelled else "REQUEST")
    event = Event()
    event.add("uid", booking_uid(booking))
    event.add("sequence", booking.version)
    event.add("dtstamp", stamped_at or booking.updated_at)
    event.add("dtstart", booking.starts_at)
    event.add("dtend", booking.ends_at)
    event.add("summary", f"Mockri: {booking.interview_type.name} mock interview")
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    if meeting_url and not cancelled:
        event.add("location", meeting_url)
        event.add("url", meeting_url)
    event.add(
        "description",
        "\n".join(
            line
            for line in [
                f"{booking.interview_type.name} with {interviewer.display_name} "
                f"for {booking.candidate.full_name}.",
                f"Join: {meeting_url}" if meeting_url and not cancelled else "",
                f"Candidate's time: {_local(booking, candidate_zone)} "
                f"({booking.candidate.timezone})",
                f"Interviewer's time: {_local(booking, interviewer_zone)} "
                f"({interviewer.user.timezone})",
                f"Booking: {settings.SITE_URL}{booking.get_absolute_url()}",
            ]
            if line
        ),
    )
    organizer = vCalAddress(f"mailto:{settings.OPERATOR['email']}")
    organizer.params["cn"] = vText("Mockri")
    event["organizer"] = organizer
    for person in (booking.candidate, interviewer.user):
        attendee = vCalAddress(f"mailto:{person.email}")
        attendee.params["cn"] = vText(person.full_name)
        attendee.params["role"] = vText("REQ-PARTICIPANT")
        event.add("attendee", attendee, encode=0)
    calendar.add_component(event)
    return calendar.to_ical().decode("utf-8")


def _local(booking: Booking, zone: zoneinfo.ZoneInfo) -> str:
    return f"{booking.starts_at.astimezone(zone):%a %d %b %Y, %H:%M}"
