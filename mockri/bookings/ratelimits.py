"""The booking form's rate limits (ACCOUNT_RATE_LIMITS["booking"] and ["upload"], allauth's
format): one statement per duration of rates, atomic under concurrency.

allauth's own limiter keeps a list of timestamps per rate in the cache behind a lock: a lock, a
read, a write and an unlock per rate, about a dozen queries each on the database cache. Here each
rate is a row counting the hits of its current fixed window and of the one before, bumped by a
single INSERT … ON CONFLICT DO UPDATE … RETURNING (PostgreSQL and SQLite alike; the row lock
orders concurrent requests), one for all the rates that share a duration. A request is allowed
while the hits of its window plus the previous window's, weighted by how much of it still lies
within one duration, stay within the rate: a sliding window's estimate, so a burst across a
window boundary is not let through twice. Refused requests count too: a client that keeps sending
stays refused.

Rows hold a keyed digest of the source, never the address or account id itself, and retention
deletes them once their windows are over (rate_limit_counts_expire).
"""

import datetime
import hashlib
import hmac
import time
from collections import defaultdict

from allauth.account.adapter import get_adapter
from allauth.core.internal.ratelimit import Rate, parse_rates
from django.conf import settings
from django.db import connection

from .models import RateLimitCount

# Longer than the longest rate's two windows: what retention keeps.
KEPT = datetime.timedelta(days=3)

_UPSERT = """
INSERT INTO {table} ({key}, window_start, hits, previous_hits) VALUES {rows}
ON CONFLICT ({key}) DO UPDATE SET
  previous_hits = CASE
    WHEN {table}.window_start = excluded.window_start THEN {table}.previous_hits
    WHEN {table}.window_start = %s THEN {table}.hits
    ELSE 0 END,
  hits = CASE
    WHEN {table}.window_start = excluded.window_start THEN {table}.hits + 1 ELSE 1 END,
  window_start = excluded.window_start
RETURNING {key}, hits, previous_hits
"""


def _source(request, rate: Rate, user) -> str:
    if rate.per == "user":
        return f"user:{user.pk}"
    if rate.per == "ip":
        return f"ip:{get_adapter().get_client_ip(request)}"
    raise ValueError(f"rate {rate} must be per user or per ip here")


def _key(action: str, rate: Rate, source: str) -> str:
    message = f"{action}:{rate}:{source}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


def rate_limit_consume(request, *, action: str, user=None) -> bool:
    """Count this request against every rate of `action`, in one statement for all the rates
    of a duration (the booking form's two, per address and per account, are both per minute);
    False when one is exceeded."""
    now = time.time()
    quote = connection.ops.quote_name
    by_duration: dict[int, dict[str, Rate]] = defaultdict(dict)
    for rate in parse_rates(settings.ACCOUNT_RATE_LIMITS.get(action)):
        by_duration[int(rate.duration)][_key(action, rate, _source(request, rate, user))] = rate
    allowed = True
    with connection.cursor() as cursor:
        for duration, rates in by_duration.items():
            window_start = int(now) // duration * duration
            # Rows in one order for every request: two statements cannot lock them crosswise.
            keys = sorted(rates)
            sql = _UPSERT.format(
                table=quote(RateLimitCount._meta.db_table),
                key=quote("key"),
                rows=", ".join(["(%s, %s, 1, 0)"] * len(keys)),
            )
            params = [value for key in keys for value in (key, window_start)]
            cursor.execute(sql, [*params, window_start - duration])
            still_in_reach = 1 - (now - window_start) / duration
            for key, hits, previous_hits in cursor.fetchall():
                if hits + previous_hits * still_in_reach > rates[key].amount:
                    allowed = False
    return allowed


def rate_limit_counts_expire(*, now: datetime.datetime) -> int:
    """Retention: delete the counts whose windows are over. Returns how many went."""
    deleted, _ = RateLimitCount.objects.filter(window_start__lt=(now - KEPT).timestamp()).delete()
    return deleted
