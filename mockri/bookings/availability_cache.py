"""A marker that changes whenever anything that decides open slots changes.

The slot picker caches its rendered times under the current marker, so a page is computed once
per change (or per minute, as notice periods move on) instead of once per visitor. Every write
that can open or close a slot calls `schedule_changed()`: booking services explicitly (they
write with UPDATE, which sends no signals), catalogue and availability models through signals.

The marker is one database row rather than a cache entry: bumping it is a single UPDATE, and
every web process sees the same value the moment the change is committed.
"""

from django.db import transaction
from django.db.models import F

from .models import ScheduleVersion

_ROW = 1


def schedule_version() -> int:
    return ScheduleVersion.objects.filter(pk=_ROW).values_list("value", flat=True).first() or 0


def _bump() -> None:
    if not ScheduleVersion.objects.filter(pk=_ROW).update(value=F("value") + 1):
        ScheduleVersion.objects.get_or_create(pk=_ROW, defaults={"value": 1})


def schedule_changed() -> None:
    """Mark every cached slot page stale, once the current transaction commits."""
    transaction.on_commit(_bump)
