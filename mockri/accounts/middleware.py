import time
import zoneinfo

from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.middleware import AuthenticationMiddleware
from django.contrib.auth.models import AnonymousUser
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.http import urlencode

from mockri.lib.errors import TwoFactorRequired

from .services import consent_is_current
from .sessions import session_user

SESSION_AUTH_AT = "mockri_auth_at"
SESSION_SEEN_AT = "mockri_seen_at"
SESSION_CONSENTED_VERSION = "mockri_consented_version"
# Refreshing the idle clock writes the session; once a minute is precise enough.
_SEEN_AT_RESOLUTION = 60


async def _anonymous() -> AnonymousUser:
    return AnonymousUser()


class VisitorAwareAuthenticationMiddleware(AuthenticationMiddleware):
    """Django's, except that a request without a session cookie is a visitor at once.

    Django's reads the user from the session, which for a request with no cookie is empty
    anyway: the same answer, but reading it marks the session accessed, and every response then
    says `Vary: Cookie`. Telling visitors apart by the cookie alone keeps the busiest pages (the
    slot picker's cached copy) clear of session work altogether. Their responses are never
    cached by anyone (`never_cache`), so the Vary header protects nothing there.

    A signed-in user is read with their session, in one query (`sessions.session_user`).
    """

    def process_request(self, request):
        if settings.SESSION_COOKIE_NAME in request.COOKIES:
            super().process_request(request)
            request.user = SimpleLazyObject(lambda: session_user(request))
            return None
        request.user = AnonymousUser()
        request.auser = _anonymous
        return None


class UserTimezoneMiddleware:
    """Show every time in the signed-in user's own time zone."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated:
            timezone.activate(zoneinfo.ZoneInfo(user.timezone))
        else:
            timezone.deactivate()
        return self.get_response(request)


class SessionLifetimeMiddleware:
    """Ends a sign-in after SESSION_IDLE_TIMEOUT of inactivity or SESSION_COOKIE_AGE in all.

    Django's cookie age alone would let an active session live for ever.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(time.time())
            session = request.session
            auth_at = session.setdefault(SESSION_AUTH_AT, now)
            seen_at = session.get(SESSION_SEEN_AT, now)
            if (
                now - seen_at > settings.SESSION_IDLE_TIMEOUT
                or now - auth_at > settings.SESSION_COOKIE_AGE
            ):
                logout(request)
                messages.info(
                    request, "You were signed out to keep your account safe. Please sign in again."
                )
                return redirect(
                    f"{reverse('account_login')}?{urlencode({'next': request.get_full_path()})}"
                )
            if now - seen_at >= _SEEN_AT_RESOLUTION or SESSION_SEEN_AT not in session:
                session[SESSION_SEEN_AT] = now
        return self.get_response(request)


def _path_starts_with_any(path: str, prefixes) -> bool:
    return any(path.startswith(prefix) for prefix in prefixes)


class PolicyConsentMiddleware:
    """A signed-in user who has not accepted the current privacy policy is asked to first.

    They may still read the policy, manage or leave their account, and sign out.
    """

    EXEMPT_PREFIXES = (
        "/account/data/",
        "/accounts/",
        "/account/consent/",
        "/privacy/",
        "/contact/",
        "/static/",
        "/healthz",
    )

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        version = settings.PRIVACY_POLICY_VERSION
        if (
            user.is_authenticated
            and request.session.get(SESSION_CONSENTED_VERSION) != version
            and not _path_starts_with_any(request.path, self.EXEMPT_PREFIXES)
        ):
            if not consent_is_current(user=user):
                return redirect(
                    f"{reverse('accounts:consent')}?{urlencode({'next': request.get_full_path()})}"
                )
            request.session[SESSION_CONSENTED_VERSION] = version
        return self.get_response(request)


SESSION_AFTER_TWO_FACTOR = "after_two_factor"


class TwoFactorRequiredMiddleware:
    """Staff and interviewers set up two-factor authentication before using their areas."""

    STAFF_PREFIXES = ("/admin/", "/console/", "/staff/", "/dev/outbox/")
    INTERVIEWER_PREFIXES = ("/interviewer/",)

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        path = request.path
        needs_second_factor = user.is_authenticated and (
            (user.is_staff and _path_starts_with_any(path, self.STAFF_PREFIXES))
            or (user.is_interviewer and _path_starts_with_any(path, self.INTERVIEWER_PREFIXES))
        )
        if needs_second_factor and not is_mfa_enabled(user):
            return self._set_up_first(request)
        return self.get_response(request)

    def process_exception(self, request, exception):
        # Raised where the need shows only once the object is loaded (e.g. a booking page).
        if isinstance(exception, TwoFactorRequired):
            return self._set_up_first(request)
        return None

    def _set_up_first(self, request):
        if request.method == "GET":
            # Where to go on once it is set up: the recovery codes page, where allauth lands
            # after activation, offers it (templates/mfa/recovery_codes/index.html).
            request.session[SESSION_AFTER_TWO_FACTOR] = request.get_full_path()
        messages.warning(
            request,
            "Set up two-factor authentication to use this area: it protects candidates' "
            "resumes and payments.",
        )
        return redirect("mfa_activate_totp")
