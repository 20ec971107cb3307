import zoneinfo

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from .forms import CandidateProfileForm
from .selectors import candidate_profile_of, preparation_plan
from .services import candidate_profile_update


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def plan(request):
    """The candidate's target job (all optional) and, with a role and a date, the plan of
    practice sessions worked back from their real interview."""
    now = timezone.now()
    today = now.astimezone(zoneinfo.ZoneInfo(request.user.timezone)).date()
    profile = candidate_profile_of(user=request.user)
    # Bound on every POST: clearing every field is a choice too (they are all optional).
    data = request.POST if request.method == "POST" else None
    form = CandidateProfileForm(data, instance=profile, today=today)
    if request.method == "POST":
        if form.is_valid():
            candidate_profile_update(user=request.user, now=now, **form.cleaned_data)
            messages.success(request, "Saved. Your plan below follows what you told us.")
            return redirect("preparation:plan")
        status = 422
    else:
        status = 200
    shown = preparation_plan(user=request.user, profile=profile, now=now) if profile else None
    return render(
        request,
        "preparation/plan.html",
        {"form": form, "profile": profile, "shown": shown, "today": today},
        status=status,
    )
