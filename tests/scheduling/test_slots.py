import datetime
from collections import Counter
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mockri.scheduling.slots import (
    DateOverride,
    Interval,
    InterviewerAvailability,
    SchedulingRules,
    Slot,
    WeeklyWindow,
    first_open_start,
    open_slots,
    open_slots_by_start,
    slot_is_open,
)

UTC = datetime.UTC
MINUTE = datetime.timedelta(minutes=1)
HOUR = datetime.timedelta(hours=1)
DAY = datetime.timedelta(days=1)
MONDAY, TUESDAY, WEDNESDAY, SUNDAY = 0, 1, 2, 6
NEW_YORK = ZoneInfo("America/New_York")
LONDON = ZoneInfo("Europe/London")


def at(text: str) -> datetime.datetime:
    """An aware instant from ISO text; without an offset it is UTC."""
    instant = datetime.datetime.fromisoformat(text)
    return instant if instant.tzinfo else instant.replace(tzinfo=UTC)


def weekly(weekday: int, start: str, end: str) -> WeeklyWindow:
    return WeeklyWindow(
        weekday=weekday,
        start=datetime.time.fromisoformat(start),
        end=datetime.time.fromisoformat(end),
    )


def override(day: str, *windows: tuple[str, str]) -> DateOverride:
    return DateOverride(
        date=datetime.date.fromisoformat(day),
        windows=tuple(
            (datetime.time.fromisoformat(start), datetime.time.fromisoformat(end))
            for start, end in windows
        ),
    )


def interval(start: str, end: str) -> Interval:
    return Interval(start=at(start), end=at(end))


def availability(
    *,
    timezone: str = "UTC",
    weekly_windows: tuple[WeeklyWindow, ...] = (),
    overrides: tuple[DateOverride, ...] = (),
    time_off: tuple[Interval, ...] = (),
    busy: tuple[Interval, ...] = (),
    interviewer_id: int = 1,
    min_notice: datetime.timedelta = datetime.timedelta(0),
    horizon: datetime.timedelta = 6 * DAY,
    buffer: datetime.timedelta = datetime.timedelta(0),
    max_per_day: int | None = None,
    step: datetime.timedelta = 30 * MINUTE,
) -> InterviewerAvailability:
    return InterviewerAvailability(
        interviewer_id=interviewer_id,
        timezone=timezone,
        weekly=weekly_windows,
        overrides=overrides,
        time_off=time_off,
        busy=busy,
        rules=SchedulingRules(
            min_notice=min_notice,
            horizon=horizon,
            buffer=buffer,
            max_per_day=max_per_day,
            step=step,
        ),
    )


def starts(slots: list[Slot]) -> list[str]:
    return [f"{slot.start:%Y-%m-%d %H:%M}" for slot in slots]


def local_starts(slots: list[Slot], zone: ZoneInfo) -> list[str]:
    return [f"{slot.start.astimezone(zone):%H:%M %Z}" for slot in slots]


# 2026-03-02 is a Monday; 2026-03-08, 03-29, 10-25 and 11-01 are the Sundays of DST changes.
MONDAY_MORNING_BEFORE = at("2026-03-01 12:00")


def test_a_kolkata_morning_gives_utc_starts_half_past_the_hour():
    kolkata = availability(
        timezone="Asia/Kolkata",
        weekly_windows=(weekly(MONDAY, "09:00", "12:00"),),
        horizon=7 * DAY,
    )

    slots = open_slots(kolkata, duration=HOUR, now=MONDAY_MORNING_BEFORE)

    assert starts(slots) == [
        "2026-03-02 03:30",
        "2026-03-02 04:00",
        "2026-03-02 04:30",
        "2026-03-02 05:00",
        "2026-03-02 05:30",
    ]
    assert all(slot.start.tzinfo is UTC and slot.end == slot.start + HOUR for slot in slots)


def test_spring_forward_in_new_york_leaves_three_real_hours_in_a_midnight_to_4am_window():
    new_york = availability(
        timezone="America/New_York", weekly_windows=(weekly(SUNDAY, "00:00", "04:00"),)
    )

    slots = open_slots(new_york, duration=HOUR, now=at("2026-03-07 12:00"), until=at("2026-03-09"))

    assert starts(slots) == [
        "2026-03-08 05:00",
        "2026-03-08 05:30",
        "2026-03-08 06:00",
        "2026-03-08 06:30",
        "2026-03-08 07:00",
    ]
    assert local_starts(slots, NEW_YORK) == [
        "00:00 EST",
        "00:30 EST",
        "01:00 EST",
        "01:30 EST",
        "03:00 EDT",
    ]
    assert slots[-1].end == at("2026-03-08 04:00-04:00")


def test_fall_back_in_new_york_gives_four_real_hours_in_a_midnight_to_3am_window():
    new_york = availability(
        timezone="America/New_York", weekly_windows=(weekly(SUNDAY, "00:00", "03:00"),)
    )

    slots = open_slots(new_york, duration=HOUR, now=at("2026-10-31 12:00"), until=at("2026-11-02"))

    assert starts(slots) == [
        "2026-11-01 04:00",
        "2026-11-01 04:30",
        "2026-11-01 05:00",
        "2026-11-01 05:30",
        "2026-11-01 06:00",
        "2026-11-01 06:30",
        "2026-11-01 07:00",
    ]
    assert local_starts(slots, NEW_YORK) == [
        "00:00 EDT",
        "00:30 EDT",
        "01:00 EDT",
        "01:30 EDT",
        "01:00 EST",
        "01:30 EST",
        "02:00 EST",
    ]


def test_spring_forward_in_london_leaves_two_real_hours_in_a_midnight_to_3am_window():
    london = availability(
        timezone="Europe/London", weekly_windows=(weekly(SUNDAY, "00:00", "03:00"),)
    )

    slots = open_slots(london, duration=HOUR, now=at("2026-03-28 12:00"), until=at("2026-03-30"))

    assert starts(slots) == ["2026-03-29 00:00", "2026-03-29 00:30", "2026-03-29 01:00"]
    assert local_starts(slots, LONDON) == ["00:00 GMT", "00:30 GMT", "02:00 BST"]


def test_a_window_starting_in_the_spring_forward_gap_starts_at_its_time_before_the_change():
    # 01:30 does not exist in London that night; fold=0 reads it with GMT, i.e. 02:30 BST.
    london = availability(
        timezone="Europe/London", overrides=(override("2026-03-29", ("01:30", "03:00")),)
    )

    slots = open_slots(
        london, duration=30 * MINUTE, now=at("2026-03-28 12:00"), until=at("2026-03-30")
    )

    assert starts(slots) == ["2026-03-29 01:30"]
    assert local_starts(slots, LONDON) == ["02:30 BST"]


def test_fall_back_in_london_gives_four_real_hours_in_a_midnight_to_3am_window():
    london = availability(
        timezone="Europe/London", weekly_windows=(weekly(SUNDAY, "00:00", "03:00"),)
    )

    slots = open_slots(london, duration=HOUR, now=at("2026-10-24 12:00"), until=at("2026-10-26"))

    assert starts(slots) == [
        "2026-10-24 23:00",
        "2026-10-24 23:30",
        "2026-10-25 00:00",
        "2026-10-25 00:30",
        "2026-10-25 01:00",
        "2026-10-25 01:30",
        "2026-10-25 02:00",
    ]
    assert local_starts(slots, LONDON) == [
        "00:00 BST",
        "00:30 BST",
        "01:00 BST",
        "01:30 BST",
        "01:00 GMT",
        "01:30 GMT",
        "02:00 GMT",
    ]


def test_a_slot_may_touch_a_booking_plus_its_buffer_but_not_overlap_it():
    interviewer = availability(
        weekly_windows=(weekly(MONDAY, "08:00", "13:00"),),
        busy=(interval("2026-03-02 10:00", "2026-03-02 11:00"),),
        buffer=15 * MINUTE,
        step=15 * MINUTE,
    )

    slots = open_slots(interviewer, duration=HOUR, now=MONDAY_MORNING_BEFORE)

    assert starts(slots) == [
        "2026-03-02 08:00",
        "2026-03-02 08:15",
        "2026-03-02 08:30",
        "2026-03-02 08:45",
        "2026-03-02 11:15",
        "2026-03-02 11:30",
        "2026-03-02 11:45",
        "2026-03-02 12:00",
    ]


def test_time_off_blocks_overlapping_slots_without_a_buffer():
    interviewer = availability(
        weekly_windows=(weekly(MONDAY, "09:00", "13:00"),),
        time_off=(interval("2026-03-02 10:00", "2026-03-02 11:00"),),
        buffer=30 * MINUTE,
    )

    slots = open_slots(interviewer, duration=HOUR, now=MONDAY_MORNING_BEFORE)

    assert starts(slots) == [
        "2026-03-02 09:00",
        "2026-03-02 11:00",
        "2026-03-02 11:30",
        "2026-03-02 12:00",
    ]


def test_the_first_slot_is_the_first_window_step_at_or_after_the_minimum_notice():
    interviewer = availability(
        weekly_windows=(weekly(MONDAY, "08:00", "11:00"),), min_notice=50 * MINUTE
    )

    slots = open_slots(interviewer, duration=HOUR, now=at("2026-03-02 08:00"))

    assert starts(slots) == [
        "2026-03-02 09:00",
        "2026-03-02 09:30",
        "2026-03-02 10:00",
    ]


def test_a_slot_may_start_exactly_at_the_minimum_notice_and_exactly_at_the_horizon():
    interviewer = availability(
        weekly_windows=(weekly(MONDAY, "08:00", "12:00"),),
        min_notice=HOUR,
        horizon=2 * HOUR + 30 * MINUTE,
    )

    slots = open_slots(interviewer, duration=HOUR, now=at("2026-03-02 07:30"))

    assert starts(slots) == [
        "2026-03-02 08:30",
        "2026-03-02 09:00",
        "2026-03-02 09:30",
        "2026-03-02 10:00",
    ]


def test_until_caps_slot_starts_exclusively():
    interviewer = availability(weekly_windows=(weekly(MONDAY, "08:00", "12:00"),))

    slots = open_slots(
        interviewer, duration=HOUR, now=MONDAY_MORNING_BEFORE, until=at("2026-03-02 09:30")
    )

    assert starts(slots) == ["2026-03-02 08:00", "2026-03-02 08:30", "2026-03-02 09:00"]


def test_a_local_day_with_max_per_day_bookings_offers_no_more_slots():
    # 01:30 UTC on Wednesday is 20:30 on Tuesday in New York: it counts for Tuesday.
    bookings = (
        interval("2026-03-03 13:00", "2026-03-03 14:00"),
        interval("2026-03-04 01:30", "2026-03-04 02:30"),
    )
    new_york = availability(
        timezone="America/New_York",
        weekly_windows=(weekly(TUESDAY, "10:00", "11:00"), weekly(WEDNESDAY, "10:00", "11:00")),
        busy=bookings,
        max_per_day=2,
    )

    slots = open_slots(new_york, duration=HOUR, now=MONDAY_MORNING_BEFORE, until=at("2026-03-05"))

    assert starts(slots) == ["2026-03-04 15:00"]


def test_a_local_day_below_max_per_day_still_offers_slots():
    new_york = availability(
        timezone="America/New_York",
        weekly_windows=(weekly(TUESDAY, "10:00", "11:00"),),
        busy=(interval("2026-03-03 13:00", "2026-03-03 14:00"),),
        max_per_day=2,
    )

    slots = open_slots(new_york, duration=HOUR, now=MONDAY_MORNING_BEFORE, until=at("2026-03-05"))

    assert starts(slots) == ["2026-03-03 15:00"]


def test_max_per_day_also_holds_on_a_dst_change_day():
    london = availability(
        timezone="Europe/London",
        weekly_windows=(weekly(SUNDAY, "00:00", "03:00"), weekly(SUNDAY, "20:00", "21:00")),
        busy=(interval("2026-03-29 10:00", "2026-03-29 11:00"),),
        max_per_day=1,
    )

    slots = open_slots(london, duration=HOUR, now=at("2026-03-28 12:00"), until=at("2026-03-30"))

    assert slots == []


def test_a_max_per_day_of_zero_offers_nothing():
    interviewer = availability(weekly_windows=(weekly(MONDAY, "08:00", "12:00"),), max_per_day=0)

    assert open_slots(interviewer, duration=HOUR, now=MONDAY_MORNING_BEFORE) == []


def test_an_override_replaces_the_weekly_windows_of_its_date():
    interviewer = availability(
        weekly_windows=(weekly(MONDAY, "09:00", "12:00"),),
        overrides=(override("2026-03-02", ("14:00", "15:00")),),
    )

    slots = open_slots(
        interviewer, duration=HOUR, now=MONDAY_MORNING_BEFORE, until=at("2026-03-03")
    )

    assert starts(slots) == ["2026-03-02 14:00"]


def test_an_empty_override_closes_its_date_only():
    interviewer = availability(
        weekly_windows=(weekly(MONDAY, "09:00", "10:00"),),
        overrides=(override("2026-03-02"),),
        horizon=14 * DAY,
    )

    slots = open_slots(
        interviewer, duration=HOUR, now=MONDAY_MORNING_BEFORE, until=at("2026-03-10")
    )

    assert starts(slots) == ["2026-03-09 09:00"]


def test_overlapping_windows_offer_each_start_once():
    interviewer = availability(
        weekly_windows=(weekly(MONDAY, "09:00", "12:00"), weekly(MONDAY, "11:00", "13:00"))
    )

    slots = open_slots(
        interviewer, duration=HOUR, now=MONDAY_MORNING_BEFORE, until=at("2026-03-03")
    )

    assert starts(slots) == [
        "2026-03-02 09:00",
        "2026-03-02 09:30",
        "2026-03-02 10:00",
        "2026-03-02 10:30",
        "2026-03-02 11:00",
        "2026-03-02 11:30",
        "2026-03-02 12:00",
    ]


def test_slot_is_open_accepts_an_offered_start_given_in_any_zone():
    kolkata = availability(
        timezone="Asia/Kolkata", weekly_windows=(weekly(MONDAY, "09:00", "12:00"),)
    )

    offered = open_slots(kolkata, duration=HOUR, now=MONDAY_MORNING_BEFORE)[0].start

    assert slot_is_open(kolkata, start=offered, duration=HOUR, now=MONDAY_MORNING_BEFORE)
    assert slot_is_open(
        kolkata, start=at("2026-03-02 09:00+05:30"), duration=HOUR, now=MONDAY_MORNING_BEFORE
    )


def test_slot_is_open_refuses_a_start_off_the_step_grid():
    interviewer = availability(weekly_windows=(weekly(MONDAY, "09:00", "12:00"),))

    assert not slot_is_open(
        interviewer, start=at("2026-03-02 09:01"), duration=HOUR, now=MONDAY_MORNING_BEFORE
    )


def test_slot_is_open_refuses_a_start_taken_by_a_booking():
    interviewer = availability(
        weekly_windows=(weekly(MONDAY, "09:00", "12:00"),),
        busy=(interval("2026-03-02 10:00", "2026-03-02 11:00"),),
    )

    assert not slot_is_open(
        interviewer, start=at("2026-03-02 09:30"), duration=HOUR, now=MONDAY_MORNING_BEFORE
    )
    assert slot_is_open(
        interviewer, start=at("2026-03-02 09:00"), duration=HOUR, now=MONDAY_MORNING_BEFORE
    )


def test_slot_is_open_refuses_a_start_on_a_day_already_full():
    interviewer = availability(
        weekly_windows=(weekly(MONDAY, "09:00", "12:00"),),
        busy=(interval("2026-03-02 20:00", "2026-03-02 21:00"),),
        max_per_day=1,
    )

    assert not slot_is_open(
        interviewer, start=at("2026-03-02 09:00"), duration=HOUR, now=MONDAY_MORNING_BEFORE
    )


def test_slot_is_open_refuses_a_start_in_the_past():
    interviewer = availability(weekly_windows=(weekly(MONDAY, "09:00", "12:00"),))

    assert not slot_is_open(
        interviewer, start=at("2026-03-02 09:00"), duration=HOUR, now=at("2026-03-02 09:10")
    )


def test_open_slots_by_start_lists_every_free_interviewer_in_start_order():
    later = availability(interviewer_id=7, weekly_windows=(weekly(MONDAY, "10:00", "12:00"),))
    earlier = availability(interviewer_id=3, weekly_windows=(weekly(MONDAY, "09:00", "11:00"),))

    by_start = open_slots_by_start(
        [later, earlier], duration=HOUR, now=MONDAY_MORNING_BEFORE, until=at("2026-03-03")
    )

    assert list(by_start.items()) == [
        (at("2026-03-02 09:00"), (3,)),
        (at("2026-03-02 09:30"), (3,)),
        (at("2026-03-02 10:00"), (3, 7)),
        (at("2026-03-02 10:30"), (7,)),
        (at("2026-03-02 11:00"), (7,)),
    ]


def test_a_zero_step_is_refused():
    interviewer = availability(
        weekly_windows=(weekly(MONDAY, "09:00", "12:00"),), step=datetime.timedelta(0)
    )

    with pytest.raises(ValueError, match="step"):
        open_slots(interviewer, duration=HOUR, now=MONDAY_MORNING_BEFORE)


# Properties, over the four zones around the DST changes of 2026.

ZONES = ["Asia/Kolkata", "Europe/London", "America/New_York", "UTC"]
DST_SUNDAYS = [
    datetime.date(2026, month, day) for month, day in [(3, 8), (3, 29), (10, 25), (11, 1)]
]
PROPERTY = settings(max_examples=200, deadline=None)

LAST_MINUTE = 24 * 60 - 1
# Minutes of the day, leaning on the small hours where the clocks change.
wall_minutes = st.integers(0, LAST_MINUTE - 1) | st.integers(0, 4 * 4).map(
    lambda quarter: 15 * quarter
)


@st.composite
def wall_windows(draw) -> tuple[datetime.time, datetime.time]:
    start = draw(wall_minutes)
    end = min(start + draw(st.integers(30, 8 * 60) | st.integers(1, 24 * 60)), LAST_MINUTE)
    return datetime.time(*divmod(start, 60)), datetime.time(*divmod(end, 60))


@st.composite
def intervals(draw, *, around: datetime.datetime, zone: ZoneInfo) -> Interval:
    start = around + MINUTE * draw(st.integers(-2 * 24 * 60, 6 * 24 * 60))
    end = start + MINUTE * draw(st.integers(1, 3 * 60))
    shown_in = draw(st.sampled_from([UTC, zone]))  # aware in any zone
    return Interval(start=start.astimezone(shown_in), end=end.astimezone(shown_in))


@st.composite
def scenarios(draw) -> tuple[InterviewerAvailability, datetime.timedelta, datetime.datetime]:
    """An availability, a duration and a `now` within days of a DST change.

    Instants come in UTC or in the interviewer's zone; add durations to them only in UTC, as
    aware arithmetic in a local zone is wall-clock arithmetic.
    """
    timezone = draw(st.sampled_from(ZONES))
    zone = ZoneInfo(timezone)
    sunday = draw(st.sampled_from(DST_SUNDAYS))
    now_utc = datetime.datetime.combine(sunday, datetime.time(), tzinfo=UTC) + MINUTE * draw(
        st.integers(-3 * 24 * 60, 24 * 60)
    )
    now = now_utc.astimezone(draw(st.sampled_from([UTC, zone])))
    weekly_windows = draw(
        st.lists(
            st.builds(
                lambda weekday, window: WeeklyWindow(weekday, *window),
                st.integers(0, 6),
                wall_windows(),
            ),
            min_size=2,
            max_size=8,
        )
    )
    overrides = draw(
        st.lists(
            st.builds(
                DateOverride,
                date=st.integers(-3, 3).map(lambda days: sunday + datetime.timedelta(days=days)),
                windows=st.lists(wall_windows(), max_size=3).map(tuple),
            ),
            max_size=3,
        )
    )
    min_notice = MINUTE * draw(st.integers(0, 2 * 24 * 60))
    bookable_for = MINUTE * draw(st.integers(24 * 60, 6 * 24 * 60) | st.integers(0, 24 * 60))
    rules = SchedulingRules(
        min_notice=min_notice,
        horizon=min_notice + bookable_for,
        buffer=MINUTE * draw(st.sampled_from([0, 5, 15, 30])),
        max_per_day=draw(st.sampled_from([None, 1, 2, 3])),
        step=MINUTE * draw(st.sampled_from([15, 20, 30, 45, 60])),
    )
    subject = InterviewerAvailability(
        interviewer_id=draw(st.integers(1, 99)),
        timezone=timezone,
        weekly=tuple(weekly_windows),
        overrides=tuple(overrides),
        time_off=tuple(draw(st.lists(intervals(around=now_utc, zone=zone), max_size=3))),
        busy=tuple(draw(st.lists(intervals(around=now_utc, zone=zone), max_size=12))),
        rules=rules,
    )
    duration = MINUTE * draw(st.sampled_from([15, 30, 45, 60, 90]))
    return subject, duration, now


def window_instances(
    subject: InterviewerAvailability, *, now: datetime.datetime
) -> list[tuple[datetime.datetime, datetime.datetime]]:
    """Each window of each local date from now + min notice to now + horizon, as UTC instants."""
    zone = ZoneInfo(subject.timezone)
    now = now.astimezone(UTC)
    day = (now + subject.rules.min_notice).astimezone(zone).date()
    last_day = (now + subject.rules.horizon).astimezone(zone).date()
    instances = []
    while day <= last_day:
        overriding = [override for override in subject.overrides if override.date == day]
        if overriding:
            windows = [window for override in overriding for window in override.windows]
        else:
            windows = [(w.start, w.end) for w in subject.weekly if w.weekday == day.weekday()]
        for start, end in windows:
            instances.append(
                (
                    datetime.datetime.combine(day, start, tzinfo=zone).astimezone(UTC),
                    datetime.datetime.combine(day, end, tzinfo=zone).astimezone(UTC),
                )
            )
        day += DAY
    return instances


def window_grid_starts(
    subject: InterviewerAvailability, *, duration: datetime.timedelta, now: datetime.datetime
) -> list[datetime.datetime]:
    """Each window start + k * step whose slot fits in its window, before any other rule."""
    grid = []
    for window_start, window_end in window_instances(subject, now=now):
        start = window_start
        while start + duration <= window_end:
            grid.append(start)
            start += subject.rules.step
    return grid


def plainly_open_starts(
    subject: InterviewerAvailability,
    *,
    duration: datetime.timedelta,
    now: datetime.datetime,
    until: datetime.datetime | None = None,
) -> list[datetime.datetime]:
    """The rules read literally, slot by slot, with no cleverness."""
    rules = subject.rules
    zone = ZoneInfo(subject.timezone)
    earliest = now.astimezone(UTC) + rules.min_notice
    latest = now.astimezone(UTC) + rules.horizon
    sessions_per_date = Counter(busy.start.astimezone(zone).date() for busy in subject.busy)
    return sorted(
        {
            start
            for start in window_grid_starts(subject, duration=duration, now=now)
            if earliest <= start <= latest
            and (until is None or start < until)
            and not any(
                start < off.end and off.start < start + duration for off in subject.time_off
            )
            and not any(
                start < busy.end.astimezone(UTC) + rules.buffer
                and busy.start.astimezone(UTC) < start + duration + rules.buffer
                for busy in subject.busy
            )
            and (
                rules.max_per_day is None
                or sessions_per_date[start.astimezone(zone).date()] < rules.max_per_day
            )
        }
    )


@PROPERTY
@given(scenarios())
def test_a_slot_never_overlaps_a_booking_plus_its_buffer(scenario):
    subject, duration, now = scenario
    buffer = subject.rules.buffer

    for slot in open_slots(subject, duration=duration, now=now):
        for busy in subject.busy:
            busy_start, busy_end = busy.start.astimezone(UTC), busy.end.astimezone(UTC)
            assert not (slot.start < busy_end + buffer and busy_start < slot.end + buffer)


@PROPERTY
@given(scenarios())
def test_a_slot_never_overlaps_time_off(scenario):
    subject, duration, now = scenario

    for slot in open_slots(subject, duration=duration, now=now):
        for off in subject.time_off:
            assert not (slot.start < off.end and off.start < slot.end)


@PROPERTY
@given(scenarios())
def test_a_slot_lies_within_a_window_on_the_step_grid(scenario):
    subject, duration, now = scenario
    instances = window_instances(subject, now=now)

    for slot in open_slots(subject, duration=duration, now=now):
        assert any(
            start <= slot.start
            and slot.end <= end
            and (slot.start - start) % subject.rules.step == datetime.timedelta(0)
            for start, end in instances
        )


@PROPERTY
@given(scenarios(), st.integers(0, 8 * 24 * 60))
def test_a_slot_starts_between_the_notice_and_the_horizon_and_before_until(scenario, minutes):
    subject, duration, now = scenario
    now_utc = now.astimezone(UTC)
    until = now_utc + MINUTE * minutes

    slots = open_slots(subject, duration=duration, now=now, until=until)

    for slot in slots:
        assert now_utc + subject.rules.min_notice <= slot.start <= now_utc + subject.rules.horizon
        assert slot.start < until


@PROPERTY
@given(scenarios())
def test_slots_are_sorted_distinct_utc_and_last_the_duration(scenario):
    subject, duration, now = scenario

    slots = open_slots(subject, duration=duration, now=now)

    assert [slot.start for slot in slots] == sorted({slot.start for slot in slots})
    assert all(slot.start.tzinfo is UTC and slot.end - slot.start == duration for slot in slots)


@PROPERTY
@given(scenarios(), st.integers(0, 8 * 24 * 60))
def test_open_slots_match_a_plain_reading_of_the_rules(scenario, minutes):
    subject, duration, now = scenario
    until = now.astimezone(UTC) + MINUTE * minutes

    assert [slot.start for slot in open_slots(subject, duration=duration, now=now)] == (
        plainly_open_starts(subject, duration=duration, now=now)
    )
    assert [
        slot.start for slot in open_slots(subject, duration=duration, now=now, until=until)
    ] == (plainly_open_starts(subject, duration=duration, now=now, until=until))


@PROPERTY
@given(scenarios(), st.data())
def test_open_slots_do_not_depend_on_the_order_of_the_inputs(scenario, data):
    subject, duration, now = scenario
    shuffled = InterviewerAvailability(
        interviewer_id=subject.interviewer_id,
        timezone=subject.timezone,
        weekly=tuple(data.draw(st.permutations(subject.weekly))),
        overrides=tuple(
            DateOverride(
                date=override.date, windows=tuple(data.draw(st.permutations(override.windows)))
            )
            for override in data.draw(st.permutations(subject.overrides))
        ),
        time_off=tuple(data.draw(st.permutations(subject.time_off))),
        busy=tuple(data.draw(st.permutations(subject.busy))),
        rules=subject.rules,
    )

    assert open_slots(shuffled, duration=duration, now=now) == open_slots(
        subject, duration=duration, now=now
    )


@PROPERTY
@given(scenarios(), st.data())
def test_slot_is_open_agrees_with_open_slots(scenario, data):
    subject, duration, now = scenario
    zone = ZoneInfo(subject.timezone)
    offered = {slot.start for slot in open_slots(subject, duration=duration, now=now)}
    off_the_grid = st.integers(-24 * 60, 8 * 24 * 60).map(
        lambda minutes: now.astimezone(UTC) + minutes * MINUTE
    )
    probes = window_grid_starts(subject, duration=duration, now=now) + data.draw(
        st.lists(off_the_grid, max_size=10)
    )

    for probe in probes:
        shown_in_local_time = probe.astimezone(zone)
        assert slot_is_open(subject, start=shown_in_local_time, duration=duration, now=now) == (
            probe in offered
        )


@PROPERTY
@given(st.lists(scenarios(), min_size=1, max_size=4))
def test_open_slots_by_start_gathers_each_interviewers_open_slots(scenarios_drawn):
    duration, now = scenarios_drawn[0][1], scenarios_drawn[0][2]
    subjects = [
        InterviewerAvailability(
            interviewer_id=index,
            timezone=subject.timezone,
            weekly=subject.weekly,
            overrides=subject.overrides,
            time_off=subject.time_off,
            busy=subject.busy,
            rules=subject.rules,
        )
        for index, (subject, _, _) in enumerate(scenarios_drawn)
    ]
    expected: dict[datetime.datetime, list[int]] = {}
    for subject in subjects:
        for slot in open_slots(subject, duration=duration, now=now):
            expected.setdefault(slot.start, []).append(subject.interviewer_id)

    by_start = open_slots_by_start(subjects, duration=duration, now=now)

    assert list(by_start) == sorted(expected)
    assert by_start == {start: tuple(sorted(ids)) for start, ids in expected.items()}


@PROPERTY
@given(scenarios(), st.integers(0, 8 * 24 * 60))
def test_first_open_start_is_the_first_of_open_slots(scenario, minutes):
    availability, duration, now = scenario
    until = now.astimezone(UTC) + MINUTE * minutes

    slots = open_slots(availability, duration=duration, now=now, until=until)

    expected = slots[0].start if slots else None
    assert first_open_start(availability, duration=duration, now=now, until=until) == expected
