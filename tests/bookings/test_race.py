"""Many people try to book one slot at the same moment: exactly one gets it, on PostgreSQL,
where the exclusion constraint settles what the application's own check cannot see."""

import datetime
import threading
import uuid

import pytest
from django.db import connection, connections

from mockri.bookings.enums import BookingStatus
from mockri.bookings.models import Booking
from mockri.bookings.services import booking_create
from mockri.lib.errors import DomainError, SlotUnavailable
from tests.factories import UserFactory
from tests.fixtures import SLOT, SLOT_BOTH, resume_file

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
    start_together = threading.Barrier(ATTEMPTS)
    outcomes: list[str] = []
    lock = threading.Lock()

    def attempt(candidate):
        try:
            start_together.wait()
            booking_create(
                candidate=candidate,
                interview_type=paid_type,
                interviewer=profile,
                starts_at=SLOT,
                files=[resume_file()],
                job_description_text="Backend engineer",
                idempotency_key=uuid.uuid4(),
            )
            result = "booked"
        except SlotUnavailable:
            result = "refused"
        except Exception as error:
            result = f"error: {error!r}"
        finally:
            connections.close_all()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=attempt, args=(c,)) for c in candidates]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["booked"] + ["refused"] * (ATTEMPTS - 1)
    assert Booking.objects.filter(status=BookingStatus.PENDING_PAYMENT).count() == 1
    # The losers' uploads were removed: one stored file, the winner's.
    assert len(list((private_storage / "bookings").iterdir())) == 1


def test_the_same_candidate_cannot_hold_two_overlapping_sessions_by_racing(
    now, candidate, paid_type, profile, other_profile, private_storage
):
    paid_type.interviewers.add(other_profile)

    start_together = threading.Barrier(2)
    outcomes: list[str] = []

    def attempt(interviewer):
        try:
            start_together.wait()
            booking_create(
                candidate=candidate,
                interview_type=paid_type,
                interviewer=interviewer,
                starts_at=SLOT_BOTH,
                files=[resume_file()],
                idempotency_key=uuid.uuid4(),
            )
            outcomes.append("booked")
        except SlotUnavailable:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt, args=(p,)) for p in (profile, other_profile)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["booked", "refused"]


def race(attempts) -> list[str]:
    """Run the attempts at the same moment, each on its own connection; their outcomes."""
    start_together = threading.Barrier(len(attempts))
    outcomes: list[str] = []
    lock = threading.Lock()

    def run(attempt):
        try:
            start_together.wait()
            attempt()
            result = "booked"
        except DomainError as error:
            result = type(error).__name__
        except Exception as error:
            result = f"error: {error!r}"
        finally:
            connections.close_all()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=run, args=(attempt,)) for attempt in attempts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sorted(outcomes)


def booking_attempt(*, candidate, interview_type, starts_at):
    return lambda: booking_create(
        candidate=candidate,
        interview_type=interview_type,
        interviewer=None,
        starts_at=starts_at,
        files=[resume_file()],
        job_description_text="Backend engineer",
        idempotency_key=uuid.uuid4(),
    )


def test_one_candidate_racing_three_free_bookings_gets_only_the_one_allowed(
    now, candidate, free_type, profile, private_storage
):
    starts = [SLOT + datetime.timedelta(days=day) for day in range(3)]  # different dates

    outcomes = race(
        [
            booking_attempt(candidate=candidate, interview_type=free_type, starts_at=s)
            for s in starts
        ]
    )

    assert outcomes == ["PolicyViolation", "PolicyViolation", "booked"]
    assert Booking.objects.filter(candidate=candidate).count() == 1
    assert len(list((private_storage / "bookings").iterdir())) == 1


def test_one_candidate_racing_three_paid_holds_gets_only_the_two_allowed(
    now, candidate, paid_type, profile, private_storage
):
    starts = [SLOT + datetime.timedelta(days=day) for day in range(3)]

    outcomes = race(
        [
            booking_attempt(candidate=candidate, interview_type=paid_type, starts_at=s)
            for s in starts
        ]
    )

    assert outcomes == ["PolicyViolation", "booked", "booked"]
    assert Booking.objects.filter(status=BookingStatus.PENDING_PAYMENT).count() == 2
