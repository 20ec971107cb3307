import hmac
import logging
from collections import Counter

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import DatabaseError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.csp import csp_override
from django.views.decorators.http import require_GET, require_POST

from mockri.accounts.emails import ACCESS_EMAILS
from mockri.bookings.enums import ACTIVE_STATUSES, Actor, BookingStatus
from mockri.bookings.models import Booking
from mockri.bookings.services import refund_decision_for
from mockri.lib.access import staff_only
from mockri.lib.errors import DomainError
from mockri.notifications.models import OutboxEmail
from mockri.notifications.views import EMAIL_PREVIEW_CSP
from mockri.payments.models import Refund

from .charts import bars_compared, funnel_compared
from .comparison import metrics_compared
from .forms import (
    BookingFilterForm,
    CancelForm,
    MetricsPeriodForm,
    MoveForm,
    OutcomeForm,
    ReasonForm,
    ReassignForm,
    SearchForm,
)
from .lookup import (
    booking_payments,
    booking_timeline,
    console_booking,
    console_bookings,
    console_search,
    free_interviewers_for,
    move_slots_for,
)
from .selectors import (
    ATTENTION_KINDS,
    PERIOD_DAYS,
    database_is_reachable,
    needs_attention,
    task_queue_summary,
)
from .services import (
    console_cancel,
    console_meeting_check,
    console_meeting_replace,
    console_move,
    console_reassign,
    console_record_outcome,
    console_refund_check,
    console_refund_retry,
    console_resend_email,
)
from .task_queue import task_queue_drain, task_queue_maintain

logger = logging.getLogger(__name__)


@never_cache
@require_GET
def healthz(request):
    """For load balancers and monitoring: 200 when the database answers, 503 when it does not."""
    database_ok = database_is_reachable()
    body = {"status": "ok" if database_ok else "error", "database": {"reachable": database_ok}}
    if database_ok:
        try:
            body["tasks"] = task_queue_summary()
        except DatabaseError:
            body["tasks"] = None  # the queue table is missing: migrations have not run
            body["status"] = "error"
    return JsonResponse(body, status=200 if body["status"] == "ok" else 503)


@never_cache
def cron_tasks(request):
    """Vercel Cron, every minute: reap tasks killed mid-run, restart lost periodic chains, then
    run due tasks for the time budget. 404 unless the request carries the cron secret (and
    always when none is configured), so the endpoint is invisible to everyone else."""
    if not _cron_authorized(request) or request.method != "GET":
        raise Http404
    maintained = task_queue_maintain(now=timezone.now())
    drained = task_queue_drain(budget_seconds=settings.TASK_DRAIN_BUDGET_SECONDS)
    logger.info(
        "Cron drain: ran %d (%d failed), %d remaining, stopped on %s",
        len(drained["ran"]),
        drained["failed"],
        drained["remaining"],
        drained["stopped"],
    )
    return JsonResponse({**maintained, **drained})


def _cron_authorized(request) -> bool:
    secret = settings.CRON_SECRET
    given = request.headers.get("Authorization", "")
    return bool(secret) and hmac.compare_digest(given.encode(), f"Bearer {secret}".encode())


@never_cache
@login_required
@require_GET
def metrics(request):
    """Staff only (two-factor is required by the middleware for /console/): the last 7, 30 or
    90 days beside the same number of days before them, with how each figure is computed."""
    if not request.user.is_staff:
        raise Http404
    form = MetricsPeriodForm(request.GET)
    comparison = metrics_compared(days=form.period_days())
    current, previous = comparison.current, comparison.previous
    day_names = [day.day.strftime("%a %d %b") for day in current.bookings_per_day]
    funnel_steps = [
        ("Slot picker shown", current.funnel.picker_views, previous.funnel.picker_views),
        ("Details form shown", current.funnel.details_views, previous.funnel.details_views),
        ("Booked", current.funnel.booked, previous.funnel.booked),
    ]
    context = {
        "comparison": comparison,
        "metrics": current.metrics,
        "period_choices": PERIOD_DAYS,
        "bad_days": request.GET.get("days") if not form.is_valid() else None,
        "funnel_steps": funnel_steps,
        "per_day_chart": bars_compared(
            [day.bookings for day in current.bookings_per_day],
            [day.bookings for day in previous.bookings_per_day],
            label="Bookings made per day, this period beside the previous one",
            current_names=day_names,
        ),
        "funnel_chart": funnel_compared(
            funnel_steps, label="Conversion from slot picker to booking, both periods"
        ),
    }
    return render(request, "operations/metrics.html", context)


# --- The operations console: /console/ (two-factor required by the middleware for staff) ---

BOOKINGS_PER_PAGE = 25


def _console_render(request, template: str, context: dict, attention=None):
    """A console page, with the "needs attention" count its header shows."""
    attention = needs_attention() if attention is None else attention
    return render(
        request,
        template,
        {"attention": attention, "attention_count": len(attention), **context},
    )


@never_cache
@login_required
@require_GET
def console_home(request):
    """The operator's home: the search box and the "needs attention" queue, newest risk first."""
    staff_only(request)
    attention = needs_attention()
    counts = Counter(item.kind for item in attention)
    kinds = [(kind, label, counts[kind]) for kind, (label, _) in ATTENTION_KINDS.items()]
    return _console_render(request, "operations/console_home.html", {"kinds": kinds}, attention)


@never_cache
@login_required
@require_GET
def console_search_view(request):
    """One box: booking reference, receipt number, Razorpay id, or a person's email or name."""
    staff_only(request)
    form = SearchForm(request.GET)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    results = console_search(query=query)
    if len(results.bookings) == 1 and results.bookings[0].reference.lower() == query.lower():
        return redirect("operations:booking", reference=results.bookings[0].reference)
    return _console_render(
        request,
        "operations/console_search.html",
        {"query": query, "results": results},
    )


@never_cache
@login_required
@require_GET
def console_booking_list(request):
    """Every booking, filtered, newest start first, a page at a time."""
    staff_only(request)
    form = BookingFilterForm(request.GET)
    filters = form.filters()
    attention = needs_attention()
    if form.cleaned_data.get("attention"):
        filters["references"] = sorted({item.reference for item in attention if item.reference})
    paginator = Paginator(console_bookings(**filters), BOOKINGS_PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return _console_render(
        request,
        "operations/console_bookings.html",
        {"form": form, "page": page, "filter_query": query.urlencode()},
        attention,
    )


def _booking_or_404(reference: str) -> Booking:
    booking = console_booking(reference=reference)
    if booking is None:
        raise Http404("No such booking.")
    return booking


@never_cache
@login_required
@require_GET
def console_booking_view(request, reference: str):
    """A booking's whole story on one page, and what staff can do about it."""
    staff_only(request)
    booking = _booking_or_404(reference)
    return _console_render(request, "operations/console_booking.html", _story(booking))


def _story(booking: Booking, **forms) -> dict:
    now = timezone.now()
    free = (
        free_interviewers_for(booking=booking, now=now) if booking.status in ACTIVE_STATUSES else []
    )
    movable = booking.status == BookingStatus.CONFIRMED and now < booking.starts_at
    slots = move_slots_for(booking=booking, now=now) if movable else []
    return {
        "booking": booking,
        "timeline": booking_timeline(booking=booking),
        "payments": booking_payments(booking=booking),
        "refund_form": forms.get("refund_form"),
        "free_interviewers": free,
        "can_cancel": booking.status in ACTIVE_STATUSES and now < booking.starts_at,
        "can_record_outcome": booking.status == BookingStatus.CONFIRMED
        and now >= booking.starts_at,
        "policy_refund": refund_decision_for(booking, actor_role=Actor.STAFF, now=now),
        "one_time_kinds": ACCESS_EMAILS,
        "reassign_form": forms.get("reassign_form") or ReassignForm(free=free),
        "cancel_form": forms.get("cancel_form") or CancelForm(),
        "outcome_form": forms.get("outcome_form") or OutcomeForm(),
        "resend_form": ReasonForm(),
        "can_move": movable,
        "move_form": forms.get("move_form") or MoveForm(slots=slots),
        "can_replace_meeting": booking.status == BookingStatus.CONFIRMED and now < booking.ends_at,
        "meeting_form": forms.get("meeting_form") or ReasonForm(),
        "check_form": forms.get("check_form") or ReasonForm(prefix="check"),
    }


def _act(request, booking: Booking, form, action, done: str, form_name: str, anchor: str = ""):
    """Run one console action from a bound form: its service's refusal, or the form's errors,
    show on the booking's page again (422); success goes back to the page (at `anchor`) with a
    message."""
    if form.is_valid():
        try:
            action()
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, done)
            url = reverse("operations:booking", kwargs={"reference": booking.reference})
            return redirect(f"{url}#{anchor}" if anchor else url)
    response = _console_render(
        request, "operations/console_booking.html", _story(booking, **{form_name: form})
    )
    response.status_code = 422
    return response


@login_required
@require_POST
def console_reassign_view(request, reference: str):
    staff_only(request)
    booking = _booking_or_404(reference)
    free = free_interviewers_for(booking=booking, now=timezone.now())
    form = ReassignForm(request.POST, free=free)
    return _act(
        request,
        booking,
        form,
        lambda: console_reassign(
            booking=booking,
            staff_user=request.user,
            interviewer=form.cleaned_data["interviewer"],
            reason=form.cleaned_data["reason"],
        ),
        "Reassigned: the candidate and both interviewers are being emailed.",
        "reassign_form",
    )


@login_required
@require_POST
def console_move_view(request, reference: str):
    staff_only(request)
    booking = _booking_or_404(reference)
    form = MoveForm(request.POST, slots=move_slots_for(booking=booking, now=timezone.now()))
    return _act(
        request,
        booking,
        form,
        lambda: console_move(
            booking=booking,
            staff_user=request.user,
            new_start=form.cleaned_data["new_start"],
            reason=form.cleaned_data["reason"],
        ),
        "Moved: the candidate and the interviewer are being emailed the new time.",
        "move_form",
    )


@login_required
@require_POST
def console_meeting_view(request, reference: str):
    staff_only(request)
    booking = _booking_or_404(reference)
    form = ReasonForm(request.POST)
    return _act(
        request,
        booking,
        form,
        lambda: console_meeting_replace(
            booking=booking, staff_user=request.user, reason=form.cleaned_data["reason"]
        ),
        "The meeting link is replaced; see its state below.",
        "meeting_form",
    )


@login_required
@require_POST
def console_meeting_check_view(request, reference: str):
    staff_only(request)
    booking = _booking_or_404(reference)
    form = ReasonForm(request.POST, prefix="check")
    return _act(
        request,
        booking,
        form,
        lambda: console_meeting_check(
            booking=booking, staff_user=request.user, reason=form.cleaned_data["reason"]
        ),
        "The meeting link is checked at its provider; see its state below.",
        "check_form",
    )


@login_required
@require_POST
def console_cancel_view(request, reference: str):
    staff_only(request)
    booking = _booking_or_404(reference)
    form = CancelForm(request.POST)
    return _act(
        request,
        booking,
        form,
        lambda: console_cancel(
            booking=booking,
            staff_user=request.user,
            refund=form.cleaned_data["refund"],
            refund_amount_paise=form.refund_amount_paise(),
            reason=form.cleaned_data["reason"],
        ),
        "Cancelled.",
        "cancel_form",
    )


@login_required
@require_POST
def console_outcome_view(request, reference: str):
    staff_only(request)
    booking = _booking_or_404(reference)
    form = OutcomeForm(request.POST)
    return _act(
        request,
        booking,
        form,
        lambda: console_record_outcome(
            booking=booking,
            staff_user=request.user,
            no_show_side=form.no_show_side(),
            reason=form.cleaned_data["reason"],
        ),
        "The outcome is recorded.",
        "outcome_form",
    )


@login_required
@require_POST
def console_resend_view(request, reference: str, email_id: int):
    staff_only(request)
    booking = _booking_or_404(reference)
    email = get_object_or_404(OutboxEmail, pk=email_id, booking=booking)
    form = ReasonForm(request.POST)
    return _act(
        request,
        booking,
        form,
        lambda: console_resend_email(
            email=email, staff_user=request.user, reason=form.cleaned_data["reason"]
        ),
        f"The {email.kind.replace('_', ' ')} email to {email.to_address} is queued again.",
        "resend_form",
    )


def _refund_of(booking: Booking, refund_id: int) -> Refund:
    return get_object_or_404(
        Refund.objects.select_related("payment"), pk=refund_id, payment__booking=booking
    )


@login_required
@require_POST
def console_refund_retry_view(request, reference: str, refund_id: int):
    staff_only(request)
    booking = _booking_or_404(reference)
    refund = _refund_of(booking, refund_id)
    form = ReasonForm(request.POST)
    return _act(
        request,
        booking,
        form,
        lambda: console_refund_retry(
            refund=refund, staff_user=request.user, reason=form.cleaned_data["reason"]
        ),
        "The refund is asked for again; its state shows under Payments.",
        "refund_form",
        anchor="payments",
    )


@login_required
@require_POST
def console_refund_check_view(request, reference: str, refund_id: int):
    staff_only(request)
    booking = _booking_or_404(reference)
    refund = _refund_of(booking, refund_id)
    form = ReasonForm(request.POST)

    def check():
        checked = console_refund_check(
            refund=refund, staff_user=request.user, reason=form.cleaned_data["reason"]
        )
        messages.info(request, f"The payment provider says the refund is {refund_state(checked)}.")

    return _act(
        request,
        booking,
        form,
        check,
        "Checked with the payment provider; the refund's state shows under Payments.",
        "refund_form",
        anchor="payments",
    )


def refund_state(refund: Refund) -> str:
    return refund.get_status_display().lower()


@never_cache
@login_required
@require_GET
@csp_override(EMAIL_PREVIEW_CSP)
def console_email_view(request, email_id: int):
    """One email's HTML as it was sent; a one-time body was removed and is not shown."""
    staff_only(request)
    email = get_object_or_404(OutboxEmail, pk=email_id)
    if email.kind in ACCESS_EMAILS or not email.html_body:
        raise Http404
    return HttpResponse(email.html_body)
