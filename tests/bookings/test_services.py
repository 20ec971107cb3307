import datetime
import types

import pytest
from django.core.files.storage import default_storage
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mockri.bookings import selectors
from mockri.bookings.enums import Actor, BookingStatus, NoShowSide, RefundDecision
from mockri.bookings.models import Booking, BookingEvent, BookingFile
from mockri.bookings.services import (
    booking_cancel,
    booking_expire_hold,
    booking_reassign,
    booking_record_outcome,
    booking_reschedule,
)
from mockri.lib.errors import InvalidTransition, PolicyViolation, SlotUnavailable
from mockri.scheduling.models import WeeklyAvailability
from mockri.scheduling.services import time_off_add
from tests.factories import InterviewerProfileFactory, InterviewTypeFactory, UserFactory
from tests.fixtures import NOW, SLOT, SLOT_BOTH, open_all_week

pytestmark = pytest.mark.django_db
HOUR = datetime.timedelta(hours=1)


def test_a_free_session_is_confirmed_at_once(now, candidate, free_type, profile, book, task_queue):
    booking = book(candidate=candidate, interview_type=free_type, interviewer=profile)

    assert booking.status == BookingStatus.CONFIRMED
    assert (booking.starts_at, booking.ends_at) == (SLOT, SLOT + datetime.timedelta(minutes=20))
    assert booking.busy_until == booking.ends_at + datetime.timedelta(minutes=15)
    assert booking.hold_expires_at is None
    # booking_confirmed's tasks (bookings/signals.py), and no hold to expire.
    assert sorted(task_queue.names()) == [
        "booking_announce_emails_task",
        "feedback_request_plan_task",
        "meeting_create_task",
        "reminders_plan_task",
    ]
    assert list(booking.events.values_list("action", "to_status")) == [
        ("created", BookingStatus.CONFIRMED)
    ]


def test_a_paid_session_is_held_and_its_expiry_is_scheduled(
    now, candidate, paid_type, profile, book, task_queue
):
    booking = book(candidate=candidate, interview_type=paid_type, interviewer=profile)

    assert booking.status == BookingStatus.PENDING_PAYMENT
    assert booking.price_paise == 199_900
    assert booking.hold_expires_at == NOW + datetime.timedelta(minutes=15)
    (scheduled,) = task_queue.enqueued
    assert scheduled.task.name == "booking_expire_hold_task"
    assert scheduled.kwargs == {"booking_id": booking.pk}
    assert scheduled.task.run_after == booking.hold_expires_at


def test_an_expired_hold_frees_the_slot_and_removes_the_files(
    now, candidate, other_candidate, paid_type, profile, book, django_capture_on_commit_callbacks
):
    booking = book(candidate=candidate, interview_type=paid_type, interviewer=profile)
    stored_name = booking.files.get().file.name
    minutes = datetime.timedelta(minutes=1)

    assert booking_expire_hold(booking_id=booking.pk, now=NOW + 14 * minutes) is False
    with django_capture_on_commit_callbacks(execute=True):
        assert booking_expire_hold(booking_id=booking.pk, now=NOW + 15 * minutes) is True

    booking.refresh_from_db()
    assert booking.status == BookingStatus.EXPIRED
    assert not BookingFile.objects.exists()
    assert not default_storage.exists(stored_name)
    again = book(candidate=other_candidate, interview_type=paid_type, interviewer=profile)
    assert again.status == BookingStatus.PENDING_PAYMENT


def test_expiring_a_confirmed_booking_does_nothing(now, candidate, free_type, profile, book):
    booking = book(candidate=candidate, interview_type=free_type, interviewer=profile)

    assert booking_expire_hold(booking_id=booking.pk, now=NOW + 2 * HOUR) is False
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED


@pytest.mark.parametrize(
    ("starts_at", "why"),
    [
        (NOW - HOUR, "in the past"),
        (NOW + 2 * HOUR, "inside the minimum notice"),
        (datetime.datetime(2026, 12, 2, 14, 30, tzinfo=datetime.UTC), "outside availability"),
        (SLOT + datetime.timedelta(minutes=7), "not on the slot grid (tampered)"),
        (NOW + datetime.timedelta(days=45), "beyond the booking horizon"),
    ],
)
def test_a_time_that_is_not_an_open_slot_is_refused(
    now, candidate, paid_type, profile, book, private_storage, starts_at, why
):
    with pytest.raises(SlotUnavailable):
        book(
            candidate=candidate, interview_type=paid_type, interviewer=profile, starts_at=starts_at
        )

    assert not Booking.objects.exists()
    assert not any(private_storage.rglob("*.*")) and not list(private_storage.rglob("bookings/*"))


def test_an_interviewer_who_does_not_offer_the_type_is_refused(
    now, candidate, paid_type, other_profile, book
):
    with pytest.raises(SlotUnavailable, match="doesn't take System Design"):
        book(candidate=candidate, interview_type=paid_type, interviewer=other_profile)

    assert not Booking.objects.exists()


def test_a_taken_slot_is_refused_with_a_clear_message(
    now, candidate, other_candidate, paid_type, profile, book
):
    book(candidate=candidate, interview_type=paid_type, interviewer=profile)

    with pytest.raises(SlotUnavailable, match="just taken"):
        book(candidate=other_candidate, interview_type=paid_type, interviewer=profile)

    assert Booking.objects.count() == 1


def test_the_buffer_keeps_back_to_back_sessions_apart(
    now, candidate, other_candidate, paid_type, profile, book
):
    book(candidate=candidate, interview_type=paid_type, interviewer=profile)

    with pytest.raises(SlotUnavailable):
        book(
            candidate=other_candidate,
            interview_type=paid_type,
            interviewer=profile,
            starts_at=SLOT + HOUR,
        )
    later = book(
        candidate=other_candidate,
        interview_type=paid_type,
        interviewer=profile,
        starts_at=SLOT + HOUR + datetime.timedelta(minutes=30),
    )

    assert later.starts_at == SLOT + datetime.timedelta(minutes=90)


def test_a_candidate_cannot_hold_two_sessions_at_once(
    now, candidate, paid_type, profile, other_profile, book
):
    paid_type.interviewers.add(other_profile)
    book(candidate=candidate, interview_type=paid_type, interviewer=profile, starts_at=SLOT_BOTH)

    with pytest.raises(SlotUnavailable, match="already have a session"):
        book(
            candidate=candidate,
            interview_type=paid_type,
            interviewer=other_profile,
            starts_at=SLOT_BOTH,
        )


def test_one_submission_makes_one_booking_however_often_it_is_posted(
    now, candidate, paid_type, profile, book, private_storage
):
    key = "6f1c2f4e-6a43-4d6b-9a4b-2f0b7a0c9d11"

    first = book(
        candidate=candidate, interview_type=paid_type, interviewer=profile, idempotency_key=key
    )
    second = book(
        candidate=candidate, interview_type=paid_type, interviewer=profile, idempotency_key=key
    )

    assert first.pk == second.pk
    assert Booking.objects.count() == 1
    assert len(list((private_storage / "bookings").iterdir())) == 1


def test_a_repeated_submission_returns_its_booking_even_when_another_interviewer_is_free(
    now, candidate, paid_type, profile, other_profile, book, private_storage
):
    paid_type.interviewers.add(other_profile)
    key = "6f1c2f4e-6a43-4d6b-9a4b-2f0b7a0c9d12"

    first = book(
        candidate=candidate, interview_type=paid_type, starts_at=SLOT_BOTH, idempotency_key=key
    )
    # "Any available" offers the other interviewer now, but the candidate is taken: their own
    # first submission holds the time.
    second = book(
        candidate=candidate, interview_type=paid_type, starts_at=SLOT_BOTH, idempotency_key=key
    )

    assert second.pk == first.pk
    assert Booking.objects.count() == 1
    assert len(list((private_storage / "bookings").iterdir())) == 1


def test_any_available_interviewer_goes_to_the_least_busy_one(
    now, candidate, other_candidate, paid_type, profile, other_profile, book
):
    paid_type.interviewers.add(other_profile)
    # 12:00 in India, before London opens: the India interviewer gets it.
    book(
        candidate=UserFactory(),
        interview_type=paid_type,
        interviewer=profile,
        starts_at=SLOT_BOTH - 3 * HOUR,
    )

    assigned = book(candidate=candidate, interview_type=paid_type, starts_at=SLOT_BOTH)
    tie_broken = book(
        candidate=other_candidate, interview_type=paid_type, starts_at=SLOT_BOTH + 2 * HOUR
    )

    assert assigned.interviewer == other_profile  # profile already has a session
    assert tie_broken.interviewer == profile  # one each now: the lower id wins


def test_any_available_skips_interviewers_who_are_not_free(
    now, candidate, paid_type, profile, other_profile, book
):
    paid_type.interviewers.add(other_profile)

    booking = book(candidate=candidate, interview_type=paid_type, starts_at=SLOT)

    assert booking.interviewer == profile  # 04:30 UTC is before London's hours


def test_one_free_session_per_30_days(now, candidate, free_type, profile, book):
    book(candidate=candidate, interview_type=free_type, interviewer=profile)

    with pytest.raises(PolicyViolation, match="1 free session every 30 days"):
        book(
            candidate=candidate,
            interview_type=free_type,
            interviewer=profile,
            starts_at=SLOT + 2 * HOUR,
        )


def test_a_cancelled_free_session_does_not_use_up_the_allowance(
    now, candidate, free_type, profile, book
):
    first = book(candidate=candidate, interview_type=free_type, interviewer=profile)
    booking_cancel(first, actor=candidate, actor_role=Actor.CANDIDATE, reason="", now=NOW)

    again = book(candidate=candidate, interview_type=free_type, interviewer=profile)

    assert again.status == BookingStatus.CONFIRMED


def confirmed(booking):
    Booking.objects.filter(pk=booking.pk).update(status=BookingStatus.CONFIRMED)
    booking.refresh_from_db()
    return booking


@pytest.mark.parametrize(
    ("hours_before", "role", "decision"),
    [
        (25, Actor.CANDIDATE, RefundDecision.FULL),
        (24, Actor.CANDIDATE, RefundDecision.FULL),
        (23, Actor.CANDIDATE, RefundDecision.NONE),
        (1, Actor.INTERVIEWER, RefundDecision.FULL),
        (1, Actor.STAFF, RefundDecision.FULL),
    ],
)
def test_cancelling_a_paid_session_records_the_refund_the_policy_gives(
    now, candidate, paid_type, profile, book, hours_before, role, decision
):
    booking = confirmed(book(candidate=candidate, interview_type=paid_type, interviewer=profile))

    booking_cancel(
        booking,
        actor=candidate,
        actor_role=role,
        reason="Plans changed",
        now=SLOT - datetime.timedelta(hours=hours_before),
    )

    booking.refresh_from_db()
    assert (booking.status, booking.cancelled_by, booking.refund_decision) == (
        BookingStatus.CANCELLED,
        role,
        decision,
    )
    assert booking.cancelled_at == SLOT - datetime.timedelta(hours=hours_before)
    assert booking.cancellation_reason == "Plans changed"


def test_a_session_cannot_be_cancelled_once_it_has_started(
    now, candidate, free_type, profile, book
):
    booking = book(candidate=candidate, interview_type=free_type, interviewer=profile)

    with pytest.raises(PolicyViolation, match="already started"):
        booking_cancel(booking, actor=candidate, actor_role=Actor.CANDIDATE, reason="", now=SLOT)

    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED


def test_cancelling_twice_is_refused(now, candidate, free_type, profile, book):
    booking = book(candidate=candidate, interview_type=free_type, interviewer=profile)
    stale = Booking.objects.get(pk=booking.pk)
    booking_cancel(booking, actor=candidate, actor_role=Actor.CANDIDATE, reason="", now=NOW)

    with pytest.raises(InvalidTransition):
        booking_cancel(stale, actor=candidate, actor_role=Actor.CANDIDATE, reason="", now=NOW)

    assert BookingEvent.objects.filter(action="cancelled").count() == 1


def test_a_candidate_reschedules_to_another_open_slot(now, candidate, free_type, profile, book):
    booking = book(candidate=candidate, interview_type=free_type, interviewer=profile)

    moved = booking_reschedule(
        booking, actor=candidate, actor_role=Actor.CANDIDATE, new_start=SLOT + 3 * HOUR, now=NOW
    )

    assert (moved.starts_at, moved.reschedule_count, moved.version) == (SLOT + 3 * HOUR, 1, 2)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite locks the whole database")
@pytest.mark.parametrize("change", ["reschedule", "reassign"])
def test_moving_a_booking_queues_behind_other_bookings_of_the_same_people_and_days(
    change, now, candidate, staff, free_type, profile, other_profile, book
):
    """Two overlapping writes that check each other's rows at once can deadlock (an error, not
    a clean refusal); advisory locks taken in one order queue them instead, as for new
    bookings."""
    booking = book(candidate=candidate, interview_type=free_type, interviewer=profile)
    free_type.interviewers.add(other_profile)

    with CaptureQueriesContext(connection) as queries:
        if change == "reschedule":
            booking_reschedule(
                booking, actor=candidate, actor_role=Actor.CANDIDATE, new_start=SLOT + 3 * HOUR
            )
        else:
            booking_reassign(booking, staff_user=staff, interviewer=other_profile)

    assert any("pg_advisory_xact_lock" in query["sql"] for query in queries.captured_queries)


def test_rescheduling_into_a_taken_slot_is_refused(
    now, candidate, other_candidate, free_type, paid_type, profile, book
):
    mine = book(candidate=candidate, interview_type=free_type, interviewer=profile)
    book(
        candidate=other_candidate,
        interview_type=paid_type,
        interviewer=profile,
        starts_at=SLOT + 3 * HOUR,
    )

    with pytest.raises(SlotUnavailable):
        booking_reschedule(
            mine, actor=candidate, actor_role=Actor.CANDIDATE, new_start=SLOT + 3 * HOUR, now=NOW
        )

    mine.refresh_from_db()
    assert (mine.starts_at, mine.version) == (SLOT, 1)


def test_a_candidate_may_reschedule_at_most_twice_and_not_within_24_hours(
    now, candidate, free_type, profile, book
):
    booking = book(candidate=candidate, interview_type=free_type, interviewer=profile)
    late = SLOT - datetime.timedelta(hours=23)
    with pytest.raises(PolicyViolation, match="up to 24 hours before"):
        booking_reschedule(
            booking,
            actor=candidate,
            actor_role=Actor.CANDIDATE,
            new_start=SLOT + 3 * HOUR,
            now=late,
        )

    for hours in (3, 5):
        booking = booking_reschedule(
            booking,
            actor=candidate,
            actor_role=Actor.CANDIDATE,
            new_start=SLOT + hours * HOUR,
            now=NOW,
        )
    with pytest.raises(PolicyViolation, match="moved 2 times"):
        booking_reschedule(
            booking, actor=candidate, actor_role=Actor.CANDIDATE, new_start=SLOT + HOUR, now=NOW
        )


def test_the_interviewer_can_reschedule_late_without_using_the_candidates_allowance(
    now, candidate, interviewer, free_type, profile, book
):
    booking = book(candidate=candidate, interview_type=free_type, interviewer=profile)

    moved = booking_reschedule(
        booking,
        actor=interviewer,
        actor_role=Actor.INTERVIEWER,
        new_start=SLOT + 2 * HOUR,
        now=SLOT - datetime.timedelta(hours=13),
    )

    assert (moved.starts_at, moved.reschedule_count) == (SLOT + 2 * HOUR, 0)


def test_the_outcome_is_recorded_only_after_the_start(
    now, candidate, interviewer, free_type, profile, book
):
    booking = book(candidate=candidate, interview_type=free_type, interviewer=profile)
    with pytest.raises(PolicyViolation):
        booking_record_outcome(booking, actor=interviewer, actor_role=Actor.INTERVIEWER, now=NOW)

    booking_record_outcome(
        booking,
        actor=interviewer,
        actor_role=Actor.INTERVIEWER,
        no_show_side=NoShowSide.CANDIDATE,
        now=SLOT + HOUR,
    )

    booking.refresh_from_db()
    assert (booking.status, booking.no_show_side) == (BookingStatus.NO_SHOW, NoShowSide.CANDIDATE)


def test_staff_reassign_to_a_free_qualified_interviewer_only(
    now, candidate, other_candidate, staff, paid_type, profile, other_profile, book
):
    paid_type.interviewers.add(other_profile)
    booking = book(
        candidate=candidate, interview_type=paid_type, interviewer=profile, starts_at=SLOT_BOTH
    )
    book(
        candidate=other_candidate,
        interview_type=paid_type,
        interviewer=other_profile,
        starts_at=SLOT_BOTH + HOUR,
    )
    unqualified = open_all_week(InterviewerProfileFactory())

    with pytest.raises(SlotUnavailable, match="doesn't take"):
        booking_reassign(booking, staff_user=staff, interviewer=unqualified)
    with pytest.raises(SlotUnavailable, match="another session then"):
        booking_reassign(booking, staff_user=staff, interviewer=other_profile)

    Booking.objects.filter(candidate=other_candidate).update(status=BookingStatus.CANCELLED)
    moved = booking_reassign(booking, staff_user=staff, interviewer=other_profile)
    assert (moved.interviewer, moved.version) == (other_profile, 2)


def test_an_inactive_type_cannot_be_booked(now, candidate, profile, book):
    retired = InterviewTypeFactory(is_active=False, interviewers=[profile])

    with pytest.raises(SlotUnavailable, match="not being booked"):
        book(candidate=candidate, interview_type=retired, interviewer=profile)


def test_an_interviewers_new_time_off_applies_to_the_very_next_booking(
    now, candidate, other_candidate, paid_type, profile, book
):
    # The first booking leaves the interviewers' rules kept in this process's memory.
    book(candidate=candidate, interview_type=paid_type, interviewer=profile)
    later = SLOT + 2 * HOUR

    time_off_add(interviewer=profile, starts_at=later, ends_at=later + HOUR)

    with pytest.raises(SlotUnavailable):
        book(candidate=other_candidate, interview_type=paid_type, starts_at=later)


def test_rules_changed_without_the_model_signals_apply_within_a_minute(
    now, candidate, other_candidate, paid_type, profile, book, monkeypatch
):
    book(candidate=candidate, interview_type=paid_type, interviewer=profile)
    # A queryset update() sends no signal, so the rules version stays: 10:00-11:00 only now.
    WeeklyAvailability.objects.filter(interviewer=profile).update(end_time=datetime.time(11))
    a_minute_on = selectors.time.monotonic() + 61
    monkeypatch.setattr(selectors, "time", types.SimpleNamespace(monotonic=lambda: a_minute_on))

    with pytest.raises(SlotUnavailable):
        book(candidate=other_candidate, interview_type=paid_type, starts_at=SLOT + 2 * HOUR)
