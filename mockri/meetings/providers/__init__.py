from django.conf import settings

from .base import MeetingProvider, ProviderError
from .calcom import CalcomProvider
from .google import GoogleCalendarProvider
from .jitsi import JitsiProvider

PROVIDER_NAMES = ("jitsi", "google", "calcom")


def get_provider(name: str | None = None) -> MeetingProvider:
    """The provider called `name` (default: MEETING_PROVIDER), built from the settings.

    Raises a permanent ProviderError for an unknown name or one whose settings are missing
    (settings.py refuses to start in that case for MEETING_PROVIDER itself; this covers
    meetings made earlier with a provider that has since been switched off).
    """
    name = name or settings.MEETING_PROVIDER
    if name == "jitsi":
        return JitsiProvider(base_url=settings.JITSI_BASE_URL)
    if name == "google":
        return GoogleCalendarProvider(
            client_id=settings.GOOGLE_CLIENT_ID,
            client_secret=settings.GOOGLE_CLIENT_SECRET,
            refresh_token=settings.GOOGLE_CALENDAR_REFRESH_TOKEN,
            calendar_id=settings.GOOGLE_CALENDAR_ID,
        )
    if name == "calcom":
        return CalcomProvider(
            api_key=settings.CALCOM_API_KEY,
            api_url=settings.CALCOM_API_URL,
            event_type_id=settings.CALCOM_EVENT_TYPE_ID,
        )
    raise ProviderError(f"There is no meeting provider called {name!r}.", permanent=True)
