"""The table of open starts (bookings/open_starts.py) stays equal to the slot engine after every
kind of change that moves availability, in the change's own transaction; pages fall back to the
engine when the table was never built or has run out."""

import datetime

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse

from mockri.bookings.directory import _next_free_computed
from mockri.bookings.enums import Actor, BookingStatus
from mockri.bookings.models import OpenStart, OpenStartCoverage
from mockri.bookings.open_starts import (
    FILL_AHEAD,
    open_starts_any,
    open_starts_extend,
    open_starts_ready,
    open_starts_rebuild,
)
from mockri.bookings.selectors import (
    availabilities_for,
    interviewers_offering,
    least_busy_free_interviewer,
)
from mockri.bookings.services import (
    booking_cancel,
    booking_expire_hold,
    booking_reassign,
    booking_reschedule,
    booking_transition,
)
from mockri.catalogue.selectors import interviewers_for_cards
from mockri.earnings.tasks import reliability_review_all_task
from mockri.interviewers.services import interviewer_pause, interviewer_resume
from mockri.scheduling.services import (
    override_set,
    scheduling_settings_update,
    time_off_add,
    weekly_window_add,
    weekly_window_delete,
)
from mockri.scheduling.slots import open_slots, open_slots_by_start
from tests.factories import InterviewTypeFactory, UserFactory
from tests.fixtures import NOW, SLOT, SLOT_BOTH, clear_caches

pytestmark = pytest.mark.django_db
HOUR = datetime.timedelta(hours=1)
DAY = datetime.timedelta(days=1)


def engine_starts(kind, now) -> dict[int, list[datetime.datetime]]:
    """Each interviewer offering `kind`: their open starts by the slot engine, if any."""
    duration = datetime.timedelta(minutes=kind.duration_minutes)
    offering = interviewers_offering(interview_type=kind)
    found = {}
    for availability in availabilities_for(interviewers=offering, now=now):
        starts = [slot.start for slot in open_slots(availability, duration=duration, now=now)]
        if starts:
            found[availability.interviewer_id] = starts
    return found


def table_starts(kind, now) -> dict[int, list[datetime.datetime]]:
    """The same read from the table, as a page reads it at `now`."""
    found: dict[int, list[datetime.datetime]] = {}
    for interviewer_id, start in (
        OpenStart.objects.filter(
            interview_type=kind, bookable_from__lte=now, bookable_until__gte=now
        )
        .order_by("starts_at")
        .values_list("interviewer_id", "starts_at")
    ):
        found.setdefault(interviewer_id, []).append(start)
    return found


def assert_table_is_the_engine(kind, now=NOW):
    __tracebackhide__ = True
    engine = engine_starts(kind, now)
    assert table_starts(kind, now) == engine
    duration = datetime.timedelta(minutes=kind.duration_minutes)
    availabilities = availabilities_for(
        interviewers=interviewers_offering(interview_type=kind), now=now
    )
    by_start = open_slots_by_start(availabilities, duration=duration, now=now)
    assert open_starts_any(interview_type=kind, now=now, since=now, until=now + 100 * DAY) == list(
        by_start
    )
    assert engine, "a comparison of two empty tables proves little"


@pytest.fixture
def kinds(now, paid_type, free_type, profile, other_profile):
    """Both interviewers offer both types; the table built."""
    for kind in (paid_type, free_type):
        kind.interviewers.set([profile, other_profile])
    open_starts_rebuild(now=now)
    return paid_type, free_type


def test_the_rebuilt_table_is_the_engine_and_pages_may_read_it(kinds):
    for kind in kinds:
        assert_table_is_the_engine(kind)
    assert open_starts_ready(now=NOW)


def test_a_hold_blocks_its_times_until_it_runs_out_even_before_it_is_expired(
    kinds, candidate, book, settings
):
    paid, _ = kinds
    hold = book(candidate=candidate, interview_type=paid, starts_at=SLOT_BOTH)
    assert hold.status == BookingStatus.PENDING_PAYMENT
    assert_table_is_the_engine(paid)

    after = NOW + datetime.timedelta(minutes=settings.BOOKING_HOLD_MINUTES)
    assert_table_is_the_engine(paid, after)  # ran out, not yet expired: free again

    with time_machine.travel(after, tick=False):
        assert booking_expire_hold(booking_id=hold.pk)
    assert_table_is_the_engine(paid, after)


def test_a_confirmed_booking_then_its_cancellation(kinds, candidate, book):
    _, free = kinds
    booking = book(candidate=candidate, interview_type=free, starts_at=SLOT)
    assert booking.status == BookingStatus.CONFIRMED
    for kind in kinds:
        assert_table_is_the_engine(kind)

    booking_cancel(booking, actor=candidate, actor_role=Actor.CANDIDATE, reason="Clash")
    for kind in kinds:
        assert_table_is_the_engine(kind)


def test_a_paid_hold_confirmed(kinds, candidate, book):
    paid, _ = kinds
    hold = book(candidate=candidate, interview_type=paid, starts_at=SLOT)

    booking_transition(hold, to=BookingStatus.CONFIRMED, actor=None, actor_role=Actor.SYSTEM)

    assert_table_is_the_engine(paid, NOW + 2 * HOUR)  # taken for good, after the hold's time


def test_a_booking_moved_and_then_given_to_another_interviewer(
    kinds, candidate, book, staff, profile, other_profile
):
    _, free = kinds
    booking = book(candidate=candidate, interview_type=free, starts_at=SLOT, interviewer=profile)

    booking_reschedule(booking, actor=staff, actor_role=Actor.STAFF, new_start=SLOT + DAY, now=NOW)
    for kind in kinds:
        assert_table_is_the_engine(kind)

    booking_reassign(booking, staff_user=staff, interviewer=other_profile)
    for kind in kinds:
        assert_table_is_the_engine(kind)


def test_a_full_day_the_daily_cap_closes(kinds, book, profile):
    _, free = kinds
    scheduling_settings_update(
        interviewer=profile,
        min_notice_minutes=60,
        horizon_days=20,
        buffer_minutes=30,
        max_sessions_per_day=1,
    )
    assert_table_is_the_engine(free)

    from tests.factories import UserFactory  # noqa: PLC0415 — only this test needs another

    book(candidate=UserFactory(), interview_type=free, starts_at=SLOT, interviewer=profile)

    assert_table_is_the_engine(free)


def test_who_takes_a_booking_is_the_same_from_the_table_as_from_the_engine(
    kinds, book, profile, other_profile
):
    paid, free = kinds
    # Loads of 2 (profile: a session and a live hold) and 1 (other_profile: a session and a
    # cancelled one, which does not count), with the hold still blocking its time.
    hold = book(candidate=UserFactory(), interview_type=paid, interviewer=profile, starts_at=SLOT)
    book(candidate=UserFactory(), interview_type=free, interviewer=profile, starts_at=SLOT + DAY)
    book(
        candidate=UserFactory(), interview_type=paid, interviewer=other_profile, starts_at=SLOT_BOTH
    )
    cancelled = book(
        candidate=UserFactory(),
        interview_type=free,
        interviewer=other_profile,
        starts_at=SLOT_BOTH + DAY,
    )
    booking_cancel(cancelled, actor=cancelled.candidate, actor_role=Actor.CANDIDATE, reason="Clash")
    starts = [NOW + n * datetime.timedelta(minutes=30) for n in range(4 * 48)]
    moments = [NOW, hold.hold_expires_at]  # the hold blocking its time, then run out

    def who_takes_each_start():
        found = []
        for now in moments:
            for start in starts:
                for chosen in (None, profile, other_profile):
                    taker = least_busy_free_interviewer(
                        interview_type=paid, interviewer=chosen, starts_at=start, now=now
                    )
                    found.append((now, start, chosen and chosen.pk, taker and taker.pk))
        return found

    from_the_table = who_takes_each_start()
    OpenStartCoverage.objects.all().delete()
    assert not open_starts_ready(now=NOW)
    from_the_engine = who_takes_each_start()

    assert from_the_table == from_the_engine
    taker = {(now, start, chosen): pk for now, start, chosen, pk in from_the_table}
    assert {taker[now, start, None] for now in moments for start in starts} == {
        profile.pk,
        other_profile.pk,
        None,
    }  # a comparison that can tell
    assert taker[NOW, SLOT, profile.pk] is None  # held
    assert taker[hold.hold_expires_at, SLOT, profile.pk] == profile.pk  # run out
    both_free = [
        (now, start)
        for now in moments
        for start in starts
        if taker[now, start, profile.pk] and taker[now, start, other_profile.pk]
    ]
    assert both_free
    assert {taker[now, start, None] for now, start in both_free} == {other_profile.pk}


def test_hours_added_and_removed_a_date_off_and_time_off(kinds, profile):
    paid, _ = kinds
    window = weekly_window_add(
        interviewer=profile,
        weekday=SLOT.weekday(),
        start=datetime.time(19, 0),
        end=datetime.time(21, 30),
    )
    assert_table_is_the_engine(paid)

    weekly_window_delete(interviewer=profile, window_id=window.pk)
    assert_table_is_the_engine(paid)

    override_set(interviewer=profile, date=(SLOT + DAY).date(), start=None, end=None)
    assert_table_is_the_engine(paid)

    time_off_add(interviewer=profile, starts_at=SLOT + 2 * DAY, ends_at=SLOT + 4 * DAY)
    assert_table_is_the_engine(paid)


def test_a_paused_interviewer_leaves_the_table_and_comes_back_on_resume(kinds, profile, staff):
    paid, _ = kinds
    profile.went_live_at = NOW - 30 * DAY  # resuming lists those who had gone live
    profile.save(update_fields=["went_live_at"])
    interviewer_pause(profile, reason="Too many no-shows", by=staff, now=NOW)
    assert_table_is_the_engine(paid)
    assert not OpenStart.objects.filter(interviewer=profile).exists()

    interviewer_resume(profile, reason="Sorted", by=staff, now=NOW)
    assert_table_is_the_engine(paid)
    assert OpenStart.objects.filter(interviewer=profile).exists()


def test_types_offered_time_zone_and_a_new_type(kinds, profile, other_profile):
    paid, free = kinds
    paid.interviewers.remove(other_profile)
    assert_table_is_the_engine(paid)

    profile.interview_types.remove(free)
    assert_table_is_the_engine(free)

    other_profile.user.timezone = "America/New_York"
    other_profile.user.save()
    assert_table_is_the_engine(free)

    longer = InterviewTypeFactory(duration_minutes=90, interviewers=[profile, other_profile])
    assert_table_is_the_engine(longer)

    free.interviewers.clear()
    assert not OpenStart.objects.filter(interview_type=free).exists()


def test_reads_fall_back_to_the_engine_before_the_first_build_and_after_the_table_runs_out(
    now, paid_type
):
    assert not open_starts_ready(now=NOW)

    open_starts_rebuild(now=NOW)

    assert open_starts_ready(now=NOW + FILL_AHEAD)
    assert not open_starts_ready(now=NOW + FILL_AHEAD + datetime.timedelta(seconds=1))


def test_the_hourly_step_moves_the_table_on_with_the_clock(kinds):
    paid, _ = kinds
    later = NOW + DAY + 5 * HOUR

    with time_machine.travel(later, tick=False):
        open_starts_extend()

    assert open_starts_ready(now=later + FILL_AHEAD)
    assert not OpenStart.objects.filter(starts_at__lt=later - DAY).exists()
    assert_table_is_the_engine(paid, later + FILL_AHEAD)  # to the far edge of the new horizon


def test_the_hourly_step_rebuilds_a_table_that_ran_out(kinds):
    paid, _ = kinds
    much_later = NOW + 5 * DAY

    with time_machine.travel(much_later, tick=False):
        open_starts_extend()

    assert open_starts_ready(now=much_later)
    assert_table_is_the_engine(paid, much_later)


def test_the_command_rebuilds_the_table(kinds):
    paid, _ = kinds
    OpenStart.objects.all().delete()

    call_command("open_starts_rebuild", stdout=open("/dev/null", "w"))  # noqa: SIM115

    assert_table_is_the_engine(paid)


def test_the_directorys_next_free_times_from_the_table_are_the_engines(
    kinds, candidate, book, profile
):
    paid, free = kinds
    book(candidate=candidate, interview_type=free, starts_at=SLOT, interviewer=profile)
    profiles = list(interviewers_for_cards().select_related("user"))
    book_types = {profiles[0].pk: paid, profiles[1].pk: free}

    from_the_table = _next_free_computed(profiles, book_types, now=NOW)
    OpenStartCoverage.objects.all().delete()  # not built: the engine
    from_the_engine = _next_free_computed(profiles, book_types, now=NOW)

    assert from_the_table == from_the_engine
    assert all(from_the_engine.values())


def test_the_hourly_reliability_chain_moves_the_table_on(now, paid_type):
    reliability_review_all_task.call()

    assert open_starts_ready(now=NOW + FILL_AHEAD)
    assert_table_is_the_engine(paid_type)


def test_a_types_new_length_recomputes_its_interviewers_and_a_new_price_does_not(
    kinds, django_assert_num_queries
):
    paid, _ = kinds
    paid.duration_minutes = 90
    paid.save()
    assert_table_is_the_engine(paid)

    paid.price_paise += 100
    with django_assert_num_queries(3):  # the length before, the update, the rules marker
        paid.save()


@pytest.mark.parametrize("page", ["0", "1", "4"])
def test_the_any_picker_shows_the_same_times_from_the_table_as_from_the_engine(
    client, now, paid_type, profile, other_profile, candidate, book, page
):
    paid_type.interviewers.add(other_profile)
    book(candidate=candidate, interview_type=paid_type, starts_at=SLOT_BOTH)
    url = reverse("bookings:slots", kwargs={"slug": paid_type.slug})
    query = {"page": page, "interviewer": "any", "tz": "America/New_York"}

    from_the_engine = client.get(url, query).content
    open_starts_rebuild(now=NOW)
    clear_caches()
    from_the_table = client.get(url, query).content

    assert from_the_table == from_the_engine
    assert b"?start=" in from_the_table  # times to pick
