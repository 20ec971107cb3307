"""The client's address, for rate limits (allauth's and ours, through the account adapter) and
consent records, from what the host in front of Mockri says.

- On Vercel (VERCEL=1, which Vercel sets): Vercel overwrites X-Forwarded-For with the client's
  address, its Python runtime passes that raw header as REMOTE_ADDR (a list, or None when
  absent), and it sends the same address as X-Real-IP.
- Behind TRUSTED_PROXY_COUNT reverse proxies of our own: each appends the address it saw to
  X-Forwarded-For, so the client's is that many entries from the end; anything before it is
  whatever the client chose to send.
- Otherwise REMOTE_ADDR, the peer of the connection.

A value that is missing or not an IP address gives None: callers decide what that means (one
shared rate-limit bucket; no address on a consent record), and no request fails over it.
"""

import ipaddress

from django.conf import settings
from django.http import HttpRequest

# The rate-limit bucket of every request whose address cannot be told: an address no client has
# (and a valid one, since allauth stores it in user sessions).
UNKNOWN_CLIENT = "0.0.0.0"  # noqa: S104 — an address recorded, never one bound to


def client_ip(request: HttpRequest) -> str | None:
    meta = request.META
    if settings.VERCEL:
        # Should a list arrive anyway, the last entry is the one the nearest hop wrote.
        return _address(meta.get("HTTP_X_REAL_IP")) or _address(
            _entries(meta.get("REMOTE_ADDR"))[-1]
        )
    if settings.TRUSTED_PROXY_COUNT:
        entries = _entries(meta.get("HTTP_X_FORWARDED_FOR"))
        if len(entries) < settings.TRUSTED_PROXY_COUNT:
            return None  # not through all our proxies: the request bypassed one
        return _address(entries[-settings.TRUSTED_PROXY_COUNT])
    return _address(meta.get("REMOTE_ADDR"))


def _entries(header: object) -> list[str]:
    return [entry.strip() for entry in header.split(",")] if isinstance(header, str) else [""]


def _address(value: object) -> str | None:
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None
