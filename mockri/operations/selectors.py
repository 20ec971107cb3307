import datetime
import zoneinfo
from dataclasses import dataclass

from django.conf import settings
from django.db import DatabaseError, connection
from django.db.models import Count, F, Q, Sum, Value
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from mockri.bookings.enums import BookingStatus, NoShowSide, RefundDecision
from mockri.bookings.models import Booking
from mockri.catalogue.models import InterviewerProfile
from mockri.lib.money import format_inr
from mockri.payments.enums import RefundStatus
from mockri.payments.models import Payment, Refund


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

    @property
    def net_paise(self) -> int:
        return self.captured_paise - self.refunded_paise

    @property
    def net_display(self) -> str:
        """The net in rupees; refunds of earlier payments can make it negative."""
        sign = "−" if self.net_paise < 0 else ""
        return f"{sign}{format_inr(abs(self.net_paise))}"


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
    has processed (a refund's row keeps no processing time; it is processed within days)."""
    captured = Payment.objects.filter(
        captured_at__gte=period.starts_at, captured_at__lte=period.ends_at
    ).aggregate(paise=_zero(Sum("amount_paise")))["paise"]
    refunded = Refund.objects.filter(
        status=RefundStatus.PROCESSED,
        created_at__gte=period.starts_at,
        created_at__lte=period.ends_at,
    ).aggregate(paise=_zero(Sum("amount_paise")))["paise"]
    return Revenue(captured_paise=captured, refunded_paise=refunded)


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
