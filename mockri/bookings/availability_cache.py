"""Markers that change whenever what decides open slots changes.

`schedule_version()` moves with any such change, bookings included. The slot picker caches its
rendered times under it, so a page is computed once per change (or per minute, as notice periods
move on) instead of once per visitor. Every write that can open or close a slot marks it:
booking services explicitly (they write with UPDATE, which sends no signals), catalogue and
availability models through signals (`rules_changed()`).

`rules_version()` moves only with the interviewers' own rules (hours, date overrides, time off,
profiles, who offers which type), not with bookings: each process keeps those rules in memory
under it (selectors.least_busy_free_interviewer), so a booking need not read them again.

Each marker is one database row rather than a cache entry: bumping it is a single UPDATE, and
every web process sees the same value the moment the change is committed.

Pages read the schedule marker through the shared cache (`schedule_cache_lookup`), in the same
round trip as the page itself: a hit is one cache read and no query. A bump deletes that copy at
once and again when it commits, so a reader can keep an old number only if it read the row just
before a commit and wrote it back just after: for VERSION_CACHE_SECONDS at most. The picker only
offers times; the booking itself checks the slot under a lock, so such a lag costs a clean
"just taken" at worst.

Each process also keeps what it read from or wrote to the shared cache here in its own memory
(the "process" cache) for SLOT_PAGE_LOCAL_SECONDS: a page asked for again within that time costs
no round trip at all, so another process's change shows here that much later at most. A bump
drops this process's copy of the version at once, so its own changes show at once. A viewer's
own values (their sessions, their page's frame) say themselves when they are stale, and are
kept here as long as in the shared cache.
"""

import dataclasses
import datetime
import functools
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache, caches
from django.db import connection, transaction

from .models import ScheduleVersion

_SCHEDULE_ROW = 1
_RULES_ROW = 2


@functools.cache
def _marker_sql(vendor: str) -> tuple[str, str]:
    """The marker's read and its bump, written once per process from the model. Every booking
    reads a marker twice and bumps one, and the ORM compiled these one-row statements afresh
    each time, at three to four times the cost of running them (issue #13's profile)."""
    quote = connection.ops.quote_name
    table = quote(ScheduleVersion._meta.db_table)
    value = quote(ScheduleVersion._meta.get_field("value").column)
    where = f"WHERE {quote(ScheduleVersion._meta.pk.column)} = %s"
    return (
        f"SELECT {value} FROM {table} {where}",  # noqa: S608 — names from the model, quoted
        f"UPDATE {table} SET {value} = {value} + 1 {where}",  # noqa: S608 — same
    )


def _version(row: int) -> int:
    read, _ = _marker_sql(connection.vendor)
    with connection.cursor() as cursor:
        cursor.execute(read, [row])
        found = cursor.fetchone()
    return found[0] if found else 0


def schedule_version() -> int:
    return _version(_SCHEDULE_ROW)


def rules_version() -> int:
    return _version(_RULES_ROW)


def _bump(row: int = _SCHEDULE_ROW) -> None:
    _, bump = _marker_sql(connection.vendor)
    with connection.cursor() as cursor:
        cursor.execute(bump, [row])
        bumped = cursor.rowcount
    if not bumped:
        ScheduleVersion.objects.get_or_create(pk=row, defaults={"value": 1})
    if row == _SCHEDULE_ROW:
        _forget_version()
        transaction.on_commit(_forget_version)


def _forget_version() -> None:
    cache.delete(VERSION_KEY)
    caches["process"].delete(VERSION_KEY)


def schedule_changed() -> None:
    """Mark every cached slot page stale, once the current transaction commits."""
    transaction.on_commit(_bump)


def schedule_changed_with_this_transaction() -> None:
    """Mark every cached slot page stale in the current transaction, so the change and the new
    marker commit together: one commit instead of two. The marker's row stays locked until the
    transaction ends, so call this last, just before it commits."""
    _bump()


def rules_changed() -> None:
    """An interviewer's rules changed: every process reads them again at its next booking, and
    cached slot pages go stale once the current transaction commits.

    The rules marker moves within the transaction, so it commits with the change: no process can
    read the new marker and keep the old rules under it. Rules change rarely, so holding its row
    until the commit costs nothing.
    """
    _bump(_RULES_ROW)
    schedule_changed()


VERSION_KEY = "schedule-version"
VERSION_CACHE_SECONDS = 2
# Computed pages are kept under the minute (notice periods move on) for a little longer than it,
# so the previous minute's can be served while one request computes the next.
PAGE_CACHE_SECONDS = 120
COMPUTE_LOCK_SECONDS = 30
COMPUTE_POLL_SECONDS = 0.1


@dataclasses.dataclass
class Lookup:
    """What one cache round trip found for `key`: the current schedule version, the value kept
    for this minute under it (None if absent), and any `also` keys asked for."""

    key: str
    version: int
    minute_key: str
    previous_key: str  # last minute's: served while another request computes this minute's
    value: Any
    also: dict[str, Any]

    def kept(self, found) -> Any:
        return found[1] if found is not None and found[0] == self.version else None


def _minute(moment: datetime.datetime) -> str:
    return str(int(moment.timestamp()) // 60)  # minutes since the epoch: cheaper than strftime


def _keep(key: str, value: Any, seconds: int, *, here_for: int | None = None) -> None:
    """Into the shared cache, and into this process's copy of it."""
    cache.set(key, value, seconds)
    _keep_here({key: value}, seconds=here_for)


def _keep_here(values: dict[str, Any], *, seconds: int | None = None) -> None:
    if settings.SLOT_PAGE_LOCAL_SECONDS and values:
        caches["process"].set_many(values, seconds or settings.SLOT_PAGE_LOCAL_SECONDS)


def _read(keys: list[str]) -> dict[str, Any]:
    """`keys` (the version and the page first, then a viewer's own values) from this process's
    copy, the rest from the shared cache in one round trip (then kept here). The version and the
    page come from one place, so a page is never judged by another copy's version. A viewer's own
    values carry what makes them stale (the version they were computed under, or their deadline),
    so this process keeps them for as long as the shared cache does: a signed-in viewer moving
    between weeks reads none of them again."""
    here = caches["process"].get_many(keys) if settings.SLOT_PAGE_LOCAL_SECONDS else {}
    if not all(key in here for key in keys[:2]):
        here = {key: value for key, value in here.items() if key in keys[2:]}
    missing = [key for key in keys if key not in here]
    if not missing:
        return here
    found = cache.get_many(missing)
    _keep_here({key: found[key] for key in keys[:2] if key in found})
    _keep_here({key: found[key] for key in keys[2:] if key in found}, seconds=PAGE_CACHE_SECONDS)
    return here | found


def schedule_cache_lookup(key: str, *, now: datetime.datetime, also: tuple = ()) -> Lookup:
    """One cache read: the schedule version, `key`'s value for this minute and the `also` keys.
    The version comes from the database only when the cache lost it."""
    minute_key = f"{key}:{_minute(now)}"
    found = _read([VERSION_KEY, minute_key, *also])
    version = found.get(VERSION_KEY)
    if version is None:
        version = schedule_version()
        _keep(VERSION_KEY, version, VERSION_CACHE_SECONDS)
    lookup = Lookup(
        key=key,
        version=version,
        minute_key=minute_key,
        previous_key=f"{key}:{_minute(now - datetime.timedelta(minutes=1))}",
        value=None,
        also={name: found.get(name) for name in also},
    )
    lookup.value = lookup.kept(found.get(minute_key))
    return lookup


def schedule_cache_fill(lookup: Lookup, compute: Callable[[], Any]) -> Any:
    """`lookup`'s value, computing and keeping it if it was missing. One request computes a
    value at a time: the others serve last minute's meanwhile (same schedule version: only the
    notice periods have moved on), or, with none, wait for it; one computes itself only if the
    request holding the mark went away (the mark then runs out or is dropped)."""
    if lookup.value is not None:
        return lookup.value
    lock = f"{lookup.minute_key}:{lookup.version}:computing"
    locked = cache.add(lock, True, COMPUTE_LOCK_SECONDS)
    if not locked:
        stale = lookup.kept(cache.get(lookup.previous_key))
        if stale is not None:
            return stale
        deadline = time.monotonic() + COMPUTE_LOCK_SECONDS
        while not locked and time.monotonic() < deadline:
            time.sleep(COMPUTE_POLL_SECONDS)
            value = lookup.kept(cache.get(lookup.minute_key))
            if value is not None:
                return value
            locked = cache.add(lock, True, COMPUTE_LOCK_SECONDS)
    try:
        value = compute()
        _keep(lookup.minute_key, (lookup.version, value), PAGE_CACHE_SECONDS)
    finally:
        if locked:
            cache.delete(lock)
    return value


def versioned(lookup: Lookup, name: str) -> Any:
    """An `also` value kept as (version, value), if it is the current version's."""
    return lookup.kept(lookup.also.get(name))


def keep_versioned(lookup: Lookup, name: str, value: Any) -> None:
    _keep(name, (lookup.version, value), PAGE_CACHE_SECONDS, here_for=PAGE_CACHE_SECONDS)


def beside(lookup: Lookup, name: str) -> Any:
    """An `also` value kept with keep_beside, if its time has not run out."""
    found = lookup.also.get(name)
    return found[1] if found is not None and found[0] > time.time() else None


def keep_beside(name: str, value: Any, seconds: int) -> None:
    """Keep a value that a later lookup reads among its `also` keys (in both caches), for
    `seconds` wherever it is read from."""
    _keep(name, (time.time() + seconds, value), seconds, here_for=seconds)
