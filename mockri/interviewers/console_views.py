"""Staff pages under /console/ (the middleware requires staff two-factor there): the
application queue, the interviewers with pause / unlist / resume, and the spot-check list of
changes live interviewers made to what candidates see."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from mockri.lib.access import staff_only
from mockri.lib.errors import PolicyViolation

from .enums import ApplicationStatus
from .forms import DecisionForm, HoldForm, NotesForm, QueueFilterForm
from .selectors import (
    application_get_for_staff,
    applications_queue,
    interviewer_get_for_staff,
    interviewers_for_staff,
    spot_check_get_for_staff,
    spot_checks_open,
)
from .services import (
    application_accept,
    application_decline,
    application_note,
    interviewer_pause,
    interviewer_resume,
    interviewer_unlist,
    invitation_resend,
    profile_change_clear,
)


@never_cache
@login_required
@require_GET
def queue(request):
    """Staff: applications waiting for review (or decided), newest or oldest first, by type."""
    staff_only(request)
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
            "invitations": application.invitations.order_by("-created_at"),
            "now": timezone.now(),
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


@never_cache
@login_required
@require_POST
def invitation_send_again(request, pk: int):
    """Staff: a new invitation link for an accepted applicant (the old one expired or was lost)."""
    application = application_get_for_staff(user=request.user, pk=pk)
    try:
        invitation_resend(application=application, staff=request.user, now=timezone.now())
    except PolicyViolation as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, f"A new invitation is on its way to {application.email}.")
    return redirect("interviewers:application", pk=application.pk)


@never_cache
@login_required
@require_GET
def interviewer_list(request):
    """Staff: every interviewer, whether live, onboarding, paused or unlisted, with the record of
    those changes and the open spot-checks."""
    staff_only(request)
    return render(
        request,
        "interviewers/console_interviewers.html",
        {"interviewers": interviewers_for_staff(), "hold_form": HoldForm()},
    )


@never_cache
@login_required
@require_POST
def interviewer_hold(request, pk: int):
    """Staff: pause, unlist or resume one interviewer, with the reason."""
    profile = interviewer_get_for_staff(user=request.user, pk=pk)
    form = HoldForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose pause, unlist or resume and give the reason.")
        return redirect("interviewers:console_list")
    change = {
        "pause": interviewer_pause,
        "unlist": interviewer_unlist,
        "resume": interviewer_resume,
    }
    change[form.cleaned_data["action"]](
        profile, reason=form.cleaned_data["reason"], by=request.user, now=timezone.now()
    )
    messages.success(request, f"{profile.display_name}: done.")
    return redirect("interviewers:console_list")


@never_cache
@login_required
@require_GET
def spot_checks(request):
    """Staff: what live interviewers changed that candidates see, to look over."""
    staff_only(request)
    return render(request, "interviewers/console_spot_checks.html", {"changes": spot_checks_open()})


@never_cache
@login_required
@require_POST
def spot_check_clear(request, pk: int):
    change = spot_check_get_for_staff(user=request.user, pk=pk)
    profile_change_clear(change=change, staff=request.user, now=timezone.now())
    return redirect("interviewers:spot_checks")
