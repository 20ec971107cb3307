"""Google Meet links through the Google Calendar API v3, over plain HTTPS with `requests`.

The meeting is an event on the organiser's calendar (GOOGLE_CALENDAR_ID of the Google account
whose OAuth refresh token is GOOGLE_CALENDAR_REFRESH_TOKEN), with both people as attendees and a
Meet conference made through `conferenceData.createRequest`. `sendUpdates=none`: Mockri sends
its own emails. Every call first trades the refresh token for an access token (kept for the
provider object's lifetime, which is one task run).

Idempotency: the event id is derived from the booking reference, so a retried insert after a
lost response answers 409 and the existing event is read instead of a second one being made.
The conference `requestId` is derived from the reference and version, as the API asks.
"""

import datetime
import hashlib
import time
import zoneinfo
from urllib.parse import quote

import requests

from .base import MeetingDetails, MeetingRequest, ProviderError
from .network import DEFAULT_TIMEOUT, http_error, json_body, send

TOKEN_URL = "https://oauth2.googleapis.com/token"  # noqa: S105 -- an address, not a secret
API_URL = "https://www.googleapis.com/calendar/v3"
LABEL = "Google Calendar"
GONE = frozenset({404, 410})
# 403s that are quota rather than permission: retrying later can succeed.
RATE_LIMIT_REASONS = frozenset({"rateLimitExceeded", "userRateLimitExceeded"})
# Modifying calls must say they understand conference data, or Google ignores and drops it.
WRITE_PARAMS = {"conferenceDataVersion": 1, "sendUpdates": "none"}


def event_id_for(booking_reference: str) -> str:
    """A calendar event id (base32hex: a-v and 0-9, 5 to 1024 characters) fixed per booking."""
    return "mockri" + hashlib.sha256(booking_reference.encode()).hexdigest()[:32]


def conference_request_id_for(request: MeetingRequest) -> str:
    return f"mockri-{request.booking_reference}-v{request.booking_version}"


class GoogleCalendarProvider:
    """`base.MeetingProvider` for Google Meet through one organiser's Google Calendar."""

    name = "google"

    def __init__(
        self,
        *,
        client_id: str,
        client_secret: str,
        refresh_token: str,
        calendar_id: str = "primary",
        timeout: float | tuple[float, float] = DEFAULT_TIMEOUT,
        session: requests.Session | None = None,
    ):
        if not all([client_id, client_secret, refresh_token, calendar_id]):
            raise ProviderError(
                "Google Calendar needs GOOGLE_CLIENT_ID, GOOGLE_CLIENT_SECRET and "
                "GOOGLE_CALENDAR_REFRESH_TOKEN.",
                permanent=True,
            )
        self._client_id = client_id
        self._client_secret = client_secret
        self._refresh_token = refresh_token
        self.calendar_id = calendar_id
        self._timeout = timeout
        self._session = session or requests.Session()
        self._access_token = ""
        self._token_expires = 0.0

    def __repr__(self) -> str:
        return f"<GoogleCalendarProvider calendar_id={self.calendar_id!r}>"

    def create(self, request: MeetingRequest) -> MeetingDetails:
        event_id = event_id_for(request.booking_reference)
        body = {
            "id": event_id,
            **_event_fields(request),
            "conferenceData": {
                "createRequest": {
                    "requestId": conference_request_id_for(request),
                    "conferenceSolutionKey": {"type": "hangoutsMeet"},
                }
            },
        }
        response = self._call("POST", self._events_url(), params=WRITE_PARAMS, json=body)
        if response.status_code == 409:  # made by an earlier try whose answer was lost
            return self.fetch(event_id)
        return self._details(response)

    def fetch(self, external_id: str) -> MeetingDetails:
        response = self._call("GET", self._events_url(external_id))
        return self._details(response)

    def update(
        self,
        external_id: str,
        request: MeetingRequest,
        *,
        previous_starts_at: datetime.datetime | None,
        interviewer_changed: bool = False,
    ) -> MeetingDetails:
        # PATCH keeps the conference: the same Meet link serves the new time and people. The
        # attendee list is sent whole, so a new interviewer replaces the previous one.
        response = self._call(
            "PATCH",
            self._events_url(external_id),
            params=WRITE_PARAMS,
            json=_event_fields(request),
        )
        return self._details(response)

    def cancel(self, external_id: str, *, reason: str) -> None:
        response = self._call(
            "DELETE", self._events_url(external_id), params={"sendUpdates": "none"}
        )
        if response.ok or response.status_code in GONE:
            return
        raise self._error(response)

    # The network edge

    def _token(self) -> str:
        if self._access_token and time.monotonic() < self._token_expires:
            return self._access_token
        response = send(
            self._session,
            "POST",
            TOKEN_URL,
            label="Google sign-in",
            timeout=self._timeout,
            data={
                "client_id": self._client_id,
                "client_secret": self._client_secret,
                "refresh_token": self._refresh_token,
                "grant_type": "refresh_token",
            },
        )
        if not response.ok:
            # e.g. 400 {"error": "invalid_grant"}: the refresh token was revoked or expired.
            try:
                detail = str(response.json().get("error", ""))
            except (ValueError, AttributeError):
                detail = ""
            raise http_error(response, label="Google sign-in", detail=detail)
        body = json_body(response, label="Google sign-in")
        token = body.get("access_token")
        if not isinstance(token, str) or not token:
            raise ProviderError("Google sign-in sent no access token.", permanent=False)
        expires_in = body.get("expires_in")
        lifetime = expires_in if isinstance(expires_in, int) else 3600
        self._access_token = token
        self._token_expires = time.monotonic() + max(lifetime - 60, 0)
        return token

    def _events_url(self, event_id: str | None = None) -> str:
        url = f"{API_URL}/calendars/{quote(self.calendar_id, safe='')}/events"
        return url if event_id is None else f"{url}/{quote(event_id, safe='')}"

    def _call(self, method: str, url: str, **kwargs) -> requests.Response:
        headers = {"Authorization": f"Bearer {self._token()}"}
        return send(
            self._session,
            method,
            url,
            label=LABEL,
            timeout=self._timeout,
            **kwargs,
            headers=headers,
        )

    def _details(self, response: requests.Response) -> MeetingDetails:
        if response.status_code in GONE:
            raise ProviderError("The Google Calendar event no longer exists.", permanent=True)
        if not response.ok:
            raise self._error(response)
        event = json_body(response, label=LABEL)
        event_id = event.get("id")
        if not isinstance(event_id, str) or not event_id:
            raise ProviderError("Google Calendar sent an event without an id.", permanent=False)
        if event.get("status") == "cancelled":
            raise ProviderError("The Google Calendar event was deleted.", permanent=True)
        conference = event.get("conferenceData") or {}
        status = ((conference.get("createRequest") or {}).get("status") or {}).get("statusCode")
        url = meet_link(event)
        if not url and status == "failure":
            raise ProviderError("Google could not create the Meet conference.", permanent=True)
        return MeetingDetails(provider=self.name, external_id=event_id, url=url)

    def _error(self, response: requests.Response) -> ProviderError:
        detail, reasons = "", set()
        try:
            error = response.json().get("error") or {}
            detail = str(error.get("message", ""))
            reasons = {str(item.get("reason")) for item in error.get("errors") or []}
        except (ValueError, AttributeError, TypeError):
            pass
        return http_error(
            response, label=LABEL, detail=detail, transient=bool(reasons & RATE_LIMIT_REASONS)
        )


def meet_link(event: dict) -> str:
    """The join URL: `hangoutLink`, else the video entry point; "" while Google is still making
    the conference (createRequest status "pending")."""
    link = event.get("hangoutLink")
    if not link:
        entry_points = (event.get("conferenceData") or {}).get("entryPoints") or []
        link = next(
            (
                point.get("uri")
                for point in entry_points
                if isinstance(point, dict) and point.get("entryPointType") == "video"
            ),
            "",
        )
    return link if isinstance(link, str) and link.startswith("https://") else ""


def _event_fields(request: MeetingRequest) -> dict:
    zone = _known_zone(request.interviewer_timezone)
    return {
        "summary": request.title,
        "description": request.description,
        "start": {"dateTime": _local(request.starts_at, zone), "timeZone": zone},
        "end": {"dateTime": _local(request.ends_at, zone), "timeZone": zone},
        "attendees": [
            {"email": request.candidate_email, "displayName": request.candidate_name},
            {"email": request.interviewer_email, "displayName": request.interviewer_name},
        ],
        "guestsCanInviteOthers": False,
    }


def _known_zone(zone: str) -> str:
    try:
        zoneinfo.ZoneInfo(zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return "UTC"
    return zone


def _local(moment: datetime.datetime, zone: str) -> str:
    """RFC 3339 in the interviewer's zone, so the event reads naturally in their calendar."""
    return moment.astimezone(zoneinfo.ZoneInfo(zone)).isoformat()
