"""The network edge shared by the HTTP providers: one request with a timeout, and the mapping
of what went wrong to a transient or permanent ProviderError."""

from typing import Any

import requests

from .base import ProviderError

DEFAULT_TIMEOUT = (5.0, 15.0)  # (connect, read) seconds: a task waits at most this long
TRANSIENT_STATUSES = frozenset({408, 425, 429, 500, 502, 503, 504})
MESSAGE_MAX_LENGTH = 300


def send(
    session: requests.Session,
    method: str,
    url: str,
    *,
    label: str,
    timeout: float | tuple[float, float],
    **kwargs: Any,
) -> requests.Response:
    """Send one request; a connection failure or timeout is a transient ProviderError."""
    try:
        return session.request(method, url, timeout=timeout, **kwargs)
    except requests.RequestException as error:
        raise ProviderError(
            f"{label} could not be reached ({type(error).__name__}).", permanent=False
        ) from error


def json_body(response: requests.Response, *, label: str) -> dict:
    try:
        body = response.json()
    except ValueError:
        body = None
    if not isinstance(body, dict):
        raise ProviderError(f"{label} sent a response Mockri cannot read.", permanent=False)
    return body


def http_error(
    response: requests.Response, *, label: str, detail: str = "", transient: bool = False
) -> ProviderError:
    """The error for a non-2xx answer: server errors and rate limiting are worth retrying."""
    message = f"{label} answered {response.status_code}"
    if detail:
        message += f": {detail}"
    return ProviderError(
        message[:MESSAGE_MAX_LENGTH],
        permanent=not (transient or response.status_code in TRANSIENT_STATUSES),
    )
