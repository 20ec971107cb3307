"""The slot engine: which session start times an interviewer can offer.

Pure functions over frozen dataclasses, with no Django and no database: the caller loads the rows
and builds the inputs, so the engine can be property-tested (tests/scheduling/test_slots.py) and
benchmarked (bench/slot_engine.py) on its own.

Time conventions:
- Windows are wall-clock times on the interviewer's local dates. A window bound becomes an instant
  through `datetime.combine(day, time, tzinfo=zone)`, zoneinfo's fold=0 reading: a time in a
  spring-forward gap takes the offset from before the change, an ambiguous fall-back time is its
  first occurrence.
- Slot starts step from the window start in real elapsed (UTC) time, not wall-clock time. So on a
  DST day a window keeps its wall-clock bounds but holds an hour less or more, and no slot goes
  missing or repeats as a UTC instant.
- `now + min_notice` and `now + horizon` are real elapsed time too.
- Intervals are half-open [start, end) and compared as instants.

Inside, instants and durations are whole microseconds since the Unix epoch: integer arithmetic
and `range` over window starts are several times faster than datetime objects, and as exact.
"""

import bisect
import dataclasses
import datetime
import functools
import itertools
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from zoneinfo import ZoneInfo

UTC = datetime.UTC
EPOCH = datetime.datetime(1970, 1, 1, tzinfo=UTC)
EPOCH_ORDINAL = EPOCH.toordinal()
MICROSECOND = datetime.timedelta(microseconds=1)
ONE_DAY = datetime.timedelta(days=1)
DAY_MICROS = ONE_DAY // MICROSECOND
# UTC offsets have never jumped by more than a day (Samoa, 2011), so a slot's local date is within
# a day of its window's date, and two instants on one local date are under two days apart. Two
# days leaves a margin for the first.
LOCAL_DATE_DRIFT_DAYS = 2


@dataclasses.dataclass(frozen=True)
class WeeklyWindow:
    """A recurring window in the interviewer's local wall-clock time; `end` is after `start`."""

    weekday: int  # 0 = Monday … 6 = Sunday
    start: datetime.time
    end: datetime.time


@dataclasses.dataclass(frozen=True)
class DateOverride:
    """Replaces all weekly windows on one local date; no windows = unavailable all that day."""

    date: datetime.date
    windows: tuple[tuple[datetime.time, datetime.time], ...]


@dataclasses.dataclass(frozen=True)
class Interval:
    """Half-open [start, end) between aware datetimes of any time zone."""

    start: datetime.datetime
    end: datetime.datetime


@dataclasses.dataclass(frozen=True)
class SchedulingRules:
    min_notice: datetime.timedelta  # a slot starts no earlier than now + min_notice
    horizon: datetime.timedelta  # a slot starts no later than now + horizon
    buffer: datetime.timedelta  # gap kept between a slot and any busy interval, on both sides
    max_per_day: int | None  # a local date with this many busy starts is full; None: no cap
    step: datetime.timedelta = datetime.timedelta(minutes=30)  # between starts in a window


@dataclasses.dataclass(frozen=True)
class InterviewerAvailability:
    interviewer_id: int
    timezone: str  # IANA name, e.g. "America/New_York"
    weekly: tuple[WeeklyWindow, ...]
    overrides: tuple[DateOverride, ...]
    time_off: tuple[Interval, ...]  # no slot may overlap these; no buffer
    busy: tuple[Interval, ...]  # active bookings; the buffer applies
    rules: SchedulingRules


@dataclasses.dataclass(frozen=True, order=True)
class Slot:
    start: datetime.datetime  # aware, in UTC
    end: datetime.datetime


def open_slots(
    availability: InterviewerAvailability,
    *,
    duration: datetime.timedelta,
    now: datetime.datetime,
    until: datetime.datetime | None = None,
) -> list[Slot]:
    """Sorted, de-duplicated open slots of one interviewer; `until` also caps starts (< until)."""
    calendar = _Calendar(availability, duration=duration, now=now, until=until)
    return [
        Slot(start=start, end=start + duration)
        for start in map(_datetime, sorted(_open_starts(calendar)))
    ]


def open_slots_by_start(
    availabilities: Iterable[InterviewerAvailability],
    *,
    duration: datetime.timedelta,
    now: datetime.datetime,
    until: datetime.datetime | None = None,
) -> dict[datetime.datetime, tuple[int, ...]]:
    """UTC slot start -> sorted ids of the interviewers free for it, in ascending start order."""
    interviewers_by_start: defaultdict[int, set[int]] = defaultdict(set)
    for availability in availabilities:
        calendar = _Calendar(availability, duration=duration, now=now, until=until)
        for start in _open_starts(calendar):
            interviewers_by_start[start].add(availability.interviewer_id)
    return {
        _datetime(start): tuple(sorted(interviewer_ids))
        for start, interviewer_ids in sorted(interviewers_by_start.items())
    }


def first_open_start(
    availability: InterviewerAvailability,
    *,
    duration: datetime.timedelta,
    now: datetime.datetime,
    until: datetime.datetime | None = None,
) -> datetime.datetime | None:
    """The first of `open_slots(...)`'s starts, or None: walks the local dates in order and stops
    soon after the first one that has a start, instead of working out the whole horizon."""
    calendar = _Calendar(availability, duration=duration, now=now, until=until)
    first: int | None = None
    last_day_to_look = None
    for day in calendar.days():
        if last_day_to_look is not None and day > last_day_to_look:
            break
        windows, slots_on_day = calendar.windows(day)
        for window in windows:
            candidates = calendar.starts_in(*window)
            free = calendar.free_starts(candidates, day=day, slots_on_day=slots_on_day)
            start = next(iter(free), None)  # a window's free starts come in ascending order
            if start is not None and (first is None or start < first):
                first = start
        if first is not None and last_day_to_look is None:
            # An offset change can put a later date's start before this one's: look that far.
            last_day_to_look = day + LOCAL_DATE_DRIFT_DAYS * ONE_DAY
    return None if first is None else _datetime(first)


def slot_is_open(
    availability: InterviewerAvailability,
    *,
    start: datetime.datetime,
    duration: datetime.timedelta,
    now: datetime.datetime,
) -> bool:
    """Whether `start` (aware, any zone) is one of `open_slots(...)`'s starts.

    Looks only at the windows of the few local dates that could hold it, so it is cheap enough to
    validate a submitted slot just before booking it.
    """
    start = start.astimezone(UTC)
    # Only intervals within two days can block this slot or count towards its local date.
    reach = LOCAL_DATE_DRIFT_DAYS * ONE_DAY + availability.rules.buffer
    near_from, near_to = start - reach, start + duration + reach
    nearby = dataclasses.replace(
        availability,
        busy=_overlapping(availability.busy, start=near_from, end=near_to),
        time_off=_overlapping(availability.time_off, start=near_from, end=near_to),
    )
    calendar = _Calendar(nearby, duration=duration, now=now, until=None)
    local_date = start.astimezone(calendar.zone).date()
    start_micros = _micros(start)
    just_this_start = range(start_micros, start_micros + 1)
    for day in calendar.days(around=local_date):
        windows, slots_on_day = calendar.windows(day)
        if any(start_micros in calendar.starts_in(*window) for window in windows):
            # Being free depends on the start alone, not on which window offers it.
            free = calendar.free_starts(just_this_start, day=day, slots_on_day=slots_on_day)
            return start_micros in free
    return False


@dataclasses.dataclass(frozen=True)
class HeldInterval:
    """An unpaid hold: busy like a booking while `now < runs_out`, free from then on."""

    interval: Interval
    runs_out: datetime.datetime


def open_starts_table(
    availability: InterviewerAvailability,
    *,
    duration: datetime.timedelta,
    first_date: datetime.date,
    last_date: datetime.date,
    held: Iterable[HeldInterval] = (),
) -> dict[datetime.datetime, datetime.datetime | None]:
    """Every open start of the windows of local dates `first_date`..`last_date`, whatever `now`
    is: start -> the moment from which it is open (None: already), in ascending start order.

    Nothing here depends on `now`: no notice, no horizon. With `now` put back,
    `open_slots(now)` (its busy: `availability.busy` plus the holds with `now < runs_out`) is
    exactly the starts with `now + min_notice <= start <= now + horizon` and an opening moment
    of None or at most `now`, provided the dates cover the local dates of `now + min_notice`
    and `now + horizon` (tests/scheduling/test_open_starts.py checks it).

    A hold blocks until it runs out, and fewer busy intervals only ever open more starts, so a
    start's opening moment is the first of the holds' run-out moments (in order) from which on
    the engine finds it open: one engine run per distinct run-out moment, most often none.
    """
    held = tuple(held)
    opens_at: dict[int, datetime.datetime | None] = {}
    moments: list[datetime.datetime | None] = [None]
    moments += sorted({hold.runs_out.astimezone(UTC) for hold in held})
    for moment in moments:
        still_held = tuple(
            hold.interval for hold in held if moment is None or hold.runs_out > moment
        )
        calendar = _calendar_between(
            dataclasses.replace(availability, busy=availability.busy + still_held),
            duration=duration,
            first_date=first_date,
            last_date=last_date,
        )
        for start in _open_starts(calendar):
            opens_at.setdefault(start, moment)
    return {_datetime(start): opens_at[start] for start in sorted(opens_at)}


def local_midnight(zone: ZoneInfo, day: datetime.date) -> datetime.datetime:
    """The first instant of a local date, in UTC (zoneinfo's fold=0 reading of 00:00)."""
    return datetime.datetime.combine(day, datetime.time(), tzinfo=zone).astimezone(UTC)


def dates_a_busy_interval_touches(
    availability: InterviewerAvailability,
    busy: Interval,
    *,
    longest_duration: datetime.timedelta,
) -> tuple[datetime.date, datetime.date]:
    """The local dates whose starts a busy interval can open or close when added or removed:
    the starts it blocks (with the buffer, for slots up to `longest_duration` long) and every
    start of the dates its start counts towards (max_per_day), with a day to spare each side
    for the starts of a date on an offset change that fall on its neighbours."""
    zone = ZoneInfo(availability.timezone)
    reach = availability.rules.buffer + longest_duration
    start, end = busy.start.astimezone(UTC), busy.end.astimezone(UTC)
    first = min((start - reach).astimezone(zone).date(), start.astimezone(zone).date())
    last = (end + availability.rules.buffer).astimezone(zone).date()
    return first - ONE_DAY, last + ONE_DAY


def _calendar_between(
    availability: InterviewerAvailability,
    *,
    duration: datetime.timedelta,
    first_date: datetime.date,
    last_date: datetime.date,
) -> "_Calendar":
    """A calendar of the windows of these local dates, with no notice or horizon."""
    calendar = _Calendar(availability, duration=duration, now=EPOCH, until=None)
    calendar.first_date, calendar.last_date = first_date, last_date
    calendar.earliest, calendar.latest = -(2**62), 2**62
    return calendar


def _open_starts(calendar: "_Calendar") -> set[int]:
    starts: set[int] = set()  # a set, as overlapping windows may offer the same start
    for day in calendar.days():
        windows, slots_on_day = calendar.windows(day)
        for window_start, window_end in windows:
            candidates = calendar.starts_in(window_start, window_end)
            starts.update(calendar.free_starts(candidates, day=day, slots_on_day=slots_on_day))
    return starts


class _Calendar:
    """One interviewer's availability prepared for one query, in microseconds: bounds, windows by
    date, and time off plus buffered bookings merged into sorted disjoint spans to bisect."""

    def __init__(
        self,
        availability: InterviewerAvailability,
        *,
        duration: datetime.timedelta,
        now: datetime.datetime,
        until: datetime.datetime | None,
    ) -> None:
        rules = availability.rules
        self.duration = duration // MICROSECOND
        self.step = rules.step // MICROSECOND
        if self.duration <= 0 or self.step <= 0:
            raise ValueError("duration and step must be positive")
        self.zone = ZoneInfo(availability.timezone)
        now_utc = now.astimezone(UTC)  # aware arithmetic in a local zone would be wall-clock time
        self.first_date = (now_utc + rules.min_notice).astimezone(self.zone).date()
        self.last_date = (now_utc + rules.horizon).astimezone(self.zone).date()
        self.earliest = _micros(now_utc + rules.min_notice)
        self.latest = _micros(now_utc + rules.horizon)
        if until is not None:
            self.latest = min(self.latest, _micros(until) - 1)  # starts stay before `until`

        # Windows as (start, end) microseconds since local midnight.
        weekly = defaultdict(list)
        for window in availability.weekly:
            weekly[window.weekday].append((_time_micros(window.start), _time_micros(window.end)))
        self.weekly = {weekday: sorted(windows) for weekday, windows in weekly.items()}
        overrides = defaultdict(list)
        for override in availability.overrides:  # several for one date: their union
            overrides[override.date] += [
                (_time_micros(start), _time_micros(end)) for start, end in override.windows
            ]
        self.overrides = {day: sorted(windows) for day, windows in overrides.items()}

        buffer = rules.buffer // MICROSECOND
        spans = [(_micros(off.start), _micros(off.end)) for off in availability.time_off]
        spans += [
            (_micros(busy.start) - buffer, _micros(busy.end) + buffer) for busy in availability.busy
        ]
        self.blocked_starts, self.blocked_ends = _merge(spans)

        self.max_per_day = rules.max_per_day
        self.full_dates: set[datetime.date] = set()
        if self.max_per_day is not None:
            sessions_per_date = Counter(
                busy.start.astimezone(self.zone).date() for busy in availability.busy
            )
            self.full_dates = {
                day for day, count in sessions_per_date.items() if count >= self.max_per_day
            }

    def days(self, *, around: datetime.date | None = None) -> list[datetime.date]:
        """Local dates whose windows can hold slots, only those near `around` if given."""
        if self.max_per_day is not None and self.max_per_day <= 0:
            return []  # every date already holds its zero allowed sessions
        first, last = self.first_date, self.last_date
        if around is not None:
            drift = LOCAL_DATE_DRIFT_DAYS * ONE_DAY
            first, last = max(first, around - drift), min(last, around + drift)
        return [first + offset * ONE_DAY for offset in range((last - first).days + 1)]

    def windows(self, day: datetime.date) -> tuple[list[tuple[int, int]], bool]:
        """The day's windows as instants, and whether all their slots start on `day` itself.

        Nearly every day keeps one UTC offset from midnight to midnight: its wall times map to
        instants by arithmetic, and its slots fall on it. A day with an offset change (or a
        midnight in a gap) takes zoneinfo's exact, slower way.
        """
        local_windows = self.overrides.get(day)
        if local_windows is None:
            local_windows = self.weekly.get(day.weekday(), [])
        offset = _steady_offset(self.zone, day)
        if offset is not None:
            midnight = (day.toordinal() - EPOCH_ORDINAL) * DAY_MICROS - offset
            return [(midnight + start, midnight + end) for start, end in local_windows], True
        exact = [
            (self._instant(day, start), self._instant(day, end)) for start, end in local_windows
        ]
        return exact, False

    def _instant(self, day: datetime.date, time_micros: int) -> int:
        wall_time = datetime.datetime.combine(day, datetime.time()) + time_micros * MICROSECOND
        return _micros(wall_time.replace(tzinfo=self.zone))

    def starts_in(self, window_start: int, window_end: int) -> range:
        """Starts window_start + k * step that fit the window, the notice and the horizon."""
        first = window_start
        if first < self.earliest:
            first += -((first - self.earliest) // self.step) * self.step  # ceiling division
        last = min(window_end - self.duration, self.latest)
        return range(first, last + 1, self.step)

    def free_starts(
        self, candidates: range, *, day: datetime.date, slots_on_day: bool
    ) -> Iterable[int]:
        """The candidates (from `day`'s windows) with no time off, busy buffer or full day."""
        unblocked = itertools.chain.from_iterable(self._unblocked(candidates))
        if slots_on_day:
            return () if day in self.full_dates else unblocked
        if self.full_dates:
            return [start for start in unblocked if self._local_date(start) not in self.full_dates]
        return unblocked

    def _unblocked(self, candidates: range) -> Iterator[range]:
        """Runs of `candidates` between the blocked spans, walking the spans from a bisect."""
        first, stop, step = candidates.start, candidates.stop, candidates.step
        # Spans are sorted and disjoint, so their ends are sorted too.
        index = bisect.bisect_right(self.blocked_ends, first)
        while index < len(self.blocked_starts):
            span_start, span_end = self.blocked_starts[index], self.blocked_ends[index]
            # A slot [s, s + duration) meets span [a, b) iff a - duration < s < b.
            last_start_before = span_start - self.duration
            if last_start_before >= stop:
                break
            yield range(first, last_start_before + 1, step)
            if span_end > first:
                first += -((first - span_end) // step) * step  # next candidate from span_end on
            index += 1
        yield range(first, stop, step)

    def _local_date(self, instant: int) -> datetime.date:
        # Whole seconds suffice and are the cheapest way in: zone changes fall on whole seconds.
        return datetime.datetime.fromtimestamp(instant // 1_000_000, self.zone).date()


@functools.lru_cache(maxsize=4096)  # interviewers share zones, and queries share days
def _steady_offset(zone: ZoneInfo, day: datetime.date) -> int | None:
    """The UTC offset (µs) in force all day long, or None if it changes or midnight is skipped."""
    offset = datetime.datetime.combine(day, datetime.time(), tzinfo=zone).utcoffset()
    midnight = (day.toordinal() - EPOCH_ORDINAL) * DAY_MICROS - offset // MICROSECOND
    # Equal offsets at both ends mean one offset all day: since 1970, tzdata has no zone whose
    # offset changed twice within six days.
    if _offset_at(zone, midnight) == offset == _offset_at(zone, midnight + DAY_MICROS - 1):
        return offset // MICROSECOND
    return None


def _offset_at(zone: ZoneInfo, instant: int) -> datetime.timedelta | None:
    # Whole seconds suffice and are the cheapest way in: zone changes fall on whole seconds.
    return datetime.datetime.fromtimestamp(instant // 1_000_000, zone).utcoffset()


def _overlapping(
    intervals: tuple[Interval, ...], *, start: datetime.datetime, end: datetime.datetime
) -> tuple[Interval, ...]:
    return tuple(
        interval for interval in intervals if interval.end > start and interval.start < end
    )


def _micros(instant: datetime.datetime) -> int:
    return (instant - EPOCH) // MICROSECOND


def _datetime(micros: int) -> datetime.datetime:
    return EPOCH + datetime.timedelta(microseconds=micros)


def _time_micros(wall_time: datetime.time) -> int:
    return (
        (wall_time.hour * 60 + wall_time.minute) * 60 + wall_time.second
    ) * 1_000_000 + wall_time.microsecond


def _merge(spans: list[tuple[int, int]]) -> tuple[list[int], list[int]]:
    """Union of half-open spans as (starts, ends) of sorted, disjoint spans."""
    starts: list[int] = []
    ends: list[int] = []
    for start, end in sorted(spans):
        if ends and start <= ends[-1]:
            ends[-1] = max(ends[-1], end)
        else:
            starts.append(start)
            ends.append(end)
    return starts, ends
