"""An interviewer's own pages under /interviewer/ (the middleware requires two-factor there):
the dashboard, onboarding with its progress, and editing their profile and calendar."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mockri.bookings.enums import ACTIVE_STATUSES, BookingStatus
from mockri.bookings.selectors import bookings_of_interviewer
from mockri.feedback.models import Feedback
from mockri.lib.errors import PolicyViolation

from .dashboard import dashboard_widgets
from .forms import CalendarForm, ProfileForm
from .onboarding import onboarding_progress
from .selectors import profile_get_own
from .services import interviewer_calendar_update, interviewer_go_live, interviewer_profile_update


def _after_step(profile):
    """Back to onboarding until the interviewer is live; to the dashboard after."""
    if profile.went_live_at is None:
        return redirect("interviewers:onboarding")
    return redirect("interviewers:dashboard")


@never_cache
@login_required
@require_GET
def dashboard(request):
    """An interviewer's home: sessions to mark, feedback to write, upcoming sessions with the
    candidates' materials, the profile's completeness, and the panels other apps add."""
    profile = profile_get_own(user=request.user)
    now = timezone.now()
    bookings = list(
        bookings_of_interviewer(user=request.user).filter(
            status__in=[*ACTIVE_STATUSES, BookingStatus.COMPLETED, BookingStatus.NO_SHOW]
        )
    )
    recent = sorted(
        (b for b in bookings if b.status in (BookingStatus.COMPLETED, BookingStatus.NO_SHOW)),
        key=lambda b: b.starts_at,
        reverse=True,
    )[:20]
    with_feedback = set(
        Feedback.objects.filter(booking__in=[b.pk for b in recent]).values_list(
            "booking_id", flat=True
        )
    )
    return render(
        request,
        "interviewers/dashboard.html",
        {
            "profile": profile,
            "progress": onboarding_progress(profile),
            "widgets": dashboard_widgets(profile, now),
            "upcoming": [b for b in bookings if b.status in ACTIVE_STATUSES and b.starts_at > now],
            "to_mark": [
                b for b in bookings if b.status == BookingStatus.CONFIRMED and b.starts_at <= now
            ],
            "to_write": [
                b
                for b in recent
                if b.status == BookingStatus.COMPLETED and b.pk not in with_feedback
            ],
            "recent": recent,
        },
    )


@never_cache
@login_required
@require_GET
def onboarding(request):
    """The steps before going live, each with whether it is done, and the go-live button."""
    profile = profile_get_own(user=request.user)
    return render(
        request,
        "interviewers/onboarding.html",
        {"profile": profile, "progress": onboarding_progress(profile)},
    )


@never_cache
@login_required
@require_POST
def go_live(request):
    profile = profile_get_own(user=request.user)
    try:
        interviewer_go_live(profile=profile, now=timezone.now())
    except PolicyViolation as refusal:
        messages.error(request, refusal.message)
        return redirect("interviewers:onboarding")
    messages.success(request, "You're live: candidates can now find and book you.")
    return redirect("interviewers:dashboard")


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def profile_edit(request):
    """What candidates read about the interviewer. A live interviewer's changes show at once
    (staff look over them afterwards)."""
    profile = profile_get_own(user=request.user)
    form = ProfileForm(
        request.POST or None, request.FILES or None, initial=ProfileForm.initial_for(profile)
    )
    if request.method == "POST" and form.is_valid():
        interviewer_profile_update(
            profile=profile, details=form.details(), photo=form.photo_change(), now=timezone.now()
        )
        messages.success(request, "Profile saved.")
        return _after_step(profile)
    return render(
        request,
        "interviewers/profile_form.html",
        {"profile": profile, "form": form},
        status=422 if form.is_bound else 200,
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def calendar(request):
    """How sessions reach the interviewer's calendar, under the configured meeting provider."""
    profile = profile_get_own(user=request.user)
    form = CalendarForm(
        request.POST or None, initial={"calcom_event_type_id": profile.calcom_event_type_id}
    )
    provider = settings.MEETING_PROVIDER
    if request.method == "POST" and provider == "calcom" and form.is_valid():
        interviewer_calendar_update(
            profile=profile, calcom_event_type_id=form.cleaned_data["calcom_event_type_id"]
        )
        messages.success(request, "Calendar saved.")
        return _after_step(profile)
    if request.method == "POST" and provider != "calcom":
        return _after_step(profile)
    return render(
        request,
        "interviewers/calendar.html",
        {"profile": profile, "form": form, "provider": provider},
        status=422 if form.is_bound and provider == "calcom" else 200,
    )


@never_cache
@login_required
@require_GET
def own_photo(request):
    """The interviewer's own photo, shown while they edit it (also before going live)."""
    profile = profile_get_own(user=request.user)
    if not profile.photo:
        raise Http404
    return FileResponse(profile.photo.open("rb"), content_type=profile.photo_content_type)
