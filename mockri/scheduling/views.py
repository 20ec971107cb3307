from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from mockri.catalogue.models import InterviewerProfile
from mockri.lib.errors import DomainError

from . import services
from .forms import OverrideForm, SchedulingSettingsForm, TimeOffForm, WeeklyWindowForm
from .models import Weekday


def _own_profile(request) -> InterviewerProfile:
    profile = InterviewerProfile.objects.filter(user=request.user).select_related("user").first()
    if profile is None:
        raise Http404
    return profile


def _apply(action: str, data, profile: InterviewerProfile) -> dict:
    """Run one editor action; returns the bound form (with any errors) to show again."""
    forms = {}
    if action == "add_window":
        form = forms["window_form"] = WeeklyWindowForm(data)
        if form.is_valid():
            services.weekly_window_add(interviewer=profile, **form.cleaned_data)
            forms.pop("window_form")
    elif action == "set_override":
        form = forms["override_form"] = OverrideForm(data)
        if form.is_valid():
            services.override_set(interviewer=profile, **form.cleaned_data)
            forms.pop("override_form")
    elif action == "add_time_off":
        form = forms["time_off_form"] = TimeOffForm(data)
        if form.is_valid():
            services.time_off_add(interviewer=profile, **form.cleaned_data)
            forms.pop("time_off_form")
    elif action == "save_settings":
        form = forms["settings_form"] = SchedulingSettingsForm(data, instance=profile)
        if form.is_valid():
            services.scheduling_settings_update(interviewer=profile, **form.cleaned_data)
            forms.pop("settings_form")
    elif action in ("delete_window", "delete_override", "delete_time_off"):
        try:
            item_id = int(data.get("id", ""))
        except ValueError:
            raise Http404 from None
        delete = {
            "delete_window": lambda: services.weekly_window_delete(
                interviewer=profile, window_id=item_id
            ),
            "delete_override": lambda: services.override_delete(
                interviewer=profile, override_id=item_id
            ),
            "delete_time_off": lambda: services.time_off_delete(
                interviewer=profile, time_off_id=item_id
            ),
        }
        delete[action]()
    else:
        raise Http404
    return forms


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def availability(request):
    """An interviewer's weekly hours, date overrides, time off and booking settings, in their
    own time zone. Each change posts here; htmx swaps the editor, plain forms reload the page."""
    profile = _own_profile(request)
    bound_forms = {}
    error = None
    if request.method == "POST":
        try:
            bound_forms = _apply(request.POST.get("action", ""), request.POST, profile)
        except DomainError as problem:
            error = problem.message
        if not bound_forms and error is None and not request.headers.get("HX-Request"):
            messages.success(request, "Saved.")
            return redirect("scheduling:availability")
    today = timezone.localdate()
    windows = list(profile.weekly_availability.all())
    context = {
        "profile": profile,
        "zone": profile.user.timezone,
        "weekly": [(day.label, [w for w in windows if w.weekday == day.value]) for day in Weekday],
        "overrides": profile.availability_overrides.filter(date__gte=today),
        "time_off": profile.time_off.filter(ends_at__gte=timezone.now()),
        "window_form": WeeklyWindowForm(),
        "override_form": OverrideForm(),
        "time_off_form": TimeOffForm(),
        "settings_form": SchedulingSettingsForm(instance=profile),
        "error": error,
        **bound_forms,
    }
    failed = bool(bound_forms) or error is not None
    template = "scheduling/availability.html"
    if request.headers.get("HX-Request"):
        template += "#editor"
    return render(request, template, context, status=422 if failed else 200)
