"""A shared marker that changes whenever anything that decides open slots changes.

The slot picker caches its rendered times under the current marker, so a page is computed once
per change (or per minute, as notice periods move on) instead of once per visitor. Every write
that can open or close a slot calls `schedule_changed()`: booking services explicitly (they
write with UPDATE, which sends no signals), catalogue and availability models through signals.
"""

import uuid

from django.core.cache import cache
from django.db import transaction

VERSION_KEY = "bookings:schedule-version"


def schedule_version() -> str:
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, uuid.uuid4().hex, timeout=None)
        version = cache.get(VERSION_KEY)
    return version


def schedule_changed() -> None:
    """Mark every cached slot page stale, once the current transaction commits."""
    transaction.on_commit(lambda: cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None))
