"""Calendar invitations (RFC 5545) for a booking, built with icalendar.

The UID is stable per booking and SEQUENCE is the booking's version, so calendar apps update
the same event on a reschedule and remove it on METHOD:CANCEL (sent to both people when the
session is cancelled, and to a former interviewer alone when it moves to another one).
"""

import datetime
import zoneinfo

from django.conf import settings
from icalendar import Calendar, Event, vCalAddress, vText

from mockri.accounts.models import User
from mockri.bookings.models import Booking


def booking_uid(booking: Booking) -> str:
    return f"{booking.reference}@mockri"


def invitation(
    *,
    booking: Booking,
    meeting_url: str,
    for_user: User,
    cancelled: bool = False,
    stamped_at: datetime.datetime | None = None,
) -> str:
    """The .ics text for `for_user`: METHOD:REQUEST for a new or moved session, METHOD:CANCEL
    when cancelled. The interviewer's copy lists only them as attendee: the policy gives the
    interviewer the candidate's name (in the description), never their address.

    DTSTAMP is the booking's last change unless `stamped_at` says otherwise: a link added at the
    same time keeps SEQUENCE, and calendars take the later DTSTAMP as the newer copy.
    """
    interviewer = booking.interviewer
    candidate_zone = zoneinfo.ZoneInfo(booking.candidate.timezone)
    interviewer_zone = zoneinfo.ZoneInfo(interviewer.user.timezone)
    calendar, event = _calendar_event(booking, cancelled=cancelled, stamped_at=stamped_at)
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
    attendees = [booking.candidate, interviewer.user]
    if for_user.pk == interviewer.user_id:
        attendees = [interviewer.user]
    _add_people(event, attendees)
    calendar.add_component(event)
    return calendar.to_ical().decode("utf-8")


def removal(*, booking: Booking, person: User) -> str:
    """The .ics that takes the session out of the calendar of `person`, its former interviewer:
    METHOD:CANCEL for the same UID with the current SEQUENCE (higher than any they were sent),
    naming only them as the attendee removed; the session itself goes on."""
    calendar, event = _calendar_event(booking, cancelled=True)
    # No booking link: its page is no longer theirs to open.
    event.add("description", "This session moved to another interviewer: you need not attend.")
    _add_people(event, [person])
    calendar.add_component(event)
    return calendar.to_ical().decode("utf-8")


def _calendar_event(
    booking: Booking, *, cancelled: bool, stamped_at: datetime.datetime | None = None
) -> tuple[Calendar, Event]:
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
    return calendar, event


def _add_people(event: Event, attendees: list[User]) -> None:
    organizer = vCalAddress(f"mailto:{settings.OPERATOR['email']}")
    organizer.params["cn"] = vText("Mockri")
    event["organizer"] = organizer
    for person in attendees:
        attendee = vCalAddress(f"mailto:{person.email}")
        attendee.params["cn"] = vText(person.full_name)
        attendee.params["role"] = vText("REQ-PARTICIPANT")
        event.add("attendee", attendee, encode=0)


def _local(booking: Booking, zone: zoneinfo.ZoneInfo) -> str:
    return f"{booking.starts_at.astimezone(zone):%a %d %b %Y, %H:%M}"
