from allauth.core import ratelimit
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from .forms import GrievanceForm
from .policy import current_policy
from .selectors import personal_data_summary
from .services import grievance_submit


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
@login_required
@require_GET
def my_data(request):
    """What Mockri holds about the signed-in user, why, and who received it."""
    summary = personal_data_summary(user=request.user)
    return render(request, "privacy/my_data.html", {"summary": summary})
