from allauth.account.utils import perform_login
from allauth.core import ratelimit
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mockri.accounts.models import User, normalize_email
from mockri.lib.client_ip import client_ip
from mockri.lib.errors import PolicyViolation

from .enums import ApplicationStatus
from .forms import ApplicationForm, DecisionForm, InvitationAccountForm, NotesForm, QueueFilterForm
from .selectors import application_get_for_staff, applications_queue, invitation_get_by_token
from .services import (
    application_accept,
    application_decline,
    application_note,
    application_submit,
    invitation_accept,
)


@never_cache
@require_http_methods(["GET", "POST"])
def apply(request):
    """Become an interviewer: the public application form."""
    form = ApplicationForm(request.POST or None)
    if request.method == "POST":
        address = normalize_email(request.POST.get("email", ""))
        if not ratelimit.consume(request, action="interviewer_application", key=address):
            return render(request, "429.html", status=429)
        if form.is_valid():
            if not form.cleaned_data["website"]:  # a bot: thanked the same, nothing stored
                application_submit(
                    details=form.details(), ip_address=client_ip(request), now=timezone.now()
                )
            return render(request, "interviewers/application_sent.html")
    return render(
        request,
        "interviewers/application_form.html",
        {"form": form},
        status=422 if form.is_bound else 200,
    )


@never_cache
@login_required
@require_GET
def queue(request):
    """Staff: applications waiting for review (or decided), newest or oldest first, by type.
    Two-factor is required by the middleware for /staff/."""
    if not request.user.is_staff:
        raise Http404
    filters = QueueFilterForm(request.GET)
    status = request.GET.get("status")
    if status not in ApplicationStatus.values:
        status = ApplicationStatus.PENDING
    return render(
        request,
        "interviewers/application_queue.html",
        {
            "applications": applications_queue(status=status, **filters.values()),
            "filters": filters,
            "status": status,
            "statuses": ApplicationStatus.choices,
        },
    )


def _application_page(request, application, *, notes_form=None, decision_form=None, status=200):
    return render(
        request,
        "interviewers/application_detail.html",
        {
            "application": application,
            "notes_form": notes_form or NotesForm(initial={"staff_notes": application.staff_notes}),
            "decision_form": decision_form or DecisionForm(),
        },
        status=status,
    )


@never_cache
@login_required
@require_GET
def application(request, pk: int):
    """Staff: one application in full, with notes and the decision."""
    return _application_page(request, application_get_for_staff(user=request.user, pk=pk))


@never_cache
@login_required
@require_POST
def application_notes(request, pk: int):
    application = application_get_for_staff(user=request.user, pk=pk)
    form = NotesForm(request.POST)
    if not form.is_valid():
        return _application_page(request, application, notes_form=form, status=422)
    application_note(application=application, notes=form.cleaned_data["staff_notes"])
    messages.success(request, "Notes saved.")
    return redirect("interviewers:application", pk=application.pk)


@never_cache
@login_required
@require_POST
def application_decide(request, pk: int):
    application = application_get_for_staff(user=request.user, pk=pk)
    form = DecisionForm(request.POST)
    if form.is_valid():
        decide = (
            application_accept if form.cleaned_data["decision"] == "accept" else application_decline
        )
        try:
            decide(
                application=application,
                reason=form.cleaned_data["reason"],
                staff=request.user,
                now=timezone.now(),
            )
        except PolicyViolation as refusal:
            form.add_error(None, refusal.message)
        else:
            verb = "accepted and invited" if application.status == "accepted" else "declined"
            messages.success(request, f"{application.full_name}'s application is {verb}.")
            return redirect("interviewers:queue")
    return _application_page(request, application, decision_form=form, status=422)


def _invitation_gone(request, message: str):
    return render(request, "interviewers/invitation_gone.html", {"message": message}, status=410)


@never_cache
@require_http_methods(["GET", "POST"])
def invitation(request, token: str):
    """The emailed link: a new interviewer chooses a password (or, with an account already,
    signs in to it and confirms), then goes on to two-factor setup and onboarding."""
    invitation = invitation_get_by_token(token=token)
    now = timezone.now()
    if invitation.used_at is not None or invitation.expires_at <= now:
        return _invitation_gone(
            request,
            "This invitation has already been used or has expired. Write to us for a new one.",
        )
    email = invitation.application.email
    account_exists = User.objects.filter(email=email).exists()
    signed_in = request.user if request.user.is_authenticated else None
    context = {"invitation": invitation, "email": email, "account_exists": account_exists}
    if signed_in is not None and signed_in.email != email:
        return render(
            request, "interviewers/invitation.html", {**context, "wrong_account": True}, status=403
        )
    if account_exists and signed_in is None:
        login_url = f"{reverse('account_login')}?next={request.path}"
        return render(request, "interviewers/invitation.html", {**context, "login_url": login_url})
    form = InvitationAccountForm(request.POST or None, email=email) if not account_exists else None
    if request.method == "POST" and (form is None or form.is_valid()):
        try:
            account = invitation_accept(
                invitation=invitation,
                user=signed_in,
                password=form.cleaned_data["password1"] if form else "",
                now=now,
            )
        except PolicyViolation as refusal:
            return _invitation_gone(request, refusal.message)
        if signed_in is None:
            return perform_login(request, account, redirect_url=reverse("interviewers:onboarding"))
        return redirect("interviewers:onboarding")
    return render(
        request,
        "interviewers/invitation.html",
        {**context, "form": form},
        status=422 if form is not None and form.is_bound else 200,
    )


@never_cache
@login_required
@require_GET
def onboarding(request):
    """Where a new interviewer starts (the two-factor middleware has them set it up first).
    The steps themselves (profile, hours, calendar, payout details, go live) come later."""
    if not request.user.is_interviewer:
        raise Http404
    return render(
        request,
        "interviewers/onboarding.html",
        {"profile": getattr(request.user, "interviewer_profile", None)},
    )
