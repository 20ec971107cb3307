"""Cal.com through its API v2 (bookings endpoints, version 2024-08-13), and its webhooks.

All sessions are booked on one event type (CALCOM_EVENT_TYPE_ID) of Mockri's Cal.com account:
the candidate is the attendee and the interviewer a guest. The event type's location (Cal
Video, Google Meet, ...) decides the link, which Cal.com returns as the booking's `location`.
`lengthInMinutes` is not sent (Cal.com refuses it unless the event type allows several
lengths), so the event type's length should match the sessions'.

A reschedule makes a new Cal.com booking with a new uid; `rescheduleUid` in the webhook and
`rescheduledFromUid` in the API name the old one.
"""

import datetime
import hashlib
import hmac
import json
import re
from dataclasses import dataclass
from urllib.parse import quote

import requests

from .base import MeetingDetails, MeetingRequest, ProviderError, SignatureError
from .network import DEFAULT_TIMEOUT, http_error, json_body, send

LABEL = "Cal.com"
# Required: without it Cal.com silently serves an older endpoint version with another schema.
BOOKINGS_API_VERSION = "2024-08-13"
SIGNATURE_HEADER = "X-Cal-Signature-256"
# What Cal.com sends in the signature header when the webhook has no secret.
NO_SECRET = "no-secret-provided"  # noqa: S105 -- Cal.com's placeholder, not a secret
# Booking uids go into URL paths.
UID = re.compile(r"[A-Za-z0-9_-]{1,100}")
ENDED_STATUSES = frozenset({"cancelled", "rejected"})


class CalcomProvider:
    """`base.MeetingProvider` for Cal.com bookings on one event type."""

    name = "calcom"

    def __init__(
        self,
        *,
        api_key: str,
        api_url: str,
        event_type_id: int,
        timeout: float | tuple[float, float] = DEFAULT_TIMEOUT,
        session: requests.Session | None = None,
    ):
        if not api_key or not api_url or not event_type_id:
            raise ProviderError(
                "Cal.com needs CALCOM_API_KEY, CALCOM_API_URL and CALCOM_EVENT_TYPE_ID.",
                permanent=True,
            )
        self._api_key = api_key
        self.api_url = api_url.rstrip("/")
        self.event_type_id = event_type_id
        self._timeout = timeout
        self._session = session or requests.Session()

    def __repr__(self) -> str:
        return f"<CalcomProvider event_type_id={self.event_type_id!r}>"

    def create(self, request: MeetingRequest) -> MeetingDetails:
        body = {
            "start": _utc(request.starts_at),
            "eventTypeId": self.event_type_id,
            "attendee": {
                "name": request.candidate_name,
                "email": request.candidate_email,
                "timeZone": request.candidate_timezone,
                "language": "en",
            },
            "guests": [request.interviewer_email],
            # Comes back in webhooks; Cal.com answers 500 when metadata is missing altogether.
            "metadata": {
                "mockri_booking": request.booking_reference,
                "mockri_version": str(request.booking_version),
            },
        }
        return self._booking("POST", "/bookings", json=body)

    def fetch(self, external_id: str) -> MeetingDetails:
        return self._booking("GET", f"/bookings/{_path_uid(external_id)}")

    def update(
        self,
        external_id: str,
        request: MeetingRequest,
        *,
        previous_starts_at: datetime.datetime | None,
    ) -> MeetingDetails:
        # Only the time can change through the API; the guest list of a booking cannot.
        if previous_starts_at == request.starts_at:
            return self.fetch(external_id)
        body = {"start": _utc(request.starts_at), "reschedulingReason": "Moved in Mockri."}
        return self._booking("POST", f"/bookings/{_path_uid(external_id)}/reschedule", json=body)

    def cancel(self, external_id: str, *, reason: str) -> None:
        response = self._call(
            "POST",
            f"/bookings/{_path_uid(external_id)}/cancel",
            # Cal.com refuses a cancellation without a reason.
            json={"cancellationReason": reason or "Cancelled in Mockri."},
        )
        if response.ok or response.status_code == 404:
            return
        raise _error(response)

    # The network edge

    def _call(self, method: str, path: str, **kwargs) -> requests.Response:
        headers = {
            "Authorization": f"Bearer {self._api_key}",
            "cal-api-version": BOOKINGS_API_VERSION,
        }
        return send(
            self._session,
            method,
            self.api_url + path,
            label=LABEL,
            timeout=self._timeout,
            headers=headers,
            **kwargs,
        )

    def _booking(self, method: str, path: str, **kwargs) -> MeetingDetails:
        response = self._call(method, path, **kwargs)
        if response.status_code == 404:
            raise ProviderError("The Cal.com booking no longer exists.", permanent=True)
        if not response.ok:
            raise _error(response)
        data = json_body(response, label=LABEL).get("data")
        if not isinstance(data, dict) or not isinstance(data.get("uid"), str):
            raise ProviderError("Cal.com sent a booking Mockri cannot read.", permanent=False)
        if str(data.get("status", "")).lower() in ENDED_STATUSES:
            raise ProviderError(f"The Cal.com booking is {data['status']}.", permanent=True)
        return MeetingDetails(provider=self.name, external_id=data["uid"], url=meeting_url(data))


def meeting_url(booking: dict) -> str:
    """The join link of an API v2 booking: `location` when it is a link, else the deprecated
    `meetingUrl`, else the `videoCallUrl` Cal.com keeps in the metadata."""
    metadata = booking.get("metadata") if isinstance(booking.get("metadata"), dict) else {}
    for link in (booking.get("location"), booking.get("meetingUrl"), metadata.get("videoCallUrl")):
        if isinstance(link, str) and link.startswith("https://"):
            return link
    return ""


def _error(response: requests.Response) -> ProviderError:
    # {"status": "error", "error": {"code": "BadRequestException", "message": "..."}}
    try:
        error = response.json().get("error")
        detail = str(error.get("message", "")) if isinstance(error, dict) else ""
    except (ValueError, AttributeError):
        detail = ""
    return http_error(response, label=LABEL, detail=detail)


def _path_uid(uid: str) -> str:
    if not isinstance(uid, str) or not UID.fullmatch(uid):
        raise ProviderError("That is not a Cal.com booking uid.", permanent=True)
    return quote(uid, safe="")


def _utc(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


# Webhooks


@dataclass(frozen=True)
class CalcomEvent:
    """What Mockri reads from a Cal.com webhook: ids, times and flags, never names."""

    trigger: str  # e.g. "BOOKING_CANCELLED"
    uid: str  # the booking it is about (for a reschedule, the new booking); "" when absent
    rescheduled_from_uid: str  # BOOKING_RESCHEDULED: the old booking's uid
    starts_at: datetime.datetime | None
    cancellation_reason: str
    no_show_emails: tuple[str, ...]  # BOOKING_NO_SHOW_UPDATED: attendees marked absent
    url: str  # metadata.videoCallUrl, when Cal.com sends one


def webhook_signature(body: bytes, secret: str) -> str:
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def parse_webhook(*, body: bytes, signature: str, secret: str) -> CalcomEvent:
    """Check `X-Cal-Signature-256` (hex HMAC-SHA256 of the raw body) and read the event.

    Raises SignatureError for a missing or wrong signature (or no secret configured: then
    nothing is trusted), and a permanent ProviderError for a signed body that is no event.
    """
    if not secret or not signature or signature == NO_SECRET:
        raise SignatureError()
    expected = webhook_signature(body, secret)
    if not hmac.compare_digest(expected.encode(), signature.encode()):
        raise SignatureError()
    try:
        return _event(json.loads(body))
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise ProviderError(
            "The Cal.com webhook body is not an event Mockri can read.", permanent=True
        ) from error


def _event(envelope: dict) -> CalcomEvent:
    trigger = envelope["triggerEvent"]
    if not isinstance(trigger, str):
        raise TypeError("triggerEvent")
    # MEETING_STARTED / MEETING_ENDED spread the booking at the top level, unwrapped.
    data = envelope["payload"] if isinstance(envelope.get("payload"), dict) else envelope
    metadata = data.get("metadata") if isinstance(data.get("metadata"), dict) else {}
    url = metadata.get("videoCallUrl")
    return CalcomEvent(
        trigger=trigger,
        uid=_text(data.get("uid") or data.get("bookingUid")),
        rescheduled_from_uid=_text(data.get("rescheduleUid")),
        starts_at=_moment(data.get("startTime")),
        cancellation_reason=_text(data.get("cancellationReason")),
        no_show_emails=tuple(
            attendee["email"].strip().lower()
            for attendee in data.get("attendees") or []
            if isinstance(attendee, dict)
            and attendee.get("noShow") is True
            and isinstance(attendee.get("email"), str)
        ),
        url=url if isinstance(url, str) and url.startswith("https://") else "",
    )


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def _moment(value: object) -> datetime.datetime | None:
    # Formats vary: "2024-01-01T10:00:00Z", "...00.000Z", "...+00:00".
    if not isinstance(value, str) or not value:
        return None
    moment = datetime.datetime.fromisoformat(value)
    return moment if moment.tzinfo else moment.replace(tzinfo=datetime.UTC)
