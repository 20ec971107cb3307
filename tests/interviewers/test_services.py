"""Staff's holds on an interviewer, seen from bookings: no new sessions, the booked ones stay."""

import pytest

from mockri.bookings.selectors import interviewers_offering
from mockri.interviewers.enums import StatusAction
from mockri.interviewers.models import StatusChange
from mockri.interviewers.services import interviewer_pause, interviewer_resume, interviewer_unlist
from mockri.lib.errors import SlotUnavailable
from tests.fixtures import NOW, SLOT

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
