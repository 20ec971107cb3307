"""Staff's holds on an interviewer, seen from bookings (no new sessions, the booked ones stay)
and by the interviewer, who is emailed each change."""

import pytest
from django.core import mail

from mockri.bookings.selectors import interviewers_offering
from mockri.interviewers.enums import StatusAction
from mockri.interviewers.models import StatusChange
from mockri.interviewers.services import interviewer_pause, interviewer_resume, interviewer_unlist
from mockri.lib.errors import SlotUnavailable
from mockri.notifications.models import OutboxEmail
from tests.fixtures import NOW, SLOT, emails_sent

pytestmark = pytest.mark.django_db


@pytest.fixture
def bookable(profile, paid_type):
    profile.went_live_at = NOW
    profile.save()
    return profile


def test_a_paused_interviewer_gets_no_new_bookings_but_keeps_the_booked_ones(
    bookable, paid_type, candidate, other_candidate, book
):
    booked = book(candidate=candidate, interview_type=paid_type, interviewer=bookable)
    status = booked.status

    interviewer_pause(bookable, reason="Three late cancellations.", by=None)

    assert interviewers_offering(interview_type=paid_type) == []
    with pytest.raises(SlotUnavailable):
        book(
            candidate=other_candidate,
            interview_type=paid_type,
            interviewer=bookable,
            starts_at=SLOT.replace(hour=SLOT.hour + 2),
        )
    booked.refresh_from_db()
    assert booked.status == status
    change = StatusChange.objects.get()
    assert (change.action, change.by, change.at) == (StatusAction.PAUSED, None, NOW)


def test_pausing_an_unlisted_interviewer_keeps_them_unlisted(bookable, staff):
    interviewer_unlist(bookable, reason="Fake employer.", by=staff)

    interviewer_pause(bookable, reason="Reliability.", by=None)

    bookable.refresh_from_db()
    assert (bookable.hold, bookable.is_listed) == ("unlisted", False)


def test_resuming_someone_who_never_went_live_sends_them_back_to_onboarding(profile, staff):
    profile.went_live_at = None
    profile.save()
    interviewer_pause(profile, reason="Checking.", by=staff)

    interviewer_resume(profile, reason="Checked.", by=staff)

    profile.refresh_from_db()
    assert (profile.hold, profile.is_listed) == ("", False)


def test_resuming_an_interviewer_without_a_hold_records_nothing(bookable, staff):
    interviewer_resume(bookable, reason="Nothing to lift.", by=staff)

    assert not StatusChange.objects.exists()


# The interviewer is told, by email, whenever their profile is held or resumed.


def test_pausing_emails_the_interviewer_the_reason_and_that_booked_sessions_stay(
    bookable, interviewer, staff
):
    with emails_sent():
        interviewer_pause(bookable, reason="Two candidates complained about lateness.", by=staff)

    (email,) = mail.outbox
    assert (email.to, email.subject) == ([interviewer.email], "Mockri: Your profile is paused")
    assert "Why: Two candidates complained about lateness." in email.body
    assert "The sessions already booked stay as they are" in email.body
    assert "write to hello@mockri.com" in email.body
    assert OutboxEmail.objects.get().dedupe_key == (
        f"interviewer_paused:{StatusChange.objects.get().pk}"
    )


def test_unlisting_emails_the_interviewer_that_only_staff_can_list_them_again(
    bookable, interviewer, staff
):
    with emails_sent():
        interviewer_unlist(bookable, reason="The employer could not be confirmed.", by=staff)

    (email,) = mail.outbox
    assert (email.to, email.subject) == ([interviewer.email], "Mockri: Your profile is unlisted")
    assert "Why: The employer could not be confirmed." in email.body
    assert "you can't go live again yourself" in email.body
    assert "The sessions already booked stay as they are" in email.body


def test_resuming_emails_the_interviewer_that_they_are_live_again(bookable, interviewer, staff):
    interviewer_pause(bookable, reason="Checking.", by=staff)

    interviewer_resume(bookable, reason="All checked.", by=staff)

    resumed = OutboxEmail.objects.get(kind="interviewer_resumed")
    assert (resumed.to_address, resumed.subject) == (
        interviewer.email,
        "Mockri: Your profile is live again",
    )
    assert "book your open times again" in resumed.text_body
    assert "Why: All checked." in resumed.text_body


def test_resuming_someone_still_onboarding_points_them_to_onboarding(profile, interviewer, staff):
    profile.went_live_at = None
    profile.save()
    interviewer_pause(profile, reason="Checking.", by=staff)

    interviewer_resume(profile, reason="Checked.", by=staff)

    resumed = OutboxEmail.objects.get(kind="interviewer_resumed")
    assert resumed.subject == "Mockri: You can finish setting up your profile"
    assert "/interviewer/onboarding/" in resumed.text_body


def test_resuming_without_a_hold_emails_nobody(bookable, staff):
    interviewer_resume(bookable, reason="Nothing to lift.", by=staff)

    assert not OutboxEmail.objects.exists()
