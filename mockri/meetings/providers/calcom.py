"""Cal.com through its API v2 (bookings endpoints, version 2024-08-13), and its webhooks.

Where a session is booked: on the event type its interviewer hosts (the
`calcom_event_type_id` staff set on their profile), else on the shared event type
CALCOM_EVENT_TYPE_ID of Mockri's Cal.com account with the interviewer as a guest. The candidate
is the attendee. The event type's location (Cal Video, Google Meet, ...) decides the link, which
Cal.com returns as the booking's `location`.

Length: Mockri asks for the session's length (`lengthInMinutes`), which Cal.com accepts only
from an event type offering several durations; one with a single length refuses the field, so
the booking is then made without it and gets the event type's length. A booking whose length is
not the session's is cancelled again and refused as a permanent error (the session falls back to
Jitsi, and staff read why on the booking): a length mismatch is a setup mistake to fix in Cal.com.

Idempotency: Cal.com takes no idempotency key, so every booking carries Mockri's reference and
the booking's version in its `metadata`. Before making one, Mockri lists the candidate's upcoming
Cal.com bookings (`GET /v2/bookings?attendeeEmail=...`, which has no metadata filter, so the
metadata is matched here): one for this reference and version, made by an earlier try whose
answer was lost, is adopted; ones for an older version are cancelled. The list shows only the
bookings the API key's user may see: those on Mockri's own event types, and those of
interviewers in a Cal.com team or organisation that user owns or administers. For other
interviewers a lost answer can still leave a booking behind (Cal.com then refuses the retry as
a double booking and the session falls back to Jitsi); see README.

A reschedule makes a new Cal.com booking with a new uid; `rescheduleUid` in the webhook and
`rescheduledFromUid` in the API name the old one. The API hands a booking to another host only
for round-robin team event types (`/reassign`), so a session moved to another interviewer gets
a new booking on the new interviewer's event type once the old one is cancelled (on the shared
event type too, so that both cases behave alike).
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
from .network import DEFAULT_TIMEOUT, MESSAGE_MAX_LENGTH, http_error, json_body, send

LABEL = "Cal.com"
# Required: without it Cal.com silently serves an older endpoint version with another schema.
BOOKINGS_API_VERSION = "2024-08-13"
SIGNATURE_HEADER = "X-Cal-Signature-256"
# What Cal.com sends in the signature header when the webhook has no secret.
NO_SECRET = "no-secret-provided"  # noqa: S105 -- Cal.com's placeholder, not a secret
# Booking uids go into URL paths.
UID = re.compile(r"[A-Za-z0-9_-]{1,100}")
ENDED_STATUSES = frozenset({"cancelled", "rejected"})
# Keys of the metadata Mockri sends with every booking (they come back in the API and webhooks).
REFERENCE_KEY = "mockri_booking"
VERSION_KEY = "mockri_version"
# Cal.com's 400 for `lengthInMinutes` on an event type with a single length.
SINGLE_LENGTH = "does not have multiple possible lengths"
# A candidate's upcoming bookings fit in one page.
LIST_PAGE_SIZE = 100
MOVED_REASON = "The session moved to another interviewer in Mockri."
STALE_REASON = "Replaced by a newer booking of the same Mockri session."
WRONG_LENGTH_REASON = "Made with the wrong length for this Mockri session."


class CalcomProvider:
    """`base.MeetingProvider` for Cal.com bookings."""

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
        self.event_type_id = event_type_id  # the shared one, for interviewers without their own
        self._timeout = timeout
        self._session = session or requests.Session()

    def __repr__(self) -> str:
        return f"<CalcomProvider event_type_id={self.event_type_id!r}>"

    def create(self, request: MeetingRequest) -> MeetingDetails:
        adopted = self._adopt(request)
        if adopted is not None:
            return self._checked(adopted, request)
        own = request.interviewer_calcom_event_type_id
        body = {
            "start": _utc(request.starts_at),
            "eventTypeId": own or self.event_type_id,
            "attendee": {
                "name": request.candidate_name,
                "email": request.candidate_email,
                "timeZone": request.candidate_timezone,
                "language": "en",
            },
            # The host of their own event type is no guest of it.
            **({} if own else {"guests": [request.interviewer_email]}),
            # Comes back in the API and webhooks; Cal.com answers 500 when metadata is missing.
            "metadata": {
                REFERENCE_KEY: request.booking_reference,
                VERSION_KEY: str(request.booking_version),
            },
            "lengthInMinutes": request.duration_minutes,
        }
        response = self._call("POST", "/bookings", json=body)
        if response.status_code == 400 and SINGLE_LENGTH in _message(response):
            del body["lengthInMinutes"]
            response = self._call("POST", "/bookings", json=body)
        if not response.ok:
            # e.g. 404 "Event type with id=... not found", 400 "User either already has booking
            # at this time or is not available".
            raise _error(response)
        return self._checked(_booking_data(response), request)

    def fetch(self, external_id: str) -> MeetingDetails:
        return self._details(self._booking("GET", f"/bookings/{_path_uid(external_id)}"))

    def update(
        self,
        external_id: str,
        request: MeetingRequest,
        *,
        previous_starts_at: datetime.datetime | None,
        interviewer_changed: bool = False,
    ) -> MeetingDetails:
        if interviewer_changed:
            # Cancelled first: on the shared event type the new booking would clash with it.
            # A retry finds it cancelled already (fine) and adopts a new one already made.
            self.cancel(external_id, reason=MOVED_REASON)
            return self.create(request)
        # Same people: only the time can have changed.
        if previous_starts_at == request.starts_at:
            return self.fetch(external_id)
        body = {"start": _utc(request.starts_at), "reschedulingReason": "Moved in Mockri."}
        path = f"/bookings/{_path_uid(external_id)}/reschedule"
        return self._details(self._booking("POST", path, json=body))

    def cancel(self, external_id: str, *, reason: str) -> None:
        path = f"/bookings/{_path_uid(external_id)}"
        # Cal.com refuses a cancellation without a reason.
        response = self._call(
            "POST", f"{path}/cancel", json={"cancellationReason": reason or "Cancelled in Mockri."}
        )
        if response.ok or response.status_code == 404:
            return
        # A second cancellation is a 400 ("This booking has already been cancelled."): look.
        if response.status_code == 400:
            check = self._call("GET", path)
            if check.status_code == 404:
                return
            if check.ok and _status(_booking_data(check)) in ENDED_STATUSES:
                return
        raise _error(response)

    # Finding what an earlier try made

    def _adopt(self, request: MeetingRequest) -> dict | None:
        """The live booking an earlier try made for this version, if the list shows one; live
        ones for older versions of the session are cancelled (a version is a time and an
        interviewer, so they are stale, and on a shared event type they block the new one)."""
        response = self._call(
            "GET",
            "/bookings",
            params={
                "attendeeEmail": request.candidate_email,
                "status": "upcoming",
                "take": LIST_PAGE_SIZE,
            },
        )
        if not response.ok:
            raise _error(response)
        listed = json_body(response, label=LABEL).get("data")
        if not isinstance(listed, list):
            raise ProviderError("Cal.com sent a bookings list Mockri cannot read.", permanent=False)
        ours = [
            booking
            for booking in listed
            if isinstance(booking, dict)
            and _metadata(booking).get(REFERENCE_KEY) == request.booking_reference
            and isinstance(booking.get("uid"), str)
            and UID.fullmatch(booking["uid"])
            and _status(booking) not in ENDED_STATUSES
        ]
        version = str(request.booking_version)
        keep = next((b for b in ours if _metadata(b).get(VERSION_KEY) == version), None)
        for booking in ours:
            if booking is not keep:
                self.cancel(booking["uid"], reason=STALE_REASON)
        return keep

    def _checked(self, booking: dict, request: MeetingRequest) -> MeetingDetails:
        """The booking's details, unless it is not as long as the session: then it is cancelled
        again and refused for good."""
        details = self._details(booking)
        length = booking.get("duration")
        if not isinstance(length, int) or length == request.duration_minutes:
            return details
        event_type = (booking.get("eventType") or {}).get("id") or booking.get("eventTypeId")
        message = (
            f"The Cal.com event type {event_type} made a {length}-minute booking for a "
            f"{request.duration_minutes}-minute session: give it that length, or offer it as one "
            "of several durations."
        )
        try:
            self.cancel(details.external_id, reason=WRONG_LENGTH_REASON)
        except ProviderError as error:
            message += f" Its booking {details.external_id} could not be cancelled: {error}"
        raise ProviderError(message[:MESSAGE_MAX_LENGTH], permanent=True)

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

    def _booking(self, method: str, path: str, **kwargs) -> dict:
        """One existing booking (read or rescheduled): a 404 means it is gone."""
        response = self._call(method, path, **kwargs)
        if response.status_code == 404:
            raise ProviderError("The Cal.com booking no longer exists.", permanent=True)
        if not response.ok:
            raise _error(response)
        return _booking_data(response)

    def _details(self, booking: dict) -> MeetingDetails:
        if _status(booking) in ENDED_STATUSES:
            raise ProviderError(f"The Cal.com booking is {booking['status']}.", permanent=True)
        return MeetingDetails(
            provider=self.name, external_id=booking["uid"], url=meeting_url(booking)
        )


def meeting_url(booking: dict) -> str:
    """The join link of an API v2 booking: `location` when it is a link, else the deprecated
    `meetingUrl`, else the `videoCallUrl` Cal.com keeps in the metadata."""
    metadata = _metadata(booking)
    for link in (booking.get("location"), booking.get("meetingUrl"), metadata.get("videoCallUrl")):
        if isinstance(link, str) and link.startswith("https://"):
            return link
    return ""


def _booking_data(response: requests.Response) -> dict:
    data = json_body(response, label=LABEL).get("data")
    if not isinstance(data, dict) or not isinstance(data.get("uid"), str):
        raise ProviderError("Cal.com sent a booking Mockri cannot read.", permanent=False)
    return data


def _metadata(booking: dict) -> dict:
    metadata = booking.get("metadata")
    return metadata if isinstance(metadata, dict) else {}


def _status(booking: dict) -> str:
    return str(booking.get("status", "")).lower()


def _message(response: requests.Response) -> str:
    # {"status": "error", "error": {"code": "BadRequestException", "message": "..."}}
    try:
        error = response.json().get("error")
        return str(error.get("message", "")) if isinstance(error, dict) else ""
    except (ValueError, AttributeError):
        return ""


def _error(response: requests.Response) -> ProviderError:
    return http_error(response, label=LABEL, detail=_message(response))


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
    # metadata.mockri_booking: Mockri's reference, on the triggers that carry the booking's
    # metadata (BOOKING_CREATED, BOOKING_RESCHEDULED, MEETING_STARTED/ENDED); "" otherwise.
    booking_reference: str = ""


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
    metadata = _metadata(data)
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
        booking_reference=_text(metadata.get(REFERENCE_KEY))[:20],
    )


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def _moment(value: object) -> datetime.datetime | None:
    # Formats vary: "2024-01-01T10:00:00Z", "...00.000Z", "...+00:00".
    if not isinstance(value, str) or not value:
        return None
    moment = datetime.datetime.fromisoformat(value)
    return moment if moment.tzinfo else moment.replace(tzinfo=datetime.UTC)
