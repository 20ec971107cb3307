"""The metrics page's figures for the chosen period beside the same number of days before it,
each with how it is computed. A fixed number of aggregate queries whatever the table sizes
(the median reads one pair of times per scorecard written in the period)."""

import datetime
import statistics
from dataclasses import dataclass

from django.db.models import Count, F, Q, Sum

from mockri.bookings.models import Booking
from mockri.feedback.models import Feedback
from mockri.lib.money import format_inr
from mockri.payments.enums import RefundStatus
from mockri.payments.models import Payment, Refund

from .funnel import funnel_flush
from .models import FunnelDay, FunnelStep
from .selectors import (
    _WAS_CONFIRMED,
    DayCount,
    Metrics,
    Period,
    _zero,
    bookings_per_day,
    metrics_summary,
    revenue_in_period,
    session_outcomes,
)

ONE_DAY = datetime.timedelta(days=1)


def previous_period(period: Period) -> Period:
    """The `period.days` whole days just before `period`."""
    first_day = period.first_day - datetime.timedelta(days=period.days)
    starts_at = period.starts_at - datetime.timedelta(days=period.days)
    ends_at = period.starts_at - datetime.timedelta(microseconds=1)
    return Period(period.days, starts_at, ends_at, first_day, period.first_day - ONE_DAY)


@dataclass(frozen=True)
class Funnel:
    picker_views: int
    details_views: int
    booked: int


def funnel_in_period(*, period: Period) -> Funnel:
    """Slot picker pages shown, booking details forms shown (the day's counters, no visitor
    data), and bookings made in the period that became firm sessions (paid, or free). This
    process's tally is written first; other processes' are at most a few seconds behind."""
    funnel_flush()
    views = dict(
        FunnelDay.objects.filter(day__gte=period.first_day, day__lte=period.last_day)
        .values("step")
        .annotate(total=Sum("count"))
        .values_list("step", "total")
    )
    booked = Booking.objects.filter(
        _WAS_CONFIRMED, created_at__gte=period.starts_at, created_at__lte=period.ends_at
    ).count()
    return Funnel(
        picker_views=views.get(FunnelStep.PICKER_VIEWED, 0),
        details_views=views.get(FunnelStep.DETAILS_VIEWED, 0),
        booked=booked,
    )


@dataclass(frozen=True)
class TypeRevenue:
    name: str
    payments: int
    captured_paise: int


def revenue_by_type(*, period: Period) -> list[TypeRevenue]:
    """Payments captured in the period by the booked interview type, largest first."""
    rows = (
        Payment.objects.filter(captured_at__gte=period.starts_at, captured_at__lte=period.ends_at)
        .values(name=F("booking__interview_type__name"))
        .annotate(payments=Count("pk"), paise=Sum("amount_paise"))
        .order_by("-paise", "name")
    )
    return [TypeRevenue(row["name"], row["payments"], row["paise"]) for row in rows]


@dataclass(frozen=True)
class RefundTotals:
    processed_paise: int
    waiting_paise: int
    failed_paise: int


def refund_totals(*, period: Period) -> RefundTotals:
    """Refunds requested in the period, by where they stand now."""
    waiting = [RefundStatus.REQUESTED, RefundStatus.PENDING]
    totals = Refund.objects.filter(
        created_at__gte=period.starts_at, created_at__lte=period.ends_at
    ).aggregate(
        processed=_zero(Sum("amount_paise", filter=Q(status=RefundStatus.PROCESSED))),
        waiting=_zero(Sum("amount_paise", filter=Q(status__in=waiting))),
        failed=_zero(Sum("amount_paise", filter=Q(status=RefundStatus.FAILED))),
    )
    return RefundTotals(totals["processed"], totals["waiting"], totals["failed"])


def median_hours_to_feedback(*, period: Period) -> float | None:
    """The median time from a session's end to its scorecard, over scorecards written in the
    period, in hours to one decimal; None when none were."""
    pairs = Feedback.objects.filter(
        submitted_at__gte=period.starts_at, submitted_at__lte=period.ends_at
    ).values_list("submitted_at", "booking__ends_at")
    hours = [(submitted - ended).total_seconds() / 3600 for submitted, ended in pairs]
    return round(statistics.median(hours), 1) if hours else None


@dataclass(frozen=True)
class Figure:
    """One figure for both periods. `unit`: count, paise, percent or hours."""

    label: str
    how: str
    unit: str
    current: float | None
    previous: float | None

    def _show(self, value: float | None) -> str:
        if value is None:
            return "–"
        if self.unit == "paise":
            return ("−" if value < 0 else "") + format_inr(abs(int(value)))
        if self.unit == "percent":
            return f"{value:g}%"
        if self.unit == "hours":
            return f"{value:g} h"
        return f"{value:g}"

    @property
    def current_display(self) -> str:
        return self._show(self.current)

    @property
    def previous_display(self) -> str:
        return self._show(self.previous)

    @property
    def change_display(self) -> str:
        """Percentage points for rates; otherwise the relative change ("new" from nothing)."""
        if self.current is None or self.previous is None:
            return "–"
        difference = self.current - self.previous
        if self.unit == "percent":
            return f"{difference:+.1f} pts"
        if self.previous == 0:
            return "new" if self.current else "0%"
        return f"{100 * difference / abs(self.previous):+.0f}%"


def _percent(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


@dataclass(frozen=True)
class PeriodFigures:
    period: Period
    metrics: Metrics | None  # the current period's full figures (with the interviewer load)
    bookings_per_day: list[DayCount]
    funnel: Funnel
    by_type: list[TypeRevenue]
    refunds: RefundTotals
    median_feedback_hours: float | None


@dataclass(frozen=True)
class Comparison:
    current: PeriodFigures
    previous: PeriodFigures
    figures: list[Figure]


def _period_figures(period: Period, metrics: Metrics | None = None) -> PeriodFigures:
    return PeriodFigures(
        period=period,
        metrics=metrics,
        bookings_per_day=metrics.bookings_per_day if metrics else bookings_per_day(period=period),
        funnel=funnel_in_period(period=period),
        by_type=revenue_by_type(period=period),
        refunds=refund_totals(period=period),
        median_feedback_hours=median_hours_to_feedback(period=period),
    )


def metrics_compared(*, days: int, now: datetime.datetime | None = None) -> Comparison:
    """The last `days` days beside the `days` before them."""
    metrics = metrics_summary(days=days, now=now)
    current = _period_figures(metrics.period, metrics)
    before = previous_period(metrics.period)
    previous = _period_figures(before)
    revenue = (metrics.revenue, revenue_in_period(period=before))
    outcomes = (metrics.outcomes, session_outcomes(period=before))
    funnels = (current.funnel, previous.funnel)
    figures = [
        Figure(
            "Bookings made",
            "Bookings created, whatever became of them (awaiting payment, cancelled, expired "
            "included).",
            "count",
            sum(d.bookings for d in current.bookings_per_day),
            sum(d.bookings for d in previous.bookings_per_day),
        ),
        Figure(
            "Net revenue",
            "Payments captured, less refunds requested in the period that the provider has "
            "processed.",
            "paise",
            *(r.net_paise for r in revenue),
        ),
        Figure(
            "Refunds processed",
            "Refunds requested in the period that the provider has processed.",
            "paise",
            current.refunds.processed_paise,
            previous.refunds.processed_paise,
        ),
        Figure(
            "Refunds waiting or failed",
            "Refunds requested in the period that the provider has not processed yet, or refused.",
            "paise",
            current.refunds.waiting_paise + current.refunds.failed_paise,
            previous.refunds.waiting_paise + previous.refunds.failed_paise,
        ),
        Figure(
            "Picker → details",
            "Booking details forms shown ÷ slot pickers shown: page views counted per day on "
            "the server, no cookies or visitor ids, so one person looking twice counts twice.",
            "percent",
            *(_percent(f.details_views, f.picker_views) for f in funnels),
        ),
        Figure(
            "Details → booked",
            "Bookings made in the period that became firm sessions (paid, or free) ÷ booking "
            "details forms shown.",
            "percent",
            *(_percent(f.booked, f.details_views) for f in funnels),
        ),
        Figure(
            "Cancellation rate",
            "Cancelled ÷ sessions due: confirmed sessions whose start fell in the period, "
            "those cancelled before they started included.",
            "percent",
            *(o.cancellation_percent for o in outcomes),
        ),
        Figure(
            "No-show rate",
            "No-shows (either side) ÷ sessions due.",
            "percent",
            *(o.no_show_percent for o in outcomes),
        ),
        Figure(
            "Median time to feedback",
            "From a session's end to its scorecard, over the scorecards written in the period.",
            "hours",
            current.median_feedback_hours,
            previous.median_feedback_hours,
        ),
    ]
    return Comparison(current=current, previous=previous, figures=figures)
