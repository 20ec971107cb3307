import datetime
import zoneinfo
from dataclasses import dataclass
from typing import cast

from django.conf import settings
from django.db import DatabaseError, connection
from django.db.models import Count, F, Q, Sum, Value
from django.db.models.functions import Coalesce, TruncDate
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django_tasks_db.models import DBTaskResult

from mockri.accounts.models import User
from mockri.bookings.enums import BookingStatus, NoShowSide, RefundDecision
from mockri.bookings.models import Booking
from mockri.catalogue.models import InterviewerProfile
from mockri.coupons.models import CouponRedemption
from mockri.interviewers.enums import ApplicationStatus
from mockri.interviewers.models import InterviewerApplication
from mockri.lib.money import format_inr
from mockri.meetings.enums import JOINABLE_STATUSES, MeetingStatus
from mockri.meetings.models import Meeting
from mockri.notifications.models import OutboxEmail, OutboxStatus
from mockri.packs.models import PackPurchase
from mockri.payments.enums import PaymentStatus, RefundStatus
from mockri.payments.models import Payment, Refund
from mockri.privacy.models import Grievance, GrievanceStatus


def database_is_reachable() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except DatabaseError:
        return False


def task_queue_summary(*, now: datetime.datetime | None = None) -> dict:
    """How many tasks wait for a worker, and how long the oldest has waited (seconds)."""
    now = now or timezone.now()
    queued = DBTaskResult.objects.ready()
    oldest = queued.order_by("enqueued_at").values_list("enqueued_at", flat=True).first()
    return {
        "queued": queued.count(),
        "oldest_queued_age_seconds": round((now - oldest).total_seconds()) if oldest else None,
    }


# Staff metrics. Every figure is one aggregate query, whatever the number of bookings; days are
# India's calendar days (settings.TIME_ZONE), whatever the staff member's own zone.
PERIOD_DAYS = (7, 30, 90)
DEFAULT_PERIOD_DAYS = 30


@dataclass(frozen=True)
class Period:
    days: int
    starts_at: datetime.datetime  # midnight in India, `days - 1` days before today
    ends_at: datetime.datetime  # now
    first_day: datetime.date
    last_day: datetime.date


@dataclass(frozen=True)
class DayCount:
    day: datetime.date
    bookings: int


@dataclass(frozen=True)
class Revenue:
    captured_paise: int
    refunded_paise: int
    # Taken off list prices by coupons on the period's paid (or coupon-covered) bookings: the
    # captured payments are already net of it.
    coupon_discounts_paise: int = 0
    # The parts of the two totals that were pack purchases (the rest: single sessions).
    packs_captured_paise: int = 0
    packs_refunded_paise: int = 0

    @property
    def net_paise(self) -> int:
        return self.captured_paise - self.refunded_paise

    @property
    def net_display(self) -> str:
        """The net in rupees; refunds of earlier payments can make it negative."""
        return _signed_inr(self.net_paise)

    @property
    def sessions_captured_paise(self) -> int:
        return self.captured_paise - self.packs_captured_paise

    @property
    def sessions_refunded_paise(self) -> int:
        return self.refunded_paise - self.packs_refunded_paise

    @property
    def sessions_net_display(self) -> str:
        return _signed_inr(self.sessions_captured_paise - self.sessions_refunded_paise)

    @property
    def packs_net_display(self) -> str:
        return _signed_inr(self.packs_captured_paise - self.packs_refunded_paise)


def _signed_inr(paise: int) -> str:
    sign = "−" if paise < 0 else ""
    return f"{sign}{format_inr(abs(paise))}"


@dataclass(frozen=True)
class Outcomes:
    due: int
    completed: int
    cancelled: int
    no_show: int
    no_show_candidate: int
    no_show_interviewer: int
    not_marked: int

    @property
    def cancellation_percent(self) -> float | None:
        """Cancelled sessions as a percentage of those due, to one decimal; None if none were."""
        return round(100 * self.cancelled / self.due, 1) if self.due else None

    @property
    def no_show_percent(self) -> float | None:
        return round(100 * self.no_show / self.due, 1) if self.due else None


@dataclass(frozen=True)
class Metrics:
    period: Period
    bookings_per_day: list[DayCount]
    revenue: Revenue
    outcomes: Outcomes
    interviewer_load: list

    @property
    def bookings_total(self) -> int:
        return sum(day.bookings for day in self.bookings_per_day)

    @property
    def busiest_day_bookings(self) -> int:
        """The scale of the per-day bars (at least 1, so an empty period draws empty bars)."""
        return max([1, *(day.bookings for day in self.bookings_per_day)])


def metrics_period(*, days: int, now: datetime.datetime | None = None) -> Period:
    """The last `days` calendar days in India, today included, up to now."""
    if days not in PERIOD_DAYS:
        raise ValueError(f"days must be one of {PERIOD_DAYS}, not {days!r}")
    now = now or timezone.now()
    india = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    last_day = now.astimezone(india).date()
    first_day = last_day - datetime.timedelta(days=days - 1)
    starts_at = datetime.datetime.combine(first_day, datetime.time(), tzinfo=india)
    return Period(days, starts_at, now, first_day, last_day)


def bookings_per_day(*, period: Period) -> list[DayCount]:
    """Bookings created on each day of the period (India's days), zero days included."""
    rows = (
        Booking.objects.filter(created_at__gte=period.starts_at, created_at__lte=period.ends_at)
        .annotate(day=TruncDate("created_at", tzinfo=zoneinfo.ZoneInfo(settings.TIME_ZONE)))
        .values("day")
        .annotate(bookings=Count("pk"))
        .order_by("day")
    )
    counts = {row["day"]: row["bookings"] for row in rows}
    days = (period.first_day + datetime.timedelta(days=n) for n in range(period.days))
    return [DayCount(day, counts.get(day, 0)) for day in days]


def _zero(value):
    return Coalesce(value, Value(0))


def revenue_in_period(*, period: Period) -> Revenue:
    """Payments captured in the period, and refunds requested in the period that the provider
    has processed (a refund's row keeps no processing time; it is processed within days); each
    with the part that was pack purchases."""
    pack = Q(pack_purchase__isnull=False)
    captured = Payment.objects.filter(
        captured_at__gte=period.starts_at, captured_at__lte=period.ends_at
    ).aggregate(paise=_zero(Sum("amount_paise")), packs=_zero(Sum("amount_paise", filter=pack)))
    refunded = Refund.objects.filter(
        status=RefundStatus.PROCESSED,
        created_at__gte=period.starts_at,
        created_at__lte=period.ends_at,
    ).aggregate(
        paise=_zero(Sum("amount_paise")),
        packs=_zero(Sum("amount_paise", filter=Q(payment__pack_purchase__isnull=False))),
    )
    discounts = CouponRedemption.objects.filter(
        Q(booking__status__in=_WAS_PAID) | Q(pack_purchase__granted_at__isnull=False),
        redeemed_at__gte=period.starts_at,
        redeemed_at__lte=period.ends_at,
    ).aggregate(paise=_zero(Sum("discount_paise")))["paise"]
    return Revenue(
        captured_paise=captured["paise"],
        refunded_paise=refunded["paise"],
        coupon_discounts_paise=discounts,
        packs_captured_paise=captured["packs"],
        packs_refunded_paise=refunded["packs"],
    )


# Bookings whose order was paid (or covered by a coupon): confirmed, or on beyond that.
_WAS_PAID = [
    BookingStatus.CONFIRMED,
    BookingStatus.COMPLETED,
    BookingStatus.NO_SHOW,
    BookingStatus.CANCELLED,
]


# A booking that was ever a firm session: confirmed or beyond, or cancelled after it was
# confirmed. A paid booking cancelled while awaiting payment has no refund decision to make.
_WAS_CONFIRMED = Q(
    status__in=[BookingStatus.CONFIRMED, BookingStatus.COMPLETED, BookingStatus.NO_SHOW]
) | (
    Q(status=BookingStatus.CANCELLED)
    & (Q(price_paise=0) | ~Q(refund_decision=RefundDecision.NOT_APPLICABLE))
)


def session_outcomes(*, period: Period) -> Outcomes:
    """What became of the sessions due in the period: confirmed sessions whose start time fell
    in it, including those cancelled before they started."""
    figures = Booking.objects.filter(
        _WAS_CONFIRMED, starts_at__gte=period.starts_at, starts_at__lt=period.ends_at
    ).aggregate(
        due=Count("pk"),
        completed=Count("pk", filter=Q(status=BookingStatus.COMPLETED)),
        cancelled=Count("pk", filter=Q(status=BookingStatus.CANCELLED)),
        no_show=Count("pk", filter=Q(status=BookingStatus.NO_SHOW)),
        no_show_candidate=Count(
            "pk", filter=Q(status=BookingStatus.NO_SHOW, no_show_side=NoShowSide.CANDIDATE)
        ),
        no_show_interviewer=Count(
            "pk", filter=Q(status=BookingStatus.NO_SHOW, no_show_side=NoShowSide.INTERVIEWER)
        ),
        not_marked=Count("pk", filter=Q(status=BookingStatus.CONFIRMED)),
    )
    return Outcomes(**figures)


def interviewer_load(*, period: Period) -> list[InterviewerProfile]:
    """Each listed interviewer (and any other with sessions), busiest first, annotated with their
    sessions: completed, no-show and not yet marked among those due in the period, and confirmed
    ones upcoming in the next `period.days` days."""
    due = Q(bookings__starts_at__gte=period.starts_at, bookings__starts_at__lt=period.ends_at)
    ahead = Q(
        bookings__starts_at__gte=period.ends_at,
        bookings__starts_at__lt=period.ends_at + datetime.timedelta(days=period.days),
    )

    def sessions(condition):
        return Count("bookings", filter=condition)

    return list(
        InterviewerProfile.objects.annotate(
            completed=sessions(due & Q(bookings__status=BookingStatus.COMPLETED)),
            no_show=sessions(due & Q(bookings__status=BookingStatus.NO_SHOW)),
            not_marked=sessions(due & Q(bookings__status=BookingStatus.CONFIRMED)),
            upcoming=sessions(ahead & Q(bookings__status=BookingStatus.CONFIRMED)),
        )
        .annotate(sessions=F("completed") + F("no_show") + F("not_marked") + F("upcoming"))
        .filter(Q(is_listed=True) | Q(sessions__gt=0))
        .only("pk", "display_name", "slug", "is_listed")
        .order_by("-sessions", "display_name", "pk")
    )


def metrics_summary(*, days: int, now: datetime.datetime | None = None) -> Metrics:
    """The staff metrics page's figures for the last `days` days: five queries in all."""
    period = metrics_period(days=days, now=now)
    return Metrics(
        period=period,
        bookings_per_day=bookings_per_day(period=period),
        revenue=revenue_in_period(period=period),
        outcomes=session_outcomes(period=period),
        interviewer_load=interviewer_load(period=period),
    )


# "Needs attention": one bounded query per kind of risk, each item linking to where it is fixed.
ATTENTION_LIMIT = 50  # per kind; the page says when a kind has more
LINK_WITHIN = datetime.timedelta(hours=24)
# Grace before a late step counts as stuck: the task that does it runs within a minute or so.
TASK_GRACE = datetime.timedelta(minutes=10)
OUTCOME_GRACE = datetime.timedelta(hours=2)
FEEDBACK_DUE_AFTER = datetime.timedelta(hours=48)
GRIEVANCE_WARNING = datetime.timedelta(days=7)
FAILED_EMAILS_SINCE = datetime.timedelta(days=30)


@dataclass(frozen=True)
class AttentionItem:
    kind: str
    at: datetime.datetime  # when the risk arose: the queue shows the newest first
    title: str
    detail: str
    url: str
    reference: str = ""  # the booking's, when the item is about one
    when: datetime.datetime | None = None  # the session's start, shown in the operator's zone


def _booking_url(booking: Booking, anchor: str = "") -> str:
    url = reverse("operations:booking", kwargs={"reference": booking.reference})
    return f"{url}#{anchor}" if anchor else url


def attention_missing_links(*, now: datetime.datetime) -> list[AttentionItem]:
    """Confirmed sessions starting within 24 hours whose meeting has no working link."""
    bookings = (
        Booking.objects.filter(
            status=BookingStatus.CONFIRMED, starts_at__gte=now, starts_at__lt=now + LINK_WITHIN
        )
        .exclude(meeting__status__in=JOINABLE_STATUSES)
        .select_related("meeting", "interview_type")
        .order_by("starts_at")[:ATTENTION_LIMIT]
    )
    items = []
    for booking in bookings:
        meeting = getattr(booking, "meeting", None)
        state = meeting.get_status_display() if meeting else "no meeting"
        items.append(
            AttentionItem(
                "missing_link",
                booking.starts_at - LINK_WITHIN,
                f"{booking.reference}: no working meeting link",
                f"{booking.interview_type.name}; meeting: {state}",
                _booking_url(booking, "meeting"),
                booking.reference,
                booking.starts_at,
            )
        )
    return items


def attention_fallbacks(*, now: datetime.datetime) -> list[AttentionItem]:
    """Upcoming sessions that got a fallback provider's link after their own provider failed."""
    meetings = (
        Meeting.objects.filter(
            status=MeetingStatus.FAILED_OVER,
            booking__status=BookingStatus.CONFIRMED,
            booking__ends_at__gt=now,
        )
        .select_related("booking")
        .order_by("-updated_at")[:ATTENTION_LIMIT]
    )
    return [
        AttentionItem(
            "fallback",
            meeting.updated_at,
            f"{meeting.booking.reference}: fallback meeting link ({meeting.provider})",
            meeting.last_error[:200],
            _booking_url(meeting.booking, "meeting"),
            meeting.booking.reference,
        )
        for meeting in meetings
    ]


def attention_unconfirmed_payments(*, now: datetime.datetime) -> list[AttentionItem]:
    """Captured payments whose booking is not confirmed and that nothing is refunding."""
    payments = (
        Payment.objects.filter(
            status=PaymentStatus.CAPTURED,
            captured_at__lte=now - TASK_GRACE,
            booking__status__in=[BookingStatus.PENDING_PAYMENT, BookingStatus.EXPIRED],
            refunds__isnull=True,
        )
        .select_related("booking")
        .order_by("-captured_at")[:ATTENTION_LIMIT]
    )
    return [
        AttentionItem(
            "unconfirmed_payment",
            cast(datetime.datetime, payment.captured_at),  # captured: the filter needs one
            f"{booking.reference}: paid but not confirmed",
            f"{format_inr(payment.amount_paise)} captured "
            f"({payment.payment_ref or payment.order_ref}); "
            f"booking {booking.get_status_display().lower()}",
            _booking_url(booking, "payments"),
            booking.reference,
        )
        for payment in payments
        # The filter on the booking's status leaves only bookings' payments.
        if (booking := cast(Booking, payment.booking))
    ]


def attention_refunds(*, now: datetime.datetime) -> list[AttentionItem]:
    """Refunds not yet processed by the provider, or failed."""
    refunds = (
        Refund.objects.filter(
            status__in=[RefundStatus.REQUESTED, RefundStatus.PENDING, RefundStatus.FAILED]
        )
        .select_related("payment__booking", "payment__pack_purchase")
        .order_by("-updated_at")[:ATTENTION_LIMIT]
    )
    return [
        AttentionItem(
            "refund",
            refund.updated_at,
            f"{refund.payment.paid_for.reference}: refund {refund.get_status_display().lower()}",
            f"{format_inr(refund.amount_paise)}: {refund.reason}",
            _refund_url(refund),
            refund.payment.paid_for.reference,
        )
        for refund in refunds
    ]


def _refund_url(refund: Refund) -> str:
    """Where the refund is retried or checked: its booking's console page, or for a pack
    purchase (not a booking's payment: the payment's check constraint) its buyer's."""
    if refund.payment.booking is not None:
        return _booking_url(refund.payment.booking, f"refund-{refund.pk}")
    purchase = cast(PackPurchase, refund.payment.pack_purchase)
    person = reverse("operations:person", args=[purchase.candidate_id])
    return f"{person}#refund-{refund.pk}"


def attention_failed_emails(*, now: datetime.datetime) -> list[AttentionItem]:
    """Emails given up on in the last 30 days."""
    emails = (
        OutboxEmail.objects.filter(
            status=OutboxStatus.FAILED, created_at__gte=now - FAILED_EMAILS_SINCE
        )
        .select_related("booking")
        .order_by("-created_at")[:ATTENTION_LIMIT]
    )
    return [
        AttentionItem(
            "failed_email",
            email.created_at,
            f"Email failed: {email.kind} to {email.to_address}",
            email.last_error,
            _booking_url(email.booking, f"email-{email.pk}")
            if email.booking
            else f"{reverse('operations:emails')}?{urlencode({'to': email.to_address})}"
            f"#email-{email.pk}",
            email.booking.reference if email.booking else "",
        )
        for email in emails
    ]


def attention_bounced_addresses(*, now: datetime.datetime) -> list[AttentionItem]:
    """People whose address bounced: Mockri stopped emailing them."""
    people = User.objects.filter(email_bounced_at__isnull=False, is_active=True).order_by(
        "-email_bounced_at"
    )[:ATTENTION_LIMIT]
    return [
        AttentionItem(
            "bounced_address",
            cast(datetime.datetime, person.email_bounced_at),  # filtered on being set
            f"Emails bounce: {person.email}",
            f"{person.full_name}: no emails are sent to them until the address works.",
            reverse("operations:person", args=[person.pk]),
        )
        for person in people
    ]


def attention_stuck_holds(*, now: datetime.datetime) -> list[AttentionItem]:
    """Unpaid holds past their time that the worker has not expired."""
    bookings = Booking.objects.filter(
        status=BookingStatus.PENDING_PAYMENT, hold_expires_at__lte=now - TASK_GRACE
    ).order_by("-hold_expires_at")[:ATTENTION_LIMIT]
    return [
        AttentionItem(
            "stuck_hold",
            cast(datetime.datetime, booking.hold_expires_at),  # filtered on being past
            f"{booking.reference}: payment hold not expired",
            "The hold ran out but the booking still awaits payment: is the task worker running?",
            _booking_url(booking),
            booking.reference,
        )
        for booking in bookings
    ]


def attention_missing_outcomes(*, now: datetime.datetime) -> list[AttentionItem]:
    """Confirmed sessions that ended over two hours ago with no outcome recorded."""
    bookings = (
        Booking.objects.filter(status=BookingStatus.CONFIRMED, ends_at__lte=now - OUTCOME_GRACE)
        .select_related("interviewer")
        .order_by("-ends_at")[:ATTENTION_LIMIT]
    )
    return [
        AttentionItem(
            "missing_outcome",
            booking.ends_at + OUTCOME_GRACE,
            f"{booking.reference}: no outcome recorded",
            f"{booking.interviewer.display_name} has not marked it completed or a no-show.",
            _booking_url(booking, "actions"),
            booking.reference,
            booking.starts_at,
        )
        for booking in bookings
    ]


def attention_overdue_feedback(*, now: datetime.datetime) -> list[AttentionItem]:
    """Completed sessions without a scorecard 48 hours after they ended (candidates who left
    get none, so they are not waiting)."""
    bookings = (
        Booking.objects.filter(
            status=BookingStatus.COMPLETED,
            ends_at__lte=now - FEEDBACK_DUE_AFTER,
            feedback__isnull=True,
            candidate__is_active=True,
        )
        .select_related("interviewer")
        .order_by("-ends_at")[:ATTENTION_LIMIT]
    )
    return [
        AttentionItem(
            "overdue_feedback",
            booking.ends_at + FEEDBACK_DUE_AFTER,
            f"{booking.reference}: feedback overdue",
            f"{booking.interviewer.display_name} has not written the scorecard.",
            _booking_url(booking, "timeline"),
            booking.reference,
        )
        for booking in bookings
    ]


def attention_grievances(*, now: datetime.datetime) -> list[AttentionItem]:
    """Open privacy requests and grievances due within seven days, or overdue."""
    grievances = Grievance.objects.filter(
        status=GrievanceStatus.OPEN, due_at__lte=now + GRIEVANCE_WARNING
    ).order_by("due_at")[:ATTENTION_LIMIT]
    return [
        AttentionItem(
            "grievance",
            grievance.due_at - GRIEVANCE_WARNING,
            f"Grievance {grievance.reference}: answer due",
            grievance.get_kind_display(),
            reverse("operations:grievance", args=[grievance.reference]),
            when=grievance.due_at,
        )
        for grievance in grievances
    ]


def attention_applications(*, now: datetime.datetime) -> list[AttentionItem]:
    """Interviewer applications waiting for a decision, each from when it was last sent."""
    applications = InterviewerApplication.objects.filter(status=ApplicationStatus.PENDING).order_by(
        "-updated_at"
    )[:ATTENTION_LIMIT]
    return [
        AttentionItem(
            "application",
            application.updated_at,
            f"Interviewer application: {application.full_name}",
            f"{application.current_role} at {application.current_company}, "
            f"{application.years_experience} years",
            reverse("interviewers:application", args=[application.pk]),
        )
        for application in applications
    ]


ATTENTION_KINDS = {
    "missing_link": ("Sessions within 24 h without a working link", attention_missing_links),
    "fallback": ("Fallback meeting links", attention_fallbacks),
    "unconfirmed_payment": ("Paid, not confirmed", attention_unconfirmed_payments),
    "refund": ("Refunds pending or failed", attention_refunds),
    "failed_email": ("Emails failed", attention_failed_emails),
    "bounced_address": ("Addresses bouncing", attention_bounced_addresses),
    "stuck_hold": ("Payment holds stuck", attention_stuck_holds),
    "missing_outcome": ("Sessions without an outcome", attention_missing_outcomes),
    "overdue_feedback": ("Feedback overdue", attention_overdue_feedback),
    "grievance": ("Grievances near their due date", attention_grievances),
    "application": ("Interviewer applications waiting", attention_applications),
}


def needs_attention(*, now: datetime.datetime | None = None) -> list[AttentionItem]:
    """Every kind's items, newest risk first: one query per kind, whatever the table sizes."""
    now = now or timezone.now()
    items = [item for _, select in ATTENTION_KINDS.values() for item in select(now=now)]
    return sorted(items, key=lambda item: item.at, reverse=True)
