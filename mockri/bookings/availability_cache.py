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
"""

from django.db import transaction
from django.db.models import F

from .models import ScheduleVersion

_SCHEDULE_ROW = 1
_RULES_ROW = 2


def _version(row: int) -> int:
    # Read on every slot page and booking: no ORDER BY/LIMIT for .first() to compile.
    values = list(ScheduleVersion.objects.filter(pk=row).values_list("value", flat=True))
    return values[0] if values else 0


def schedule_version() -> int:
    return _version(_SCHEDULE_ROW)


def rules_version() -> int:
    return _version(_RULES_ROW)


def _bump(row: int = _SCHEDULE_ROW) -> None:
    if not ScheduleVersion.objects.filter(pk=row).update(value=F("value") + 1):
        ScheduleVersion.objects.get_or_create(pk=row, defaults={"value": 1})


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
