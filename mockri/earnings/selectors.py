"""Reads of earnings, payouts and reliability, scoped to who may see them."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, F, Q, QuerySet, Sum
from django.http import Http404
from django.utils import timezone

from mockri.accounts.models import User
from mockri.bookings.enums import Actor, BookingStatus, NoShowSide
from mockri.bookings.models import Booking
from mockri.catalogue.models import InterviewerProfile

from .enums import IncidentKind, ReportStatus
from .models import EarningEntry, EarningRate, NoShowReport, PayoutBatch, PayoutDetails, PayoutLine

RELIABILITY_WINDOW = datetime.timedelta(days=90)
# An interviewer's cancellation this close to the start counts against them.
LATE_CANCELLATION = datetime.timedelta(hours=24)


def profile_of(user: User) -> InterviewerProfile:
    """The signed-in interviewer's own profile; 404 for anyone else."""
    profile = InterviewerProfile.objects.filter(user=user).first() if user.is_interviewer else None
    if profile is None:
        raise Http404
    return profile


def payout_details_of(profile: InterviewerProfile) -> PayoutDetails | None:
    return PayoutDetails.objects.filter(profile=profile).first()


# --- Balances and statements ------------------------------------------------------------------


@dataclass(frozen=True)
class Balance:
    total_paise: int
    settled_paise: int

    @property
    def unsettled_paise(self) -> int:
        return self.total_paise - self.settled_paise


def ledger_balance(*, interviewer: InterviewerProfile) -> Balance:
    """Everything credited, and the part of it paid out (settled), in one query."""
    sums = EarningEntry.objects.filter(interviewer=interviewer).aggregate(
        total=Sum("amount_paise"), settled=Sum("amount_paise", filter=Q(settled_at__isnull=False))
    )
    return Balance(total_paise=sums["total"] or 0, settled_paise=sums["settled"] or 0)


def month_bounds(year: int, month: int) -> tuple[datetime.datetime, datetime.datetime]:
    """The month's first moment and the next month's, in India's time."""
    start = timezone.make_aware(datetime.datetime(year, month, 1))
    following = datetime.datetime(year + month // 12, month % 12 + 1, 1)
    return start, timezone.make_aware(following)


@dataclass
class Statement:
    interviewer: InterviewerProfile
    year: int
    month: int
    entries: list[EarningEntry] = field(default_factory=list)
    payouts: list[PayoutLine] = field(default_factory=list)
    opening_paise: int = 0  # owed at the month's start: earned before it, less paid before it

    @property
    def first_day(self) -> datetime.date:
        return datetime.date(self.year, self.month, 1)

    @property
    def earned_paise(self) -> int:
        return sum(entry.amount_paise for entry in self.entries)

    @property
    def paid_paise(self) -> int:
        return sum(line.amount_paise for line in self.payouts)

    @property
    def closing_paise(self) -> int:
        return self.opening_paise + self.earned_paise - self.paid_paise


def statement_for(*, interviewer: InterviewerProfile, year: int, month: int) -> Statement:
    """A month's entries (by when they were earned) and payouts (by when they were paid), with
    what was owed at its start and end. Three queries."""
    start, end = month_bounds(year, month)
    entries = EarningEntry.objects.filter(interviewer=interviewer)
    earned_before = entries.filter(earned_at__lt=start).aggregate(total=Sum("amount_paise"))
    lines = PayoutLine.objects.filter(interviewer=interviewer, paid_at__isnull=False)
    paid_before = lines.filter(paid_at__lt=start).aggregate(total=Sum("amount_paise"))
    return Statement(
        interviewer=interviewer,
        year=year,
        month=month,
        entries=list(
            entries.filter(earned_at__gte=start, earned_at__lt=end).select_related("booking")
        ),
        payouts=list(lines.filter(paid_at__gte=start, paid_at__lt=end).order_by("paid_at")),
        opening_paise=(earned_before["total"] or 0) - (paid_before["total"] or 0),
    )


def statement_months(*, interviewer: InterviewerProfile, now: datetime.datetime) -> list:
    """The months with a statement, newest first: from the first entry's to this one."""
    first = EarningEntry.objects.filter(interviewer=interviewer).order_by("earned_at").first()
    local_now = timezone.localtime(now)
    if first is None:
        return [datetime.date(local_now.year, local_now.month, 1)]
    local_first = timezone.localtime(first.earned_at)
    months = []
    year, month = local_now.year, local_now.month
    while (year, month) >= (local_first.year, local_first.month):
        months.append(datetime.date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months


def interviewers_with_entries() -> QuerySet[InterviewerProfile]:
    return InterviewerProfile.objects.filter(earning_entries__isnull=False).distinct()


def rates_list() -> QuerySet[EarningRate]:
    return EarningRate.objects.select_related("interview_type", "created_by").order_by(
        F("interview_type__name").asc(nulls_first=True), "-effective_from"
    )


def batches_list() -> QuerySet[PayoutBatch]:
    return PayoutBatch.objects.annotate(
        line_count=Count("lines"),
        total_paise=Sum("lines__amount_paise"),
        paid_count=Count("lines", filter=Q(lines__paid_at__isnull=False)),
    ).order_by("-created_at")


def batch_lines(batch: PayoutBatch) -> list[PayoutLine]:
    return list(batch.lines.select_related("interviewer", "interviewer__payout_details"))


# --- Reliability ------------------------------------------------------------------------------


def _no_shows(since: datetime.datetime) -> QuerySet[Booking]:
    """Sessions the interviewer missed: recorded so, or a candidate's report staff confirmed."""
    return Booking.objects.filter(starts_at__gte=since).filter(
        Q(status=BookingStatus.NO_SHOW, no_show_side=NoShowSide.INTERVIEWER)
        | Q(no_show_report__status=ReportStatus.CONFIRMED)
    )


def _late_cancellations(since: datetime.datetime) -> QuerySet[Booking]:
    return Booking.objects.filter(
        status=BookingStatus.CANCELLED,
        cancelled_by=Actor.INTERVIEWER,
        cancelled_at__gte=since,
        cancelled_at__gt=F("starts_at") - LATE_CANCELLATION,
    )


def _late_feedback(since: datetime.datetime, now: datetime.datetime) -> QuerySet[Booking]:
    """Completed sessions whose feedback came after FEEDBACK_DUE_HOURS, or is overdue now."""
    due = datetime.timedelta(hours=settings.FEEDBACK_DUE_HOURS)
    return Booking.objects.filter(
        status=BookingStatus.COMPLETED, ends_at__gte=since - due, ends_at__lt=now - due
    ).filter(Q(feedback__isnull=True) | Q(feedback__submitted_at__gt=F("ends_at") + due))


@dataclass(frozen=True)
class Incident:
    kind: IncidentKind
    booking: Booking
    at: datetime.datetime


def reliability_incidents(
    *, interviewer: InterviewerProfile, now: datetime.datetime
) -> list[Incident]:
    """The interviewer's incidents in the last 90 days, newest first (three queries)."""
    since = now - RELIABILITY_WINDOW
    due = datetime.timedelta(hours=settings.FEEDBACK_DUE_HOURS)
    mine = {"interviewer": interviewer}
    incidents = [
        Incident(IncidentKind.NO_SHOW, b, b.starts_at)
        for b in _no_shows(since).filter(**mine).distinct()
    ]
    incidents += [
        Incident(IncidentKind.LATE_CANCELLATION, b, b.cancelled_at or b.starts_at)
        for b in _late_cancellations(since).filter(**mine)
    ]
    incidents += [
        Incident(IncidentKind.LATE_FEEDBACK, b, b.ends_at + due)
        for b in _late_feedback(since, now).filter(**mine)
    ]
    return sorted(incidents, key=lambda incident: incident.at, reverse=True)


@dataclass(frozen=True)
class ReliabilityRow:
    interviewer: InterviewerProfile
    no_shows: int
    late_cancellations: int
    late_feedback: int

    @property
    def total(self) -> int:
        return self.no_shows + self.late_cancellations + self.late_feedback

    @property
    def at_threshold(self) -> bool:
        return self.total >= settings.RELIABILITY_PAUSE_THRESHOLD


def _counts(bookings: QuerySet[Booking]) -> dict[int, int]:
    rows = bookings.order_by().values("interviewer_id").annotate(n=Count("pk", distinct=True))
    return {row["interviewer_id"]: row["n"] for row in rows}


def reliability_table(*, now: datetime.datetime) -> list[ReliabilityRow]:
    """Every interviewer's counts over the last 90 days, worst first (four queries)."""
    since = now - RELIABILITY_WINDOW
    no_shows = _counts(_no_shows(since))
    late_cancellations = _counts(_late_cancellations(since))
    late_feedback = _counts(_late_feedback(since, now))
    rows = [
        ReliabilityRow(
            interviewer=profile,
            no_shows=no_shows.get(profile.pk, 0),
            late_cancellations=late_cancellations.get(profile.pk, 0),
            late_feedback=late_feedback.get(profile.pk, 0),
        )
        for profile in InterviewerProfile.objects.select_related("user")
    ]
    return sorted(rows, key=lambda row: (-row.total, row.interviewer.display_name))


# Sessions an interviewer must have given before their clean record means something.
RELIABLE_AFTER_SESSIONS = 3


def reliable_interviewer_ids(
    profiles: Iterable[InterviewerProfile], *, now: datetime.datetime
) -> set[int]:
    """Which of `profiles` candidates may call reliable: at least RELIABLE_AFTER_SESSIONS
    sessions given and, in the last 90 days, no missed session and no late cancellation (late
    feedback is the interviewer's debt to staff, not a risk to the candidate's booking). One
    query for all of them, read fresh: no-shows don't move the schedule's cache version."""
    seasoned = [p.pk for p in profiles if p.sessions_given >= RELIABLE_AFTER_SESSIONS]
    if not seasoned:
        return set()
    since = now - RELIABILITY_WINDOW
    incidents = (_no_shows(since) | _late_cancellations(since)).filter(interviewer_id__in=seasoned)
    return set(seasoned) - set(incidents.order_by().values_list("interviewer_id", flat=True))


# --- "My interviewer did not show" ------------------------------------------------------------


def no_show_report_refusal(*, booking: Booking, user: User, now: datetime.datetime) -> str:
    """Why this person cannot report the interviewer's no-show now, or "" when they can: the
    candidate, from the start until NO_SHOW_REPORT_WINDOW_HOURS after it, once, unless the
    session was cancelled or recorded as the interviewer's no-show already."""
    if booking.candidate_id != user.pk:
        return "Only the candidate can report this."
    # Also a session the interviewer marked done, or marked as the candidate's no-show.
    marked_candidate = (
        booking.status == BookingStatus.NO_SHOW and booking.no_show_side == NoShowSide.CANDIDATE
    )
    if booking.status not in (BookingStatus.CONFIRMED, BookingStatus.COMPLETED) and not (
        marked_candidate
    ):
        return "This session cannot be reported."
    window = datetime.timedelta(hours=settings.NO_SHOW_REPORT_WINDOW_HOURS)
    if not booking.starts_at <= now <= booking.starts_at + window:
        return (
            "You can report this from the session's start until "
            f"{settings.NO_SHOW_REPORT_WINDOW_HOURS} hours after it."
        )
    if NoShowReport.objects.filter(booking=booking).exists():
        return "You reported this already."
    return ""


def no_show_reports_open() -> QuerySet[NoShowReport]:
    return NoShowReport.objects.filter(status=ReportStatus.OPEN).select_related(
        "booking", "booking__interviewer", "booking__candidate", "booking__interview_type"
    )
