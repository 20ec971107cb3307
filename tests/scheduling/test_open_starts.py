"""The table of open starts (slots.open_starts_table) against the slot engine itself.

The table holds every open start of a range of local dates with nothing that depends on `now`;
the pages put `now` back as two comparisons and a hold's run-out moment. These properties say
that doing so gives exactly `open_slots(now)`, over the engine's own scenarios (DST changes,
overrides, time off, buffers, daily caps), and that recomputing only the dates a booking touches
gives the same table as recomputing all of it.
"""

import dataclasses
import datetime
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from mockri.scheduling.slots import (
    HeldInterval,
    Interval,
    InterviewerAvailability,
    dates_a_busy_interval_touches,
    local_midnight,
    open_slots,
    open_slots_by_start,
    open_starts_table,
)

from .test_slots import DAY, MINUTE, PROPERTY, UTC, at, availability, interval, scenarios, weekly

LONGEST = 90 * MINUTE  # the longest duration the scenarios draw


def table_read(table, subject: InterviewerAvailability, *, now: datetime.datetime) -> list:
    """What a page reads from the table at `now`: the engine's notice and horizon comparisons,
    and holds run out."""
    now = now.astimezone(UTC)
    earliest, latest = now + subject.rules.min_notice, now + subject.rules.horizon
    return [
        start
        for start, opens_at in table.items()
        if earliest <= start <= latest and (opens_at is None or opens_at <= now)
    ]


def covering_dates(subject, *, now, before: int, after: int):
    """The local dates of now + notice and now + horizon, widened by some days."""
    zone = ZoneInfo(subject.timezone)
    now = now.astimezone(UTC)
    first = (now + subject.rules.min_notice).astimezone(zone).date()
    last = (now + subject.rules.horizon).astimezone(zone).date()
    return first - before * DAY, last + after * DAY


@st.composite
def with_holds(draw):
    """A scenario whose busy intervals are split into bookings and unpaid holds, each hold
    running out within hours either side of now."""
    subject, duration, now = draw(scenarios())
    held_flags = draw(
        st.lists(st.booleans(), min_size=len(subject.busy), max_size=len(subject.busy))
    )
    now_utc = now.astimezone(UTC)
    confirmed, held = [], []
    for busy, is_held in zip(subject.busy, held_flags, strict=True):
        if is_held:
            runs_out = now_utc + MINUTE * draw(st.integers(-3 * 60, 3 * 60))
            held.append(
                HeldInterval(busy, runs_out.astimezone(draw(st.sampled_from([UTC, now.tzinfo]))))
            )
        else:
            confirmed.append(busy)
    return dataclasses.replace(subject, busy=tuple(confirmed)), tuple(held), duration, now


def busy_at(subject, held, *, now):
    """The engine's busy intervals at `now`: bookings, and holds that have not run out."""
    still = tuple(hold.interval for hold in held if now < hold.runs_out)
    return dataclasses.replace(subject, busy=subject.busy + still)


@PROPERTY
@given(with_holds(), st.integers(0, 2), st.integers(0, 2), st.integers(-4 * 60, 4 * 60))
def test_the_table_read_at_now_is_open_slots_at_now(scenario, before, after, minutes_later):
    subject, held, duration, now = scenario
    # The table was filled earlier or later than it is read: it does not depend on when.
    read_at = now.astimezone(UTC) + MINUTE * minutes_later
    first_date, last_date = covering_dates(subject, now=read_at, before=before, after=after)

    table = open_starts_table(
        subject, duration=duration, first_date=first_date, last_date=last_date, held=held
    )

    engine = open_slots(busy_at(subject, held, now=read_at), duration=duration, now=read_at)
    assert table_read(table, subject, now=read_at) == [slot.start for slot in engine]


@PROPERTY
@given(st.lists(with_holds(), min_size=1, max_size=4))
def test_counting_interviewers_per_start_in_the_table_is_open_slots_by_start(drawn):
    duration, now = drawn[0][2], drawn[0][3]
    counts: dict[datetime.datetime, int] = {}
    subjects_now = []
    for index, (subject, held, _, _) in enumerate(drawn):
        subject = dataclasses.replace(subject, interviewer_id=index)
        first_date, last_date = covering_dates(subject, now=now, before=1, after=1)
        table = open_starts_table(
            subject, duration=duration, first_date=first_date, last_date=last_date, held=held
        )
        for start in table_read(table, subject, now=now):
            counts[start] = counts.get(start, 0) + 1
        subjects_now.append(busy_at(subject, held, now=now))

    by_start = open_slots_by_start(subjects_now, duration=duration, now=now)

    assert counts == {start: len(ids) for start, ids in by_start.items()}
    assert list(by_start) == sorted(counts)


@PROPERTY
@given(with_holds(), st.data())
def test_recomputing_the_dates_a_booking_touches_gives_the_whole_new_table(scenario, data):
    subject, held, duration, now = scenario
    zone = ZoneInfo(subject.timezone)
    first_date, last_date = covering_dates(subject, now=now, before=1, after=1)
    # A booking made, or cancelled: one busy interval more or less, anywhere near the dates.
    start = now.astimezone(UTC) + MINUTE * data.draw(st.integers(-2 * 24 * 60, 8 * 24 * 60))
    booking = Interval(start, start + MINUTE * data.draw(st.sampled_from([15, 30, 60, 90])))
    before_change, after_change = (
        subject,
        dataclasses.replace(subject, busy=(*subject.busy, booking)),
    )
    if data.draw(st.booleans()):
        before_change, after_change = after_change, before_change

    def whole(of):
        return open_starts_table(
            of, duration=duration, first_date=first_date, last_date=last_date, held=held
        )

    touched_first, touched_last = dates_a_busy_interval_touches(
        subject, booking, longest_duration=LONGEST
    )
    low, high = local_midnight(zone, touched_first), local_midnight(zone, touched_last + DAY)
    recomputed = open_starts_table(
        after_change,
        duration=duration,
        first_date=max(first_date, touched_first - DAY),
        last_date=min(last_date, touched_last + DAY),
        held=held,
    )
    spliced = {s: o for s, o in whole(before_change).items() if not low <= s < high}
    spliced |= {s: o for s, o in recomputed.items() if low <= s < high}

    assert spliced == whole(after_change)


def test_a_start_blocked_by_a_hold_opens_the_moment_the_hold_runs_out():
    subject = availability(weekly_windows=(weekly(0, "09:00", "11:00"),), horizon=7 * DAY)
    hold = HeldInterval(interval("2026-03-02 09:00", "2026-03-02 10:00"), at("2026-03-01 12:15"))

    table = open_starts_table(
        subject,
        duration=60 * MINUTE,
        first_date=datetime.date(2026, 3, 2),
        last_date=datetime.date(2026, 3, 2),
        held=(hold,),
    )

    assert table == {
        at("2026-03-02 09:00"): at("2026-03-01 12:15"),
        at("2026-03-02 09:30"): at("2026-03-01 12:15"),
        at("2026-03-02 10:00"): None,
    }
