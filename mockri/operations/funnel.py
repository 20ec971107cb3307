"""The booking steps' page-view counters (FunnelDay), kept off the busy pages' database path.

The slot picker is the busiest page, and a visitor's copy is served whole from the cache with no
query (#13). Writing its counter on every view would put one query back on every hit, and a
counter in the shared cache would not help where the cache is the database (production on
Neon: a cache increment there is a read and a write). So each process adds its views up in
memory and writes them in one statement per step at most every FLUSH_SECONDS: under load one
write per process every few seconds, whatever the traffic; when quiet (the last write longer
ago than that), each view is written at once, as before.

What a process holds back is at most the views of its last FLUSH_SECONDS. It writes them at its
next request after that (any page: `funnel_flush_if_due`), when it exits, and before the metrics
page reads the counters in that process. A process killed outright (or a serverless instance
frozen and never resumed) loses those few seconds of counts: acceptable for conversion figures,
which are counts only (no cookie, nothing about who).
"""

import atexit
import datetime
import logging
import threading
import time
import zoneinfo
from collections import Counter

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from .models import FunnelStep

logger = logging.getLogger(__name__)

FLUSH_SECONDS = 10.0

# FunnelDay's table, in one statement whatever the day: no read-then-write race, no extra
# query for a new day.
_FUNNEL_ADD_SQL = (
    "INSERT INTO operations_funnelday (day, step, count) VALUES (%s, %s, %s) "
    "ON CONFLICT (day, step) DO UPDATE SET count = operations_funnelday.count + excluded.count"
)

_lock = threading.Lock()
_pending: Counter[tuple[datetime.date, str]] = Counter()
_last_flush = -float("inf")


def funnel_count(*, step: FunnelStep, now: datetime.datetime | None = None) -> None:
    """Count one showing of a booking step's page on today's (India's) counter: in this
    process's tally, written at once if the last write is FLUSH_SECONDS old."""
    day = (now or timezone.now()).astimezone(zoneinfo.ZoneInfo(settings.TIME_ZONE)).date()
    with _lock:
        _pending[(day, step.value)] += 1
    funnel_flush_if_due()


def funnel_flush_if_due() -> None:
    """Write this process's tally if it holds counts and the last write is FLUSH_SECONDS old.
    Costs a clock read when there is nothing to write."""
    if _pending and time.monotonic() - _last_flush >= FLUSH_SECONDS:
        funnel_flush()


def funnel_flush() -> None:
    """Add this process's tally to FunnelDay's counters, one statement per day and step. A
    failed write keeps the counts for the next one: a counter never breaks a page. Called
    outside any transaction (middleware, the metrics page): inside one, a failed write would
    leave it to be rolled back."""
    global _last_flush
    with _lock:
        taken = dict(_pending)
        _pending.clear()
        _last_flush = time.monotonic()
    if not taken:
        return
    try:
        # One transaction for the statements, and no savepoint queries inside a caller's.
        with transaction.atomic(savepoint=False), connection.cursor() as cursor:
            for (day, step), count in taken.items():
                cursor.execute(_FUNNEL_ADD_SQL, [day, step, count])
    except DatabaseError:
        logger.exception("Funnel counters not written; kept for the next write")
        with _lock:
            _pending.update(taken)


def funnel_forget() -> None:
    """Drop this process's tally unwritten and start afresh (tests)."""
    global _last_flush
    with _lock:
        _pending.clear()
        _last_flush = -float("inf")


def _flush_at_exit() -> None:
    try:
        funnel_flush()
    except Exception:  # at exit, the database may be gone: nothing to do
        logger.warning("Funnel counters lost at exit", exc_info=True)


atexit.register(_flush_at_exit)
