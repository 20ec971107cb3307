import dataclasses
import datetime
import html
import zoneinfo
from itertools import groupby
from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mockri.accounts.models import DEFAULT_TIMEZONE
from mockri.accounts.selectors import user_email_is_verified
from mockri.catalogue.selectors import interview_types_listed, interviewers_listed
from mockri.coupons.forms import CouponForm
from mockri.coupons.services import coupon_apply
from mockri.invoices.forms import BuyerDetailsForm
from mockri.invoices.services import buyer_details_save, invoicing_enabled
from mockri.lib.clock import time_label
from mockri.lib.dates import parse_aware_datetime
from mockri.lib.errors import DomainError, SlotUnavailable
from mockri.lib.tz import canonical_timezone, is_valid_timezone
from mockri.scheduling.slots import open_slots, open_slots_by_start

from . import services
from .availability_cache import (
    beside,
    keep_beside,
    keep_versioned,
    schedule_cache_fill,
    schedule_cache_lookup,
    versioned,
)
from .enums import ACTIVE_STATUSES, Actor, BookingStatus, FileKind, NoShowSide
from .forms import (
    BookingForm,
    CancelForm,
    OutcomeForm,
    ReassignForm,
    ReplaceFileForm,
    RescheduleForm,
)
from .models import FileAccess
from .open_starts import open_starts_any, open_starts_ready
from .ratelimits import rate_limit_consume
from .selectors import (
    PickerChoices,
    availabilities_for,
    booking_get_for_user,
    bookings_of_candidate,
    holds_its_time,
    least_busy_free_interviewer,
    picker_choices,
)

ANY = "any"
TOO_MANY_BOOKINGS = (
    "You've sent this form many times in a short while. Please wait a minute and try again."
)
DAYS_PER_PAGE = 7
MAX_PAGES = 13  # covers the longest horizon an interviewer can set (90 days)


def viewer_timezone(request) -> str:
    """The zone times are shown in: the user's own, else the one their browser reported."""
    if request.user.is_authenticated:
        return request.user.timezone
    zone = request.GET.get("tz", "")
    return canonical_timezone(zone) if is_valid_timezone(zone) else DEFAULT_TIMEZONE


def _page_number(request) -> int:
    """The week asked for: ?page=N weeks from today, or the week holding ?date=YYYY-MM-DD (the
    picker's "go to a date" field), within the weeks the picker shows."""
    try:
        if wanted := request.GET.get("date"):
            today = timezone.now().astimezone(zoneinfo.ZoneInfo(viewer_timezone(request))).date()
            page = (datetime.date.fromisoformat(wanted) - today).days // DAYS_PER_PAGE
        else:
            page = int(request.GET.get("page", 0))
    except ValueError:
        return 0
    return min(max(page, 0), MAX_PAGES - 1)


def slot_days(
    *,
    starts,
    zone: str,
    interviewer_zone: str | None,
    slot_url: str = "",
    interviewer_param: str = ANY,
) -> list[dict]:
    """Slot starts grouped by the viewer's local date, labelled in the viewer's zone and, when
    one interviewer was chosen from another zone, in theirs too."""
    viewer = zoneinfo.ZoneInfo(zone)
    other = zoneinfo.ZoneInfo(interviewer_zone) if interviewer_zone not in (None, zone) else None
    local = [(start, start.astimezone(viewer)) for start in starts]
    # "Any" is the details step's default: a busy week has hundreds of links to carry it.
    query_tail = (
        "" if interviewer_param == ANY else "&" + urlencode({"interviewer": interviewer_param})
    )
    days = []
    for date, group in groupby(local, key=lambda pair: pair[1].date()):
        slots = []
        for start, moment in group:
            slots.append(
                {
                    "start": start,
                    "start_iso": start.isoformat(),
                    "local": moment,
                    "label": time_label(moment),
                    "other_label": time_label(start.astimezone(other)) if other else "",
                    "href": f"{slot_url}?start={_start_param(start)}{query_tail}",
                }
            )
        days.append({"date": date, "label": f"{date:%A} {date.day} {date:%B}", "slots": slots})
    return days


def _start_param(start: datetime.datetime) -> str:
    """A start as a slot link carries it: ISO 8601 in UTC, to the minute when it is whole
    ("2026-12-07T22:00Z", read back by parse_aware_datetime), with nothing to percent-escape."""
    utc = start.astimezone(datetime.UTC)
    if utc.second or utc.microsecond:
        return quote(utc.isoformat())
    return utc.strftime("%Y-%m-%dT%H:%MZ")


def _details_url_from_picker(slug: str) -> str:
    """The details step's address as the picker's times link to it: relative to the picker's
    own address ("details/") when it lies below it, shorter on each of a week's hundreds."""
    picker = reverse("bookings:slots", kwargs={"slug": slug})
    details = reverse("bookings:new", kwargs={"slug": slug})
    return details.removeprefix(picker) if details.startswith(picker) else details


def _picker_context(
    request,
    *,
    choices: PickerChoices,
    slot_url="",
    exclude_booking_id=None,
    candidate=None,
):
    """The picker's times for the viewer's zone and week; `candidate`'s own sessions left out."""
    interview_type, chosen = choices.interview_type, choices.chosen
    zone = viewer_timezone(request)
    page = _page_number(request)
    now = timezone.now()
    first_day = now.astimezone(zoneinfo.ZoneInfo(zone)).date() + datetime.timedelta(
        days=page * DAYS_PER_PAGE
    )
    window_start = datetime.datetime.combine(first_day, datetime.time(), zoneinfo.ZoneInfo(zone))
    window_end = window_start + datetime.timedelta(days=DAYS_PER_PAGE)
    duration = datetime.timedelta(minutes=interview_type.duration_minutes)
    if not chosen and exclude_booking_id is None and open_starts_ready(now=now):
        # Any interviewer: the table of open starts, one query however many there are.
        starts = open_starts_any(
            interview_type=interview_type, now=now, since=window_start, until=window_end
        )
    else:
        starts = _engine_starts(
            offering=[chosen] if chosen else choices.everyone(),
            chosen=chosen,
            exclude_booking_id=exclude_booking_id,
            duration=duration,
            now=now,
            window_end=window_end,
        )
        starts = [start for start in starts if start >= window_start]
    if candidate is not None:
        busy = _own_sessions(candidate, now=now)
        starts = [start for start in starts if not _clashes(start, duration, busy)]
    return {
        "interview_type": interview_type,
        "interviewers": choices.shown,
        "interviewers_offering": choices.count,
        "chosen": chosen,
        "interviewer_param": chosen.slug if chosen else ANY,
        "viewer_timezone": zone,
        "starts": starts,
        "days": slot_days(
            starts=starts,
            zone=zone,
            interviewer_zone=chosen.user.timezone if chosen else None,
            slot_url=slot_url,
            interviewer_param=chosen.slug if chosen else ANY,
        ),
        "first_day": first_day,
        "last_day": first_day + datetime.timedelta(days=DAYS_PER_PAGE - 1),
        "page": page,
        "previous_page": page - 1 if page > 0 else None,
        "next_page": page + 1 if page + 1 < MAX_PAGES else None,
        "last_bookable_day": first_day
        + datetime.timedelta(days=(MAX_PAGES - page) * DAYS_PER_PAGE - 1),
        "today": first_day - datetime.timedelta(days=page * DAYS_PER_PAGE),
    }


# Interviewers named in the picker's chooser beside "any": a list of hundreds helps nobody pick
# (the directory, linked below it, is for finding one), and each would weigh on every page.
CHOOSER_SIZE = 10


def _engine_starts(*, offering, chosen, exclude_booking_id, duration, now, window_end) -> list:
    """The slot engine's starts before `window_end`: one interviewer's, or any's when the table
    of open starts cannot answer (not built yet, or a move that leaves a booking out)."""
    availabilities = availabilities_for(
        interviewers=[chosen] if chosen else offering,
        now=now,
        exclude_booking_id=exclude_booking_id,
        # The week's bookings, and those of the local dates it touches (daily caps).
        until=window_end + READ_BEYOND_WEEK,
    )
    if chosen:
        return [
            slot.start
            for slot in open_slots(availabilities[0], duration=duration, now=now, until=window_end)
        ]
    return list(open_slots_by_start(availabilities, duration=duration, now=now, until=window_end))


READ_BEYOND_WEEK = datetime.timedelta(days=2)
# Stands for a signed-in viewer's times in the cached page around them.
SLOTS_MARK = "<!--mockri:slots-->"


def _own_sessions(candidate, *, now) -> tuple[tuple[datetime.datetime, datetime.datetime], ...]:
    """The candidate's sessions that hold their time from now on: they cannot book over them."""
    return tuple(
        bookings_of_candidate(user=candidate)
        .filter(holds_its_time(now=now), ends_at__gt=now)
        .values_list("starts_at", "ends_at")
    )


def _clashes(start, duration, busy) -> bool:
    return any(start < ends and begins < start + duration for begins, ends in busy)


@dataclasses.dataclass(frozen=True)
class _PickerEntry:
    """A signed-in viewer's picker as kept in the shared cache: the times, their HTML, and the
    page's main part around them (SLOTS_MARK stands for them)."""

    starts: tuple[datetime.datetime, ...]
    duration: datetime.timedelta
    slots_html: bytes  # encoded once, not on every view
    page_html: bytes
    heading: dict  # what the page's title and description show


def _picker_entry(request, *, choices: PickerChoices, candidate=None):
    """What the cache keeps for the request: a visitor's whole page (or, for htmx, the times)
    as bytes, a signed-in viewer's _PickerEntry."""
    interview_type = choices.interview_type
    slot_url = _details_url_from_picker(interview_type.slug)
    context = _picker_context(request, choices=choices, slot_url=slot_url, candidate=candidate)
    slots_html = render_to_string("bookings/slot_picker.html#slots", context, request)
    if not request.user.is_authenticated:
        if request.headers.get("HX-Request"):
            return slots_html.encode()
        return render_to_string(
            "bookings/slot_picker.html", {**context, "slots_html": slots_html}, request
        ).encode()
    page_html = render_to_string(
        "bookings/slot_picker.html#picker",
        {**context, "slots_html": mark_safe(SLOTS_MARK)},  # noqa: S308 — our own constant
        request,
    )
    return _PickerEntry(
        starts=tuple(context["starts"]),
        duration=datetime.timedelta(minutes=interview_type.duration_minutes),
        slots_html=slots_html.encode(),
        page_html=page_html.encode(),
        heading={
            "name": interview_type.name,
            "duration_minutes": interview_type.duration_minutes,
        },
    )


# Stands for the picker (times and all) in a signed-in viewer's cached page frame.
PICKER_MARK = "<!--mockri:picker-->"
# How long a signed-in viewer's page frame (header, banners, footer) is kept. What it shows
# that is not in its key, a breach notice banner or an interview type's new name, is at most
# this late; the times inside it never are (they come from the schedule cache on every view).
FRAME_CACHE_SECONDS = 60


def _frame_key(request) -> str:
    """The cache key of a signed-in viewer's page frame: their session and CSRF cookie (the
    frame's forms carry a token of the cookie's secret, so a frame always matches the cookie it
    is served to), the address (forms carry it as `next`), and what the header shows of them,
    so a new name or address shows at once. Hashed: the session key and the cookie are
    credentials."""
    user = request.user
    shown = [
        request.session.session_key or "",
        request.COOKIES.get(settings.CSRF_COOKIE_NAME, ""),
        request.get_full_path(),
        user.full_name,
        user.email,
        str(user.email_bounced_at),
        str(user.is_staff),
        str(user.is_interviewer),
        user.timezone,
    ]
    digest = salted_hmac("mockri.picker-frame", "\x1f".join(shown), algorithm="sha256")
    return f"picker-frame:v3:{digest.hexdigest()}"  # v3: kept as bytes


def _personal_strings(user) -> list[tuple[bytes, bytes]]:
    """What a frame shows of the viewer (as rendered, escaped), each with the mark that stands
    for it in the cache: longest first, so a name inside another is marked after it."""
    # html.escape is what Django's escape (and so the templates) applies, without its wrappers.
    values = {html.escape(value) for value in (user.email, user.full_name, user.get_short_name())}
    ordered = sorted((value for value in values if value), key=len, reverse=True)
    return [
        (value.encode(), f"<!--mockri:who-{index}-->".encode())
        for index, value in enumerate(ordered)
    ]


def _impersonal(frame: bytes, user) -> bytes:
    """The frame as kept: the viewer's name and address replaced by marks, so the shared cache
    (whose expired rows can linger) holds no personal data beyond an initial."""
    for value, mark in _personal_strings(user):
        frame = frame.replace(value, mark)
    return frame


def _personal(frame: bytes, user) -> bytes:
    for value, mark in reversed(_personal_strings(user)):
        frame = frame.replace(mark, value)
    return frame


@never_cache
@require_GET
def slot_picker(request, slug: str):
    """Pick an interviewer (or any) and a time, shown in the viewer's own zone.

    The times are computed once per change of any schedule and per minute (notice periods move
    on), then served from the shared cache: the busiest page of the booking flow. A visitor's
    hit is one cache read and the page's bytes. A signed-in viewer's page wraps the shared part
    in their own header; their own sessions (read once per schedule change) take times out
    only when they clash with one, and then those times are computed and cached for them. The
    page around the picker (header, banners, footer) is kept per session for a minute, read in
    the same cache round trip, so a signed-in hit renders no template and reads no banner.
    """
    zone = viewer_timezone(request)
    is_htmx = bool(request.headers.get("HX-Request"))
    wanted = request.GET.get("interviewer") or ANY
    user = request.user
    signed_in = user.is_authenticated
    now = timezone.now()
    key = ":".join(
        [
            "slots-v2",  # v2: kept as bytes
            slug,
            wanted,
            zone,
            str(_page_number(request)),
            "signed-in" if signed_in else "visitor",
            "htmx" if is_htmx else "page",
        ]
    )
    own_key = f"own-sessions:{user.pk}" if signed_in else ""
    frame_key = _frame_key(request) if signed_in and not is_htmx else ""
    lookup = schedule_cache_lookup(
        key, now=now, also=tuple(name for name in (own_key, frame_key) if name)
    )
    entry = lookup.value
    choices = None

    def load_choices() -> PickerChoices:
        nonlocal choices
        if choices is None:
            interview_type = get_object_or_404(interview_types_listed(), slug=slug)
            choices = picker_choices(
                interview_type=interview_type,
                wanted_slug=None if wanted == ANY else wanted,
                shown=CHOOSER_SIZE,
            )
        return choices

    if entry is None:

        def compute():
            return _picker_entry(request, choices=load_choices())

        # Only real choices are cached, so made-up parameters cannot fill the cache.
        real = load_choices().chosen or wanted == ANY
        entry = schedule_cache_fill(lookup, compute) if real else compute()
    if not signed_in:
        return HttpResponse(entry)

    own = versioned(lookup, own_key)
    if own is None:
        own = _own_sessions(user, now=now)
        keep_versioned(lookup, own_key, own)
    slots_html = entry.slots_html
    if own and any(_clashes(start, entry.duration, own) for start in entry.starts):
        # Rare: a session of their own in this week. Their times, cached for them.
        mine = schedule_cache_lookup(f"{key}:user-{user.pk}", now=now)
        slots_html = schedule_cache_fill(
            mine,
            lambda: _picker_entry(request, choices=load_choices(), candidate=user).slots_html,
        )
    if is_htmx:
        return HttpResponse(slots_html)
    picker = entry.page_html.replace(SLOTS_MARK.encode(), slots_html)
    # Messages are shown once (rendering uses them up), so a page with any is rendered afresh
    # and never kept. So is a page for a browser without a CSRF cookie: rendering sets one.
    keep = not messages.get_messages(request) and settings.CSRF_COOKIE_NAME in request.COOKIES
    frame = beside(lookup, frame_key)
    if keep and frame is not None:
        return HttpResponse(_personal(frame, user).replace(PICKER_MARK.encode(), picker))
    response = render(
        request,
        "bookings/slot_picker_page.html",
        {
            "interview_type": entry.heading,
            "picker_html": mark_safe(PICKER_MARK if keep else picker.decode()),  # noqa: S308 — rendered by our templates
        },
    )
    if keep:
        frame = response.content
        keep_beside(frame_key, _impersonal(frame, request.user), FRAME_CACHE_SECONDS)
        response.content = frame.replace(PICKER_MARK.encode(), picker)
    return response


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def booking_new(request, slug: str):
    """The details step (job description, resume, notes); posting it makes the booking."""
    interview_type = get_object_or_404(interview_types_listed(), slug=slug)
    picker = reverse("bookings:slots", kwargs={"slug": slug})
    if not user_email_is_verified(user=request.user):
        messages.warning(request, "Please confirm your email address before booking a session.")
        return redirect("account_email")
    wanted = request.POST.get("interviewer") or request.GET.get("interviewer") or ANY
    chosen = None
    if wanted != ANY:
        chosen = get_object_or_404(
            interviewers_listed().filter(interview_types=interview_type), slug=wanted
        )
    back_to_picker = f"{picker}?{urlencode({'interviewer': wanted})}"

    status = 200
    payment_forms = _payment_forms(request, interview_type)
    if request.method == "POST":
        form = BookingForm(request.POST, request.FILES, owner=request.user)
        starts_at = form.submitted_start()
        status = 422
        if not rate_limit_consume(request, action="booking", user=request.user):
            form.add_error(None, TOO_MANY_BOOKINGS)
            status = 429
        elif all([form.is_valid(), *(extra.is_valid() for extra in payment_forms.values())]):
            try:
                booking = services.booking_create(
                    candidate=request.user,
                    interview_type=interview_type,
                    interviewer=chosen,
                    starts_at=form.cleaned_data["starts_at"],
                    job_description_text=form.cleaned_data["job_description_text"],
                    files=form.new_files(),
                    target_company=form.cleaned_data["target_company"],
                    focus_areas=form.cleaned_data["focus_areas"],
                    idempotency_key=form.cleaned_data["idempotency_key"],
                )
            except SlotUnavailable as error:
                messages.error(request, error.message)
                return redirect(back_to_picker)
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                if booking.status == BookingStatus.PENDING_PAYMENT:
                    _payment_details_keep(request, booking, payment_forms)
                    return redirect("payments:pay", reference=booking.reference)
                return redirect(booking)
    else:
        starts_at = parse_aware_datetime(request.GET.get("start"))
        form = BookingForm(owner=request.user, starts_at=starts_at)
        try:
            services.candidate_limits_check(
                candidate=request.user, interview_type=interview_type, now=timezone.now()
            )
        except DomainError as error:
            messages.error(request, error.message)
            return redirect(interview_type)
        if starts_at is not None:
            free = least_busy_free_interviewer(
                interview_type=interview_type,
                interviewer=chosen,
                starts_at=starts_at,
                now=timezone.now(),
            )
            if free is None:
                messages.error(request, services.SLOT_TAKEN)
                return redirect(back_to_picker)
    if starts_at is None:
        messages.info(request, "Please pick a time first.")
        return redirect(back_to_picker)
    return render(
        request,
        "bookings/booking_form.html",
        {
            "interview_type": interview_type,
            "chosen": chosen,
            "interviewer_param": wanted,
            "form": form,
            "starts_at": starts_at,
            "ends_at": starts_at + datetime.timedelta(minutes=interview_type.duration_minutes),
            "never_refundable": services.refund_window_closed(
                starts_at=starts_at, now=timezone.now()
            ),
            "picker_url": back_to_picker,
            **payment_forms,
        },
        status=status,
    )


# The booking page asks for its meeting panel every 5 s while the link is being made: 5 minutes,
# longer than the providers' retries before the fallback (meetings.services) take.
MEETING_POLL_LIMIT = 60


def _meeting_polls(request) -> int:
    try:
        return min(max(int(request.GET.get("polls", 0)), 0), MEETING_POLL_LIMIT)
    except ValueError:
        return MEETING_POLL_LIMIT


@never_cache
@login_required
@require_GET
def booking_meeting(request, reference: str):
    """The booking page's meeting panel alone: what it polls until the link arrives."""
    booking, role = booking_get_for_user(user=request.user, reference=reference)
    return render(
        request,
        "meetings/includes/meeting_panel.html",
        {
            "booking": booking,
            "role": role,
            "polls": _meeting_polls(request),
            "meeting_poll_limit": MEETING_POLL_LIMIT,
        },
    )


def _payment_forms(request, interview_type) -> dict:
    """The details step's coupon box and, when tax invoices are issued, billing fields: for
    paid sessions only."""
    if interview_type.is_free:
        return {}
    data = request.POST if request.method == "POST" else None
    forms = {"coupon_form": CouponForm(data, candidate=request.user, interview_type=interview_type)}
    if invoicing_enabled():
        forms["buyer_form"] = BuyerDetailsForm(data)
    return forms


def _payment_details_keep(request, booking, payment_forms: dict) -> None:
    """Put the coupon and the billing details on the new booking. A coupon used up between the
    form's check and now is reported; the pay step then shows the full price."""
    if buyer_form := payment_forms.get("buyer_form"):
        buyer_details_save(
            booking=booking,
            place_of_supply=buyer_form.cleaned_data["place_of_supply"],
            gstin=buyer_form.cleaned_data["buyer_gstin"],
        )
    if code := payment_forms["coupon_form"].cleaned_data["coupon_code"]:
        try:
            coupon_apply(booking=booking, code=code)
        except DomainError as refusal:
            messages.error(request, refusal.message)


@never_cache
@login_required
@require_GET
def booking_list(request):
    """The candidate's dashboard: upcoming, awaiting payment, past and cancelled sessions."""
    bookings = list(bookings_of_candidate(user=request.user))
    now = timezone.now()
    return render(
        request,
        "bookings/booking_list.html",
        {
            "pending": [b for b in bookings if b.status == BookingStatus.PENDING_PAYMENT],
            "upcoming": [
                b for b in bookings if b.status == BookingStatus.CONFIRMED and b.ends_at > now
            ],
            "past": sorted(
                (
                    b
                    for b in bookings
                    if b.status in (BookingStatus.COMPLETED, BookingStatus.NO_SHOW)
                    or (b.status == BookingStatus.CONFIRMED and b.ends_at <= now)
                ),
                key=lambda b: b.starts_at,
                reverse=True,
            ),
            "cancelled": [
                b for b in bookings if b.status in (BookingStatus.CANCELLED, BookingStatus.EXPIRED)
            ],
        },
    )


@never_cache
@login_required
@require_GET
def booking_detail(request, reference: str):
    booking, role = booking_get_for_user(user=request.user, reference=reference)
    now = timezone.now()
    return render(
        request,
        "bookings/booking_detail.html",
        {
            "booking": booking,
            "role": role,
            "polls": 0,
            "meeting_poll_limit": MEETING_POLL_LIMIT,
            "files": {f.kind: f for f in booking.files.all()},
            "accesses": booking.file_accesses.select_related(None)
            if role != Actor.INTERVIEWER
            else None,
            "events": booking.events.all() if role == Actor.STAFF else None,
            "can_cancel": booking.status in ACTIVE_STATUSES and now < booking.starts_at,
            "reschedule_refusal": services.reschedule_refusal(booking, actor_role=role, now=now),
            "change_deadline_hours": settings.CANDIDATE_CHANGE_DEADLINE_HOURS,
            "replace_choices": [
                ("job_description", "job description", ".pdf,.docx,.txt"),
                ("resume", "resume", ".pdf,.docx"),
            ],
            "max_reschedules": settings.CANDIDATE_MAX_RESCHEDULES,
            "can_record_outcome": (
                role in (Actor.INTERVIEWER, Actor.STAFF)
                and booking.status == BookingStatus.CONFIRMED
                and now >= booking.starts_at
            ),
            "late_for_refund": services.refund_decision_for(
                booking, actor_role=Actor.CANDIDATE, now=now
            )
            == "none",
            "cancel_form": CancelForm(),
            "outcome_form": OutcomeForm(),
            "reassign_form": ReassignForm(booking=booking) if role == Actor.STAFF else None,
            "viewer_timezone": viewer_timezone(request),
        },
    )


@never_cache
@login_required
@require_GET
def booking_file(request, reference: str, kind: str):
    """A booking's job description or resume: for its candidate, interviewer and staff only,
    every opening recorded, always as a download with the type we detected."""
    booking, role = booking_get_for_user(user=request.user, reference=reference)
    if kind not in FileKind.values:
        raise Http404
    stored = booking.files.filter(kind=kind).first()
    if stored is None:
        raise Http404
    FileAccess.objects.create(
        booking=booking,
        kind=kind,
        file_name=stored.original_name,
        accessed_by=request.user,
        accessed_by_role=role,
    )
    response = FileResponse(
        stored.file.open("rb"),
        as_attachment=True,
        filename=stored.original_name,
        content_type=stored.content_type,
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def booking_cancel(request, reference: str):
    booking, role = booking_get_for_user(user=request.user, reference=reference)
    form = CancelForm(request.POST)
    if form.is_valid():
        try:
            services.booking_cancel(
                booking, actor=request.user, actor_role=role, reason=form.cleaned_data["reason"]
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, "The session is cancelled.")
    return redirect(booking)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def booking_reschedule(request, reference: str):
    """Pick a new time with the same interviewer."""
    booking, role = booking_get_for_user(user=request.user, reference=reference)
    if request.method == "POST":
        form = RescheduleForm(request.POST)
        if form.is_valid() and request.POST.get("confirm") != "yes":
            # A move is one of only a few a candidate gets: the new time is confirmed first.
            new_start = form.cleaned_data["starts_at"]
            return render(
                request,
                "bookings/reschedule_confirm.html",
                {
                    "booking": booking,
                    "role": role,
                    "new_start": new_start,
                    "new_end": new_start + (booking.ends_at - booking.starts_at),
                    "moves_left": settings.CANDIDATE_MAX_RESCHEDULES - booking.reschedule_count,
                },
            )
        if form.is_valid():
            try:
                services.booking_reschedule(
                    booking,
                    actor=request.user,
                    actor_role=role,
                    new_start=form.cleaned_data["starts_at"],
                )
            except DomainError as error:
                messages.error(request, error.message)
            else:
                messages.success(request, "Your session has been moved.")
                return redirect(booking)
        else:
            messages.error(request, "Please pick one of the times shown.")
    interviewer = booking.interviewer
    context = _picker_context(
        request,
        choices=PickerChoices(booking.interview_type, [interviewer], 1, interviewer),
        exclude_booking_id=booking.pk,
        candidate=request.user,
    )
    context.update(
        booking=booking,
        role=role,
        reschedule_url=reverse("bookings:reschedule", kwargs={"reference": booking.reference}),
    )
    template = "bookings/reschedule.html"
    if request.headers.get("HX-Request"):
        template += "#slots"
    return render(request, template, context)


@login_required
@require_POST
def booking_outcome(request, reference: str):
    booking, role = booking_get_for_user(user=request.user, reference=reference)
    if role not in (Actor.INTERVIEWER, Actor.STAFF):
        raise Http404
    form = OutcomeForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Please choose how the session went.")
        return redirect(booking)
    outcome = form.cleaned_data["outcome"]
    try:
        services.booking_record_outcome(
            booking,
            actor=request.user,
            actor_role=role,
            no_show_side=None if outcome == "completed" else NoShowSide(outcome),
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Thank you: the session's outcome is recorded.")
    return redirect(booking)


@login_required
@require_POST
def booking_reassign(request, reference: str):
    """Staff move a session to another qualified interviewer who is free then."""
    booking, role = booking_get_for_user(user=request.user, reference=reference)
    if role != Actor.STAFF:
        raise Http404
    form = ReassignForm(request.POST, booking=booking)
    if not form.is_valid():
        messages.error(request, "Please choose an interviewer who takes this kind of session.")
        return redirect(booking)
    try:
        services.booking_reassign(
            booking, staff_user=request.user, interviewer=form.cleaned_data["interviewer"]
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"Reassigned to {booking.interviewer.display_name}.")
    return redirect(booking)


@login_required
@require_POST
def booking_replace_file(request, reference: str):
    """The candidate corrects an upcoming session's job description or resume."""
    booking, role = booking_get_for_user(user=request.user, reference=reference)
    if role != Actor.CANDIDATE:
        raise Http404
    form = ReplaceFileForm(request.POST, request.FILES, owner=request.user)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors.get("file", ["Please choose a file."])))
        return redirect(booking)
    try:
        services.booking_file_replace(
            booking, actor=request.user, kind=form.cleaned_data["kind"], new_file=form.new_file()
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Replaced. Your interviewer now sees the new file.")
    return redirect(booking)
