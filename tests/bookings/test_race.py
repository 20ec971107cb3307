"""Many people try to book one slot at the same moment: exactly one gets it, on PostgreSQL,
where the exclusion constraint settles what the application's own check cannot see."""

import datetime
import uuid

import pytest
from django.db import connection

from mockri.bookings.enums import BookingStatus
from mockri.bookings.models import Booking
from mockri.bookings.services import booking_create
from tests.factories import UserFactory
from tests.fixtures import SLOT, SLOT_BOTH, at_once, resume_file

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="the race is settled by PostgreSQL's constraint"
    ),
]

ATTEMPTS = 12


def test_only_one_of_many_simultaneous_bookings_of_a_slot_wins(
    now, paid_type, profile, private_storage
):
    candidates = [UserFactory() for _ in range(ATTEMPTS)]

    outcomes = at_once(
        [
            booking_attempt(
                candidate=c, interview_type=paid_type, interviewer=profile, starts_at=SLOT
            )
            for c in candidates
        ]
    )

    assert outcomes == ["SlotUnavailable"] * (ATTEMPTS - 1) + ["done"]
    assert Booking.objects.filter(status=BookingStatus.PENDING_PAYMENT).count() == 1
    # The losers' uploads were removed: one stored file, the winner's.
    assert len(list((private_storage / "bookings").iterdir())) == 1


def test_the_same_candidate_cannot_hold_two_overlapping_sessions_by_racing(
    now, candidate, paid_type, profile, other_profile, private_storage
):
    paid_type.interviewers.add(other_profile)

    outcomes = at_once(
        [
            booking_attempt(
                candidate=candidate, interview_type=paid_type, interviewer=p, starts_at=SLOT_BOTH
            )
            for p in (profile, other_profile)
        ]
    )

    assert outcomes == ["SlotUnavailable", "done"]


def booking_attempt(*, candidate, interview_type, starts_at, interviewer=None):
    return lambda: booking_create(
        candidate=candidate,
        interview_type=interview_type,
        interviewer=interviewer,
        starts_at=starts_at,
        files=[resume_file()],
        job_description_text="Backend engineer",
        idempotency_key=uuid.uuid4(),
    )


def test_one_candidate_racing_three_free_bookings_gets_only_the_one_allowed(
    now, candidate, free_type, profile, private_storage
):
    starts = [SLOT + datetime.timedelta(days=day) for day in range(3)]  # different dates

    outcomes = at_once(
        [
            booking_attempt(candidate=candidate, interview_type=free_type, starts_at=s)
            for s in starts
        ]
    )

    assert outcomes == ["PolicyViolation", "PolicyViolation", "done"]
    assert Booking.objects.filter(candidate=candidate).count() == 1
    assert len(list((private_storage / "bookings").iterdir())) == 1


def test_one_candidate_racing_three_paid_holds_gets_only_the_two_allowed(
    now, candidate, paid_type, profile, private_storage
):
    starts = [SLOT + datetime.timedelta(days=day) for day in range(3)]

    outcomes = at_once(
        [
            booking_attempt(candidate=candidate, interview_type=paid_type, starts_at=s)
            for s in starts
        ]
    )

    assert outcomes == ["PolicyViolation", "done", "done"]
    assert Booking.objects.filter(status=BookingStatus.PENDING_PAYMENT).count() == 2
