from allauth.account.decorators import reauthentication_required
from allauth.core import ratelimit
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mockri.lib.errors import PolicyViolation

from .erasure import account_erase, consent_withdraw, erasure_consequences
from .exports import data_export_claim, data_export_request
from .forms import AccountDeleteForm, GrievanceForm, NomineeForm
from .policy import current_policy
from .selectors import (
    breach_notice_get_for_user,
    grievance_for_confirmation,
    personal_data_summary,
)
from .services import (
    MAX_NOMINEES,
    breach_notice_acknowledge,
    grievance_confirm,
    grievance_submit,
    nominee_add,
    nominee_remove,
)


def privacy_policy(request):
    return render(
        request,
        "privacy/policy.html",
        {"policy": current_policy(), "policy_version": settings.PRIVACY_POLICY_VERSION},
    )


@never_cache
@require_http_methods(["GET", "POST"])
def grievance(request):
    """The privacy request and grievance form, signed in or not."""
    initial = (
        {"name": request.user.full_name, "email": request.user.email}
        if request.user.is_authenticated
        else {}
    )
    form = GrievanceForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if not ratelimit.consume(request, action="grievance"):
            return render(request, "429.html", status=429)
        if form.is_valid():
            if form.cleaned_data["website"]:
                # A bot: thank it as if it had worked, and store nothing.
                return render(request, "privacy/grievance_sent.html", {"grievance": None})
            ticket = grievance_submit(
                user=request.user,
                name=form.cleaned_data["name"],
                email=form.cleaned_data["email"],
                kind=form.cleaned_data["kind"],
                message=form.cleaned_data["message"],
                now=timezone.now(),
            )
            return render(request, "privacy/grievance_sent.html", {"grievance": ticket})
    return render(
        request,
        "privacy/grievance.html",
        {"form": form, "grievance_days": settings.GRIEVANCE_RESPONSE_DAYS},
        status=422 if form.is_bound else 200,
    )


@never_cache
@require_http_methods(["GET", "POST"])
def grievance_confirmation(request, token: str):
    """The link emailed to an account's registered address: its owner confirms that a privacy
    request naming the address is theirs. Confirming takes a POST, so a mail scanner that
    opens links confirms nothing."""
    grievance = grievance_for_confirmation(token=token)
    if request.method == "POST":
        try:
            grievance = grievance_confirm(token=token, now=timezone.now())
        except PolicyViolation as refusal:
            return _confirmation_page(request, grievance, gone=refusal.message, status=410)
        return _confirmation_page(request, grievance)
    if grievance.verified_at is not None or grievance.confirm_expires_at <= timezone.now():
        return _confirmation_page(
            request, grievance, gone="This link has already been used or has expired.", status=410
        )
    return _confirmation_page(request, grievance, token=token)


def _confirmation_page(request, grievance, *, token="", gone="", status=200):
    return render(
        request,
        "privacy/grievance_confirm.html",
        {"grievance": grievance, "token": token, "gone": gone},
        status=status,
    )


def _my_data_page(request, *, nominee_form=None, status=200):
    return render(
        request,
        "privacy/my_data.html",
        {
            "summary": personal_data_summary(user=request.user),
            "exports": request.user.data_exports.all()[:3],
            "export_link_hours": settings.DATA_EXPORT_LINK_HOURS,
            "grievance_days": settings.GRIEVANCE_RESPONSE_DAYS,
            "nominees": list(request.user.nominees.all()),
            "nominee_form": nominee_form or NomineeForm(),
            "max_nominees": MAX_NOMINEES,
        },
        status=status,
    )


@never_cache
@login_required
@require_GET
def my_data(request):
    """What Mockri holds about the signed-in user, why, and who received it."""
    return _my_data_page(request)


@never_cache
@login_required
@reauthentication_required
@require_POST
def nominee_new(request):
    """Name someone to exercise the person's rights on their death or incapacity."""
    form = NomineeForm(request.POST)
    if form.is_valid():
        try:
            nominee_add(user=request.user, **form.cleaned_data)
        except PolicyViolation as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(request, f"{form.cleaned_data['name']} is now your nominee.")
            return redirect("privacy:my_data")
    return _my_data_page(request, nominee_form=form, status=422)


@never_cache
@login_required
@require_POST
def nominee_delete(request, pk: int):
    if not nominee_remove(user=request.user, nominee_id=pk):
        raise Http404
    messages.success(request, "Your nominee is removed.")
    return redirect("privacy:my_data")


@never_cache
@login_required
@reauthentication_required
@require_POST
def export_request(request):
    """Download my data: build a copy in the background and email a one-time link."""
    if not ratelimit.consume(request, action="data_export", user=request.user):
        return render(request, "429.html", status=429)
    try:
        data_export_request(user=request.user, requested_by=request.user, now=timezone.now())
    except PolicyViolation as refusal:
        messages.info(request, refusal.message)
    else:
        messages.success(
            request,
            "We're preparing a copy of your data. We'll email you a download link when it's "
            "ready, usually within minutes.",
        )
    return redirect("privacy:my_data")


@never_cache
@login_required
@reauthentication_required
@require_GET
def export_download(request, token: str):
    """The emailed link: works once, for its owner (who confirms it is them), until it
    expires; 404 for anyone else."""
    try:
        opened = data_export_claim(user=request.user, token=token, now=timezone.now())
    except PolicyViolation as refusal:
        return render(request, "privacy/export_gone.html", {"message": refusal.message}, status=410)
    if opened is None:
        raise Http404
    return FileResponse(
        opened,
        as_attachment=True,
        filename=f"mockri-data-{timezone.localdate():%Y-%m-%d}.zip",
        content_type="application/zip",
    )


def _erasure_page(request, *, withdrawing: bool):
    form = AccountDeleteForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        user, now = request.user, timezone.now()
        if withdrawing:
            consent_withdraw(user=user, now=now)
        else:
            account_erase(user=user, requested_by=user, reason="At your request.", now=now)
        logout(request)
        return render(request, "privacy/account_deleted.html", {"withdrawing": withdrawing})
    return render(
        request,
        "privacy/account_delete.html",
        {
            "form": form,
            "withdrawing": withdrawing,
            "consequences": erasure_consequences(user=request.user, now=timezone.now()),
            "change_deadline_hours": settings.CANDIDATE_CHANGE_DEADLINE_HOURS,
        },
        status=422 if form.is_bound else 200,
    )


@never_cache
@login_required
@reauthentication_required(allow_get=True)
@require_http_methods(["GET", "POST"])
def account_delete(request):
    """Delete my account: the consequences first, then re-authentication and confirmation."""
    return _erasure_page(request, withdrawing=False)


@never_cache
@login_required
@reauthentication_required(allow_get=True)
@require_http_methods(["GET", "POST"])
def consent_withdrawal(request):
    """Withdraw consent: processing is needed to provide the service, so the account ends."""
    return _erasure_page(request, withdrawing=True)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def breach_notice(request, pk: int):
    """A breach notice to the signed-in user, in full; posting acknowledges it."""
    notice = breach_notice_get_for_user(user=request.user, pk=pk)
    if request.method == "POST":
        breach_notice_acknowledge(notice=notice, now=timezone.now())
        messages.success(request, "Thank you for reading this notice.")
        return redirect("privacy:breach_notice", pk=notice.pk)
    return render(
        request,
        "privacy/breach_notice.html",
        {"notice": notice, "incident": notice.incident, "breach_notice_shown": notice.pk},
    )
