"""seed_demo shows the plan: the demo candidate prepares for an interview with one session of
their plan booked and paid."""

import pytest
from django.core.management import call_command

from mockri.bookings.enums import BookingStatus
from mockri.bookings.models import Booking
from mockri.preparation.models import CandidateProfile, TargetRole
from mockri.preparation.planning import StepStatus
from mockri.preparation.selectors import candidate_profile_of, preparation_plan
from tests.fixtures import NOW

pytestmark = pytest.mark.django_db


def test_the_demo_candidate_has_a_plan_with_one_session_booked_once(now, private_storage):
    call_command("seed_demo", stdout=None)
    call_command("seed_demo", stdout=None)

    assert list(TargetRole.objects.values_list("name", flat=True)) == [
        "Software engineer",
        "Engineering manager",
        "Product manager",
    ]
    profile = CandidateProfile.objects.get()
    assert profile.user.email == "candidate@mockri.test"
    assert (profile.interview_on - NOW.date()).days == 18
    shown = preparation_plan(
        user=profile.user, profile=candidate_profile_of(user=profile.user), now=NOW
    )
    assert [step.status for step in shown.steps] == [
        StepStatus.BOOKED,
        StepStatus.SUGGESTED,
        StepStatus.SUGGESTED,
    ]
    booking = shown.steps[0].booking
    assert (booking.status, booking.interviewer.slug) == (BookingStatus.CONFIRMED, "ananya")
    # Run twice, the plan's session is booked once (other demos book the candidate's others).
    assert (
        Booking.objects.filter(
            candidate=profile.user,
            interview_type=booking.interview_type,
            starts_at=booking.starts_at,
        ).count()
        == 1
    )
