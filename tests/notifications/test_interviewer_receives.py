"""The policy: "The interviewer assigned to your session receives your name, the job
description and your resume." Their page, every email and every invitation they get carry the
candidate's name, never the candidate's address."""

import datetime
import json

import pytest
from django.urls import reverse
from icalendar import Calendar

from mockri.bookings.enums import Actor
from mockri.bookings.services import booking_cancel, booking_reschedule
from mockri.feedback.emails import feedback_request_send
from mockri.meetings.enums import MeetingStatus
from mockri.meetings.models import Meeting
from mockri.notifications.models import OutboxEmail
from mockri.notifications.services import (
    SESSION_EMAILS,
    booking_announce_emails,
    booking_cancelled_emails,
    meeting_ready_emails,
    reminder_send,
)
from tests.fixtures import NOW, SLOT

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("now")]


@pytest.fixture
def booked(candidate, free_type, profile, book):
    return book(candidate=candidate, interview_type=free_type, interviewer=profile)


def attendees(ics: bytes | str) -> list[str]:
    event = Calendar.from_ical(ics).walk("VEVENT")[0]
    found = event.get("ATTENDEE", [])
    return [str(a) for a in (found if isinstance(found, list) else [found])]


def meeting_ready(booking) -> None:
    Meeting.objects.update_or_create(
        booking=booking,
        defaults={
            "provider": "jitsi",
            "url": f"https://meet.jit.si/mockri-{booking.version}",
            "status": MeetingStatus.READY,
            "synced_version": booking.version,
        },
    )
    meeting_ready_emails(booking_id=booking.pk)


def test_the_interviewer_page_shows_the_candidate_name_but_not_their_address(
    client, booked, candidate, interviewer, two_factor
):
    two_factor(interviewer)
    client.force_login(interviewer)

    page = client.get(booked.get_absolute_url()).content.decode()
    dashboard = client.get(reverse("interviewers:dashboard")).content.decode()

    assert "Kavya Sharma" in page and "Kavya Sharma" in dashboard
    assert candidate.email not in page
    assert candidate.email not in dashboard


def test_without_a_name_the_interviewer_still_does_not_see_the_address(
    client, booked, candidate, interviewer, two_factor
):
    candidate.full_name = ""
    candidate.save()
    two_factor(interviewer)
    client.force_login(interviewer)

    page = client.get(booked.get_absolute_url()).content.decode()
    dashboard = client.get(reverse("interviewers:dashboard")).content.decode()

    assert candidate.email not in page
    assert candidate.email not in dashboard


def test_staff_see_the_candidate_address(client, booked, candidate, staff, two_factor):
    two_factor(staff)
    client.force_login(staff)

    page = client.get(booked.get_absolute_url()).content.decode()

    assert f'href="mailto:{candidate.email}"' in page


def test_no_email_or_invitation_to_the_interviewer_carries_the_candidate_address(
    booked, candidate, interviewer
):
    meeting_ready(booked)
    booking_announce_emails(booking_id=booked.pk)
    for kind in ("reminder_24h", "reminder_1h"):
        reminder_send(booking_id=booked.pk, kind=kind, starts_at=booked.starts_at.isoformat())
    feedback_request_send(booking_id=booked.pk, ends_at=booked.ends_at.isoformat())
    moved = booking_reschedule(
        booked,
        actor=candidate,
        actor_role=Actor.CANDIDATE,
        new_start=SLOT + datetime.timedelta(hours=3),
        now=NOW,
    )
    booking_announce_emails(booking_id=moved.pk)
    meeting_ready(moved)
    booking_cancel(moved, actor=candidate, actor_role=Actor.CANDIDATE, reason="", now=NOW)
    booking_cancelled_emails(booking_id=moved.pk)

    emails = OutboxEmail.objects.filter(recipient=interviewer)
    assert {email.kind for email in emails} == {
        *SESSION_EMAILS,
        "feedback_request",
        "booking_cancelled",
    }
    for email in emails:
        everything = [
            email.subject,
            email.text_body,
            email.html_body,
            json.dumps(email.attachments),
        ]
        assert candidate.email not in " ".join(everything), email.kind
        for attachment in email.attachments:
            assert attendees(attachment["content"]) == [f"mailto:{interviewer.email}"]


def test_the_candidate_invitation_still_names_both_people(booked, candidate, interviewer):
    booking_announce_emails(booking_id=booked.pk)

    email = OutboxEmail.objects.get(kind="booking_confirmed")

    assert attendees(email.attachments[0]["content"]) == [
        f"mailto:{candidate.email}",
        f"mailto:{interviewer.email}",
    ]


def test_the_interviewer_downloaded_invitation_lists_only_them(
    client, booked, candidate, interviewer, two_factor
):
    two_factor(interviewer)
    client.force_login(interviewer)

    ics = client.get(reverse("notifications:calendar", kwargs={"reference": booked.reference}))

    assert candidate.email not in ics.content.decode()
    assert attendees(ics.content) == [f"mailto:{interviewer.email}"]
    assert "Kavya Sharma" in ics.content.decode()
