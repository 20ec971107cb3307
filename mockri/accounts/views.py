import functools

from allauth.account.views import LoginView as AllauthLoginView
from allauth.core import ratelimit
from allauth.mfa.utils import is_mfa_enabled
from allauth.socialaccount.providers.google import views as google_views
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import NON_FIELD_ERRORS
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from mockri.lib.client_ip import client_ip

from .forms import ProfileForm, ReconsentForm
from .middleware import SESSION_CONSENTED_VERSION
from .models import ConsentSource
from .selectors import user_email_is_verified
from .services import (
    consent_record,
    user_address_check_confirm,
    user_address_check_send,
    user_profile_update,
)


class LoginView(AllauthLoginView):
    """allauth's sign-in, answering 429 (not 200) once too many attempts failed."""

    def form_invalid(self, form):
        response = super().form_invalid(form)
        if form.has_error(NON_FIELD_ERRORS, code="too_many_login_attempts"):
            response.status_code = 429
        return response


def _only_with_google(view):
    """Google sign-in's view when Google is configured, else 404: allauth's views raise
    SocialApp.DoesNotExist (a 500) when no Google app is set up, as offline."""

    @functools.wraps(view)
    def guarded(request, *args, **kwargs):
        if not settings.SOCIALACCOUNT_PROVIDERS["google"]["APPS"]:
            raise Http404("Google sign-in is not set up here.")
        return view(request, *args, **kwargs)

    return guarded


google_login = _only_with_google(google_views.oauth2_login)
google_callback = _only_with_google(google_views.oauth2_callback)
google_login_by_token = _only_with_google(google_views.login_by_token)


def _safe_next(request, default: str) -> str:
    """The posted or linked `next` when it is a path on this site, else `default` (a URL name).
    Always a URL, never a name: redirect() would try to reverse a word such as "foo" (a 500)."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate.startswith("/") and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return resolve_url(default)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def profile(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        user_profile_update(
            user=request.user,
            full_name=form.cleaned_data["full_name"],
            timezone=form.cleaned_data["timezone"],
        )
        messages.success(request, "Your profile is saved.")
        return redirect("accounts:profile")
    user = request.user
    return render(
        request,
        "accounts/profile.html",
        {
            "form": form,
            "social_accounts": list(user.socialaccount_set.all()),
            "email_verified": user_email_is_verified(user=user),
            "grievances": list(user.grievances.all()),
            "mfa_enabled": is_mfa_enabled(user),
        },
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def consent(request):
    """Accept a new version of the privacy policy, or go to the data-rights options instead."""
    next_url = _safe_next(request, "/")
    form = ReconsentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        consent_record(
            user=request.user,
            source=ConsentSource.RECONSENT,
            ip_address=client_ip(request),
        )
        request.session.pop(SESSION_CONSENTED_VERSION, None)
        messages.success(request, "Thank you. You have accepted the updated Privacy Policy.")
        return redirect(next_url)
    return render(
        request,
        "accounts/consent.html",
        {"form": form, "next": next_url, "policy_version": settings.PRIVACY_POLICY_VERSION},
    )


@never_cache
@login_required
def avatar(request):
    """The signed-in user's own profile image, served from our storage, never from Google."""
    user = request.user
    if not user.avatar:
        raise Http404
    response = FileResponse(
        user.avatar.open("rb"), content_type=user.avatar_content_type or "application/octet-stream"
    )
    response["Cache-Control"] = "private, no-store"
    return response


@never_cache
@login_required
@require_http_methods(["POST"])
def address_check_send(request):
    """Emails to the person's address bounced: send a link that proves it works again."""
    if not ratelimit.consume(request, action="manage_email", user=request.user):
        return render(request, "429.html", status=429)
    user_address_check_send(user=request.user)
    messages.info(
        request,
        f"We've sent a link to {request.user.email}. Open it to show the address works again.",
    )
    return redirect(_safe_next(request, "accounts:profile"))


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def address_check(request, token: str):
    """The emailed link: a button (so mail scanners that open links change nothing)."""
    if request.method == "POST":
        if user_address_check_confirm(user=request.user, token=token):
            messages.success(request, "Thank you: we'll email you again.")
            return redirect("accounts:profile")
        raise Http404
    return render(request, "accounts/address_check.html")
