"""The table of open starts (models.OpenStart): every time each bookable interviewer can be
booked at for each type they offer, kept so that the slot picker's "any available" week and the
directory's "soonest free" are one indexed query, not the slot engine over every interviewer.

What a row means. For one interviewer, the rows are the slot engine's open starts with no
notice and no horizon (slots.open_starts_table), over every local date, cut to the instants from
the local midnight of the day before the fill to that after `reads_until + horizon` (one day to
spare). Each range is computed over its local dates plus one day either side, so the starts of
an offset-change day that fall on a neighbouring date are there too. A page reading at `now`
keeps bookable_from <= now <= bookable_until: the engine's own comparisons, and holds run out
(tests/scheduling/test_open_starts.py proves the rows equal to open_slots; the tests in
tests/bookings/test_open_starts.py, the table equal to the engine after each kind of change).

Kept up to date in the transaction of every change that moves availability:
- a booking made, confirmed, cancelled, expired, completed, moved or reassigned
  (bookings.services): only the local dates it touches (its buffer, its date's daily cap);
- an interviewer's hours, date overrides, time off, settings, types, time zone, listing, hold
  or account (bookings.signals, on the models' saves and deletes): their whole table.
A write that bypasses the model signals (a queryset update()) must call open_starts_refresh.

The horizon moves on with the clock: open_starts_extend (hourly, in the reliability review's
chain) adds the new dates, drops past rows and moves `reads_until` FILL_AHEAD on. Reads never
depend on it: past `reads_until`, or before the first build (`manage.py open_starts_rebuild`,
seed_demo, the bench), pages ask the slot engine (open_starts_ready).
"""

import dataclasses
import datetime
from collections import defaultdict
from collections.abc import Iterable
from zoneinfo import ZoneInfo

from django.db import connection, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from mockri.catalogue.models import InterviewerProfile, InterviewType
from mockri.scheduling.slots import (
    HeldInterval,
    Interval,
    InterviewerAvailability,
    dates_a_busy_interval_touches,
    local_midnight,
    open_starts_table,
)

from .availability_cache import rules_version
from .enums import ACTIVE_STATUSES, BookingStatus
from .models import Booking, OpenStart, OpenStartCoverage
from .selectors import _availability, _rules_of, offered_kept, scheduling_rules

# How long reads stay on the table after the last extension: the hourly step has two days to
# run before pages fall back to the engine.
FILL_AHEAD = datetime.timedelta(days=2)
ONE_DAY = datetime.timedelta(days=1)
# Interviewers computed and written at once by the rebuild and the extension.
_BATCH = 200
_PROFILE_FIELDS = (
    "min_notice_minutes",
    "horizon_days",
    "buffer_minutes",
    "max_sessions_per_day",
    "user__timezone",
)


def open_starts_reads_until() -> datetime.datetime | None:
    values = list(OpenStartCoverage.objects.filter(pk=1).values_list("reads_until", flat=True))
    return values[0] if values else None


def open_starts_ready(*, now: datetime.datetime) -> bool:
    """Whether a read at `now` may use the table: one query."""
    reads_until = open_starts_reads_until()
    return reads_until is not None and now <= reads_until


def _delete(rows: QuerySet) -> None:
    # A plain DELETE: the project's catch-all post_delete receiver (bookings.signals) would make
    # Django load every row first to send signals nobody here needs.
    rows._raw_delete(rows.db)


def _bookable(ids: Iterable[int]) -> list[InterviewerProfile]:
    """The profiles among `ids` candidates can book, as interviewers_offering reads them."""
    return list(
        InterviewerProfile.objects.filter(
            pk__in=list(ids), is_listed=True, hold="", user__is_active=True
        )
        .select_related("user")
        .only(*_PROFILE_FIELDS)
        .order_by("pk")
    )


def _types_offered(ids) -> dict[int, list[tuple[int, int]]]:
    """Each interviewer's types as (type id, duration in minutes)."""
    types: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for interviewer_id, type_id, minutes in InterviewType.interviewers.through.objects.filter(
        interviewerprofile_id__in=ids
    ).values_list("interviewerprofile_id", "interviewtype_id", "interviewtype__duration_minutes"):
        types[interviewer_id].append((type_id, minutes))
    return types


def _bookings_of(ids, *, since, latest) -> tuple[defaultdict, defaultdict]:
    """Confirmed bookings (busy whatever the time) and unpaid holds (busy until they run out)
    of each interviewer between `since` and `latest`."""
    busy: defaultdict = defaultdict(list)
    held: defaultdict = defaultdict(list)
    for interviewer_id, status, starts_at, ends_at, runs_out in (
        Booking.objects.filter(
            interviewer_id__in=ids,
            status__in=ACTIVE_STATUSES,
            busy_until__gt=since,
            starts_at__lt=latest,
        )
        .order_by()
        .values_list("interviewer_id", "status", "starts_at", "ends_at", "hold_expires_at")
    ):
        if status == BookingStatus.CONFIRMED:
            busy[interviewer_id].append(Interval(starts_at, ends_at))
        elif runs_out is not None:  # a hold with no end never takes time (holds_its_time)
            held[interviewer_id].append(HeldInterval(Interval(starts_at, ends_at), runs_out))
    return busy, held


# Per interviewer: the local dates to compute, and the instants [low, high) of rows to replace.
_Range = tuple[datetime.date, datetime.date, datetime.datetime, datetime.datetime]


def _range(zone: ZoneInfo, first: datetime.date, last: datetime.date) -> _Range:
    return (
        first - ONE_DAY,
        last + ONE_DAY,
        local_midnight(zone, first),
        local_midnight(zone, last + ONE_DAY),
    )


def _write(
    profiles: list[InterviewerProfile],
    ranges: dict[int, _Range],
    *,
    types=None,
    availabilities: dict[int, InterviewerAvailability] | None = None,
) -> int:
    """Replace each profile's rows in its range of instants by the engine's; the rows written.
    `types` (as _types_offered) and `availabilities` (the rules, no bookings), if already read."""
    if not profiles:
        return 0
    ids = [profile.pk for profile in profiles]
    since = min(ranges[pk][2] for pk in ids) - 2 * ONE_DAY
    latest = max(ranges[pk][3] for pk in ids) + 2 * ONE_DAY
    if availabilities is None:
        rules = _rules_of(ids, since=since, latest=latest)
        availabilities = {p.pk: _availability(p, rules, busy=()) for p in profiles}
    busy, held = _bookings_of(ids, since=since, latest=latest)
    if types is None:
        types = _types_offered(ids)
    _delete(
        OpenStart.objects.filter(
            _in_ranges({pk: ranges[pk][2:] for pk in ids})  # one statement for all of them
        )
    )
    rows = []
    for profile in profiles:
        first_date, last_date, low, high = ranges[profile.pk]
        availability = dataclasses.replace(availabilities[profile.pk], busy=tuple(busy[profile.pk]))
        horizon = availability.rules.horizon
        notice = availability.rules.min_notice
        by_duration: dict[int, list[int]] = defaultdict(list)
        for type_id, minutes in types[profile.pk]:
            by_duration[minutes].append(type_id)
        for minutes, type_ids in by_duration.items():
            table = open_starts_table(
                availability,
                duration=datetime.timedelta(minutes=minutes),
                first_date=first_date,
                last_date=last_date,
                held=held[profile.pk],
            )
            for start, opens_at in table.items():
                if not low <= start < high:
                    continue
                bookable_from = start - horizon
                if opens_at is not None and opens_at > bookable_from:
                    bookable_from = opens_at
                until = start - notice
                rows += [(profile.pk, type_id, start, bookable_from, until) for type_id in type_ids]
    _insert(rows)
    return len(rows)


_COLUMNS = ("interviewer_id", "interview_type_id", "starts_at", "bookable_from", "bookable_until")


def _insert(rows: list[tuple]) -> None:
    """Write rows of _COLUMNS: PostgreSQL's COPY, as a rebuild writes millions (several times
    faster than an INSERT of model instances); elsewhere bulk_create."""
    if not rows:
        return
    if connection.vendor == "postgresql":
        table = OpenStart._meta.db_table
        with (
            connection.cursor() as cursor,
            cursor.copy(f"COPY {table} ({', '.join(_COLUMNS)}) FROM STDIN") as copy,
        ):
            for row in rows:
                copy.write_row(row)
        return
    OpenStart.objects.bulk_create(
        (OpenStart(**dict(zip(_COLUMNS, row, strict=True))) for row in rows), batch_size=2000
    )


def _in_ranges(ranges: dict[int, tuple[datetime.datetime, datetime.datetime]]) -> Q:
    condition = Q()
    for interviewer_id, (low, high) in ranges.items():
        condition |= Q(interviewer_id=interviewer_id, starts_at__gte=low, starts_at__lt=high)
    return condition


def open_starts_lock_key(interviewer_id: int) -> int:
    """The advisory lock that serialises every rewrite of one interviewer's rows: kind 0 of
    bookings.services._lock_key's key space (bookings use kinds 1 and 2, chains 3)."""
    return (interviewer_id % 2**40) << 20


def _lock(ids: Iterable[int]) -> None:
    """Queue behind any other transaction rewriting these interviewers' rows, so that each
    reads the other's committed change (PostgreSQL reads afresh at each statement). SQLite's
    write transaction already holds the whole database."""
    keys = sorted({open_starts_lock_key(pk) for pk in ids})
    if keys and connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT " + ", ".join(["pg_advisory_xact_lock(%s)"] * len(keys)), keys)


def _whole_ranges(profiles, *, now, reads_until) -> dict[int, _Range]:
    """From the day before today to a day after reads_until + horizon, in each one's zone
    (before the table is built: as far as a build now would reach, so none falls short)."""
    base = now + FILL_AHEAD if reads_until is None else max(now + FILL_AHEAD, reads_until)
    ranges = {}
    for profile in profiles:
        zone = ZoneInfo(profile.user.timezone)
        last = (base + datetime.timedelta(days=profile.horizon_days)).astimezone(zone).date()
        ranges[profile.pk] = _range(zone, now.astimezone(zone).date() - ONE_DAY, last + ONE_DAY)
    return ranges


def open_starts_refresh(interviewer_ids: Iterable[int], *, now=None) -> None:
    """Recompute these interviewers' whole tables (their rules or their bookability changed).
    Call it inside the change's transaction, after the change."""
    ids = sorted(set(interviewer_ids))
    if not ids:
        return
    now = now or timezone.now()
    _lock(ids)
    _delete(OpenStart.objects.filter(interviewer_id__in=ids))
    reads_until = open_starts_reads_until()
    for first in range(0, len(ids), _BATCH):  # a type given to many at once (bulk loads)
        profiles = _bookable(ids[first : first + _BATCH])
        _write(profiles, _whole_ranges(profiles, now=now, reads_until=reads_until))


def open_starts_refresh_booking(
    *,
    interviewer_id: int,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    interview_type_id: int | None = None,
    locked: bool = False,
) -> None:
    """Recompute the local dates a booking's times touch, after it was made, changed status,
    moved or changed hands (call it for the old times and interviewer too). Call it inside the
    change's transaction, after the change; `locked`: the caller holds open_starts_lock_key.

    With `interview_type_id`, the interviewer's rules this process keeps for that type (the
    booking just checked its slot against them) stand in for reading them again, if the rules
    version is still theirs: three queries (the version, the bookings, the rewrite) instead of
    eight.
    """
    if not locked:
        _lock([interviewer_id])
    kept = (
        offered_kept(interview_type_id=interview_type_id, interviewer_id=interviewer_id)
        if interview_type_id is not None
        else None
    )
    if kept is not None and kept[0] == rules_version():
        entry = kept[1]
        profile, types = entry.profile, {interviewer_id: list(entry.types)}
        availabilities = {interviewer_id: entry.availability}
    else:
        profiles = _bookable([interviewer_id])
        if not profiles:
            return
        profile, types, availabilities = profiles[0], _types_offered([interviewer_id]), None
    longest = max((minutes for _, minutes in types[interviewer_id]), default=None)
    if longest is None:
        return
    first, last = dates_a_busy_interval_touches(
        InterviewerAvailability(
            interviewer_id=profile.pk,
            timezone=profile.user.timezone,
            weekly=(),
            overrides=(),
            time_off=(),
            busy=(),
            rules=scheduling_rules(profile),
        ),
        Interval(starts_at, ends_at),
        longest_duration=datetime.timedelta(minutes=longest),
    )
    _write(
        [profile],
        {profile.pk: _range(ZoneInfo(profile.user.timezone), first, last)},
        types=types,
        availabilities=availabilities,
    )


def open_starts_forget_type(type_id: int) -> None:
    """A type lost all its interviewers at once (a cleared relation)."""
    _delete(OpenStart.objects.filter(interview_type_id=type_id))


def _set_reads_until(moment: datetime.datetime) -> None:
    OpenStartCoverage.objects.update_or_create(pk=1, defaults={"reads_until": moment})


def _bookable_ids() -> list[int]:
    return list(
        InterviewerProfile.objects.filter(is_listed=True, hold="", user__is_active=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def open_starts_rebuild(*, now=None) -> int:
    """Build the whole table afresh (`manage.py open_starts_rebuild`, seed_demo, the bench, or
    the hourly step when the table ran out); the rows written.

    Short transactions, one per batch of interviewers, each holding only that batch's locks:
    bookings of other interviewers go on meanwhile, and pages ask the slot engine until the
    last batch is in (the coverage goes first).
    """
    now = now or timezone.now()
    reads_until = now + FILL_AHEAD
    with transaction.atomic():
        _delete(OpenStartCoverage.objects.all())
        _delete(OpenStart.objects.all())
    ids = _bookable_ids()
    written = 0
    for first in range(0, len(ids), _BATCH):
        with transaction.atomic():
            batch = ids[first : first + _BATCH]
            _lock(batch)  # a booking or rule change written meanwhile is read, not overwritten
            profiles = _bookable(batch)
            written += _write(profiles, _whole_ranges(profiles, now=now, reads_until=reads_until))
    _set_reads_until(reads_until)
    return written


def open_starts_extend(*, now=None) -> int:
    """Move the table on with the clock (hourly): add each interviewer's dates up to a day after
    the new reads_until + horizon, drop rows that started over a day ago; the rows written.
    Rebuilds the table if it was never built or ran out. Short transactions, as the rebuild."""
    now = now or timezone.now()
    old_until = open_starts_reads_until()
    if old_until is None or old_until < now:
        return open_starts_rebuild(now=now)
    reads_until = max(old_until, now + FILL_AHEAD)
    _delete(OpenStart.objects.filter(starts_at__lt=now - ONE_DAY))
    ids = _bookable_ids()
    written = 0
    for first in range(0, len(ids), _BATCH):
        with transaction.atomic():
            batch = ids[first : first + _BATCH]
            _lock(batch)
            profiles = _bookable(batch)
            ranges = {}
            for profile in profiles:
                zone = ZoneInfo(profile.user.timezone)
                horizon = datetime.timedelta(days=profile.horizon_days)
                # From the old edge's date (rows before it are already there) to the new one's.
                ranges[profile.pk] = _range(
                    zone,
                    (old_until + horizon).astimezone(zone).date(),
                    (reads_until + horizon).astimezone(zone).date() + ONE_DAY,
                )
            written += _write(profiles, ranges)
    _set_reads_until(reads_until)
    return written


# The first start after the previous one that someone can be booked at, again and again: one
# index probe per distinct start (a loose index scan) instead of reading every interviewer's row
# of the week, as a GROUP BY or DISTINCT would (a thousand interviewers: ~240,000 rows).
_ANY_STARTS = """
WITH RECURSIVE found(starts_at) AS (
    SELECT (
        SELECT o.starts_at FROM {table} o
        WHERE o.interview_type_id = %s AND o.starts_at >= %s AND o.starts_at < %s
            AND o.bookable_from <= %s AND o.bookable_until >= %s
        ORDER BY o.starts_at LIMIT 1
    )
    UNION ALL
    SELECT (
        SELECT o.starts_at FROM {table} o
        WHERE o.interview_type_id = %s AND o.starts_at > found.starts_at AND o.starts_at < %s
            AND o.bookable_from <= %s AND o.bookable_until >= %s
        ORDER BY o.starts_at LIMIT 1
    )
    FROM found WHERE found.starts_at IS NOT NULL
)
SELECT starts_at FROM found WHERE starts_at IS NOT NULL
"""


def open_starts_any(
    *,
    interview_type: InterviewType,
    now: datetime.datetime,
    since: datetime.datetime,
    until: datetime.datetime,
) -> list[datetime.datetime]:
    """The starts in [since, until) at which someone offering the type can be booked at `now`,
    in order: open_slots_by_start's over interviewers_offering, once open_starts_ready. One
    query, of one index probe per start shown, however many interviewers there are."""
    adapt = connection.ops.adapt_datetimefield_value
    now_, until_ = adapt(now), adapt(until)
    with connection.cursor() as cursor:
        cursor.execute(
            _ANY_STARTS.format(table=OpenStart._meta.db_table),
            [
                *(interview_type.pk, adapt(since), until_, now_, now_),  # the first start
                *(interview_type.pk, until_, now_, now_),  # each next one
            ],
        )
        return [_aware(value) for (value,) in cursor.fetchall()]


def _aware(value) -> datetime.datetime:
    # SQLite hands back text in UTC, PostgreSQL an aware datetime.
    if isinstance(value, str):
        value = parse_datetime(value) or datetime.datetime.fromisoformat(value)
        value = value if value.tzinfo else value.replace(tzinfo=datetime.UTC)
    return value.astimezone(datetime.UTC)


# Each interviewer's first start of their type: one index probe apiece (the unique index on
# interviewer, type, start), not every row of the next two weeks read and grouped.
_FIRST_STARTS = """
WITH wanted(interviewer_id, interview_type_id) AS (VALUES {pairs})
SELECT w.interviewer_id, (
    SELECT o.starts_at FROM {table} o
    WHERE o.interviewer_id = w.interviewer_id AND o.interview_type_id = w.interview_type_id
        AND o.starts_at >= %s AND o.starts_at < %s
        AND o.bookable_from <= %s AND o.bookable_until >= %s
    ORDER BY o.starts_at LIMIT 1
)
FROM wanted w
"""
_FIRST_STARTS_AT_ONCE = 5000  # interviewers per query: 10,000 parameters


def open_starts_first(
    *, book_types: dict[int, int], now: datetime.datetime, until: datetime.datetime
) -> dict[int, datetime.datetime]:
    """Interviewer id -> their first start bookable at `now` and before `until` for the type id
    `book_types` gives them (those with none are left out): first_open_start over the engine,
    once open_starts_ready. One query (per 5,000 interviewers)."""
    adapt = connection.ops.adapt_datetimefield_value
    # Never before now: the notice is not negative.
    bounds = [adapt(now), adapt(until), adapt(now), adapt(now)]
    pairs = list(book_types.items())
    found: dict[int, datetime.datetime] = {}
    with connection.cursor() as cursor:
        for first in range(0, len(pairs), _FIRST_STARTS_AT_ONCE):
            chunk = pairs[first : first + _FIRST_STARTS_AT_ONCE]
            cursor.execute(
                _FIRST_STARTS.format(
                    table=OpenStart._meta.db_table,
                    pairs=", ".join(["(CAST(%s AS bigint), CAST(%s AS bigint))"] * len(chunk)),
                ),
                [value for pair in chunk for value in pair] + bounds,
            )
            found |= {pk: _aware(start) for pk, start in cursor.fetchall() if start is not None}
    return found


# Who can be booked at one start: one probe of the type's index, each found interviewer's load
# counted over their own index (interviewer, start), least busy first. Nobody unless the table
# covers `now` (open_starts_ready, in the same statement).
_FREE_AT = """
SELECT o.interviewer_id FROM {table} o
WHERE o.interview_type_id = %s AND o.starts_at = %s
    AND o.bookable_from <= %s AND o.bookable_until >= %s {only}
    AND EXISTS (SELECT 1 FROM {coverage} c WHERE c.id = 1 AND c.reads_until >= %s)
ORDER BY (
    SELECT COUNT(*) FROM {bookings} b
    WHERE b.interviewer_id = o.interviewer_id AND b.starts_at >= %s AND b.starts_at < %s
        AND b.status IN ({statuses})
), o.interviewer_id
"""


def open_starts_free_at(
    *,
    interview_type_id: int,
    starts_at: datetime.datetime,
    now: datetime.datetime,
    counted: tuple[datetime.datetime, datetime.datetime],
    statuses: list[str],
    interviewer_id: int | None = None,
) -> list[int]:
    """The interviewers who can be booked for the type at `starts_at` at `now` (only
    `interviewer_id`, if given), in order of their bookings with `statuses` starting within
    `counted`, fewest first, then by id: selectors.least_busy_free_interviewer's order. One
    query, however many interviewers offer the type; none at all when the table is not
    open_starts_ready (an empty answer leaves it to the caller to tell which)."""
    adapt = connection.ops.adapt_datetimefield_value
    only = "AND o.interviewer_id = %s" if interviewer_id is not None else ""
    sql = _FREE_AT.format(
        table=OpenStart._meta.db_table,
        bookings=Booking._meta.db_table,
        coverage=OpenStartCoverage._meta.db_table,
        only=only,
        statuses=", ".join(["%s"] * len(statuses)),
    )
    with connection.cursor() as cursor:
        cursor.execute(
            sql,
            [
                *(interview_type_id, adapt(starts_at), adapt(now), adapt(now)),
                *([interviewer_id] if interviewer_id is not None else []),
                adapt(now),
                *(adapt(counted[0]), adapt(counted[1]), *statuses),
            ],
        )
        return [pk for (pk,) in cursor.fetchall()]
