"""Jitsi Meet: the zero-credential default. A room exists as soon as someone opens its URL, so
nothing is called over the network; the room name is the only secret (anyone who knows it can
join), hence 24 random characters. Jitsi lower-cases room names, so only [a-z0-9-] are used."""

import datetime
import secrets
import string

from .base import MeetingDetails, MeetingRequest, ProviderError

ROOM_ALPHABET = string.ascii_lowercase + string.digits
ROOM_RANDOM_LENGTH = 24  # 36**24 ≈ 2**124 names


def new_room_name() -> str:
    return "mockri-" + "".join(secrets.choice(ROOM_ALPHABET) for _ in range(ROOM_RANDOM_LENGTH))


class JitsiProvider:
    """`base.MeetingProvider` for a Jitsi Meet server (meet.jit.si unless configured)."""

    name = "jitsi"

    def __init__(self, *, base_url: str):
        if not base_url.startswith(("https://", "http://")):
            raise ProviderError("JITSI_BASE_URL must be an http(s) address.", permanent=True)
        self.base_url = base_url.rstrip("/")

    def create(self, request: MeetingRequest) -> MeetingDetails:
        return self._details(new_room_name())

    def fetch(self, external_id: str) -> MeetingDetails:
        return self._details(external_id)

    def update(
        self,
        external_id: str,
        request: MeetingRequest,
        *,
        previous_starts_at: datetime.datetime | None,
        interviewer_changed: bool = False,
    ) -> MeetingDetails:
        if interviewer_changed:
            # The previous interviewer knows this room's name, which is all it takes to join.
            return self._details(new_room_name())
        # A room has no time and no guest list: the same link works at the new time.
        return self._details(external_id)

    def cancel(self, external_id: str, *, reason: str) -> None:
        """Nothing to do remotely: an unused room simply never exists."""

    def _details(self, room: str) -> MeetingDetails:
        return MeetingDetails(provider=self.name, external_id=room, url=f"{self.base_url}/{room}")
