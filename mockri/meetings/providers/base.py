"""The meeting provider contract: what the rest of Mockri may ask of a video-meeting service.

Only plain data crosses the boundary: a `MeetingRequest` describing the session (never a model
instance) goes in, a `MeetingDetails` (the provider's id for the meeting and its join URL) comes
out. Implementations do their own network I/O with a timeout on every call and no retries of
their own: the tasks that call them own the retry policy.

Errors: every failure is a `ProviderError`. `permanent` says whether repeating the same call
could ever succeed: refused input, missing configuration or a meeting that no longer exists are
permanent; timeouts, connection failures, rate limiting and server errors are not. Messages are
safe to show to staff: never a token, key or secret.
"""

import datetime
from dataclasses import dataclass
from typing import Protocol


class ProviderError(Exception):
    def __init__(self, message: str, permanent: bool):
        super().__init__(message)
        self.message = message
        self.permanent = permanent


class SignatureError(ProviderError):
    """A webhook whose signature is missing or does not match: never retry, never trust."""

    def __init__(self, message: str = "The signature does not match."):
        super().__init__(message, permanent=True)


@dataclass(frozen=True)
class MeetingRequest:
    """One session, as a provider needs to know it. Times are aware datetimes in UTC."""

    booking_reference: str  # e.g. "MK-7HQ2K9P"
    booking_version: int  # bumped on every change of time or interviewer
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    title: str
    description: str
    candidate_name: str
    candidate_email: str
    candidate_timezone: str
    interviewer_name: str
    interviewer_email: str
    interviewer_timezone: str
    # Cal.com: the event type the interviewer hosts (their profile's), None for the shared one.
    interviewer_calcom_event_type_id: int | None = None

    @property
    def duration_minutes(self) -> int:
        return round((self.ends_at - self.starts_at).total_seconds() / 60)


@dataclass(frozen=True)
class MeetingDetails:
    provider: str  # "jitsi" | "google" | "calcom"
    external_id: str  # the provider's id: a room name, calendar event id or booking uid
    url: str  # the join link; "" while the provider is still making one


class MeetingProvider(Protocol):
    """One video-meeting service. Implementations: `jitsi.JitsiProvider`,
    `google.GoogleCalendarProvider`, `calcom.CalcomProvider`."""

    name: str

    def create(self, request: MeetingRequest) -> MeetingDetails:
        """Make the meeting for a session. Repeating the call for the same booking must not
        make a second meeting where the provider allows it (Google: a fixed event id; Cal.com:
        the booking carrying this booking's reference and version is found and adopted)."""

    def fetch(self, external_id: str) -> MeetingDetails:
        """Re-read a meeting made earlier. A meeting the provider deleted or cancelled raises a
        permanent ProviderError."""

    def update(
        self,
        external_id: str,
        request: MeetingRequest,
        *,
        previous_starts_at: datetime.datetime | None,
        interviewer_changed: bool = False,
    ) -> MeetingDetails:
        """Bring the meeting in line with `request` (a new time or interviewer). The returned
        `external_id` may differ from the one passed in (a Cal.com reschedule makes a new
        booking uid; Cal.com moves a session to another interviewer by cancelling the old
        booking and making a new one). `previous_starts_at` is the start the meeting was last
        set for; `interviewer_changed` says the session has another interviewer since (Google
        replaces the attendees in any case; a Jitsi room has none). Repeating a call that
        failed half-way must finish the job, not fail on what the first try already did."""

    def cancel(self, external_id: str, *, reason: str) -> None:
        """Cancel the meeting. One that is already gone counts as cancelled."""
