from django.conf import settings

from .base import MeetingProvider, ProviderError
from .calcom import CalcomProvider
from .google import GoogleCalendarProvider
from .jitsi import JitsiProvider

PROVIDER_NAMES = ("jitsi", "google", "calcom")
# The video providers the privacy policy names, in the order a fallback tries them.
LISTED_PROVIDERS = ("google", "calcom")


def provider_configured(name: str) -> bool:
    """Whether `name` has the settings it needs (settings.py checks them for MEETING_PROVIDER;
    another provider may still be set up, to serve as its fallback)."""
    if name == "jitsi":
        return settings.MEETING_JITSI_OUTSIDE_PRIVACY_POLICY
    if name == "google":
        return all(
            [
                settings.GOOGLE_CLIENT_ID,
                settings.GOOGLE_CLIENT_SECRET,
                settings.GOOGLE_CALENDAR_REFRESH_TOKEN,
            ]
        )
    if name == "calcom":
        return all(
            [settings.CALCOM_API_KEY, settings.CALCOM_EVENT_TYPE_ID, settings.CALCOM_WEBHOOK_SECRET]
        )
    return False


def fallback_providers(failed: str) -> list[str]:
    """Where a session goes when `failed` cannot give it a link: the other configured provider
    the policy names, then Jitsi only where it is allowed outside the policy (even after Jitsi
    itself: its rooms are made locally, so "failed" there only means not made yet)."""
    return [
        name
        for name in (*LISTED_PROVIDERS, "jitsi")
        if (name != failed or name == "jitsi") and provider_configured(name)
    ]


def get_provider(name: str | None = None) -> MeetingProvider:
    """The provider called `name` (default: MEETING_PROVIDER), built from the settings.

    Raises a permanent ProviderError for an unknown name, Jitsi where it is not allowed, or one
    whose settings are missing (settings.py refuses to start in that case for MEETING_PROVIDER
    itself; this covers meetings made earlier with a provider that has since been switched off).
    """
    name = name or settings.MEETING_PROVIDER
    if name == "jitsi":
        if not settings.MEETING_JITSI_OUTSIDE_PRIVACY_POLICY:
            # The last guard: no path may hand out a room on a server the policy does not name.
            raise ProviderError(
                "Jitsi is outside the privacy policy and not allowed here "
                "(MEETING_JITSI_OUTSIDE_PRIVACY_POLICY).",
                permanent=True,
            )
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
