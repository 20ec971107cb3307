"""Interviewers' reliability: the automatic pause, and candidates' "my interviewer did not show"
reports that staff confirm (refunding the candidate in full) or dismiss."""

import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from mockri.accounts.models import User
from mockri.bookings.enums import Actor, BookingStatus, NoShowSide
from mockri.bookings.models import Booking, BookingEvent
from mockri.bookings.services import booking_record_outcome
from mockri.catalogue.models import InterviewerProfile
from mockri.interviewers.services import interviewer_pause
from mockri.lib.errors import NotAllowed, PolicyViolation
from mockri.notifications.services import email_queue
from mockri.payments.enums import PaymentStatus, RefundStatus
from mockri.payments.models import Payment, Refund
from mockri.payments.services import refund_request

from .enums import ReportStatus
from .models import NoShowReport, ReliabilityPause
from .selectors import no_show_report_refusal, reliability_incidents


def _staff() -> list[User]:
    return list(User.objects.filter(is_staff=True, is_active=True).order_by("pk"))


def reliability_review(
    *, interviewer_id: int, now: datetime.datetime | None = None
) -> ReliabilityPause | None:
    """Pause the interviewer when their incidents of the last 90 days reach
    RELIABILITY_PAUSE_THRESHOLD, unless an earlier pause already answered the latest incident
    (so staff listing them again sticks until something new happens).

    Side effects: the pause record; interviewer_pause; a "reliability_paused" email to each
    active staff member.
    """
    now = now or timezone.now()
    profile = InterviewerProfile.objects.filter(pk=interviewer_id).first()
    if profile is None:
        return None
    incidents = reliability_incidents(interviewer=profile, now=now)
    if len(incidents) < settings.RELIABILITY_PAUSE_THRESHOLD:
        return None
    last = ReliabilityPause.objects.filter(interviewer=profile).first()
    if last is not None and last.paused_at >= incidents[0].at:
        return None
    reason = f"{len(incidents)} incidents in 90 days: " + ", ".join(
        f"{incident.kind.label.lower()} ({incident.booking.reference})" for incident in incidents
    )
    with transaction.atomic():
        pause = ReliabilityPause.objects.create(
            interviewer=profile, paused_at=now, incidents=len(incidents), reason=reason[:300]
        )
        interviewer_pause(profile, reason=reason, by=None, now=now)
        for person in _staff():
            email_queue(
                "reliability_paused",
                recipient=person,
                booking=None,
                dedupe_key=f"reliability_paused:{pause.pk}:{person.pk}",
                context={"profile": profile, "incidents": incidents},
            )
    return pause


def reliability_review_all(*, now: datetime.datetime | None = None) -> int:
    """Review every bookable interviewer (feedback becomes late with no event): pauses made."""
    now = now or timezone.now()
    listed = InterviewerProfile.objects.filter(is_listed=True, hold="").values_list("pk", flat=True)
    return sum(reliability_review(interviewer_id=pk, now=now) is not None for pk in listed)


# --- "My interviewer did not show" ------------------------------------------------------------


@transaction.atomic
def no_show_report_file(
    *, booking: Booking, user: User, note: str, now: datetime.datetime | None = None
) -> NoShowReport:
    """The candidate reports that the interviewer did not come.

    Side effects: the report; a "no_show_reported" email to each active staff member.
    """
    now = now or timezone.now()
    refusal = no_show_report_refusal(booking=booking, user=user, now=now)
    if refusal:
        raise PolicyViolation(refusal)
    report = NoShowReport.objects.create(booking=booking, note=note.strip(), reported_at=now)
    for person in _staff():
        email_queue(
            "no_show_reported",
            recipient=person,
            booking=booking,
            dedupe_key=f"no_show_reported:{report.pk}:{person.pk}",
            context={"report": report},
        )
    return report


def _decide(report: NoShowReport, *, to: ReportStatus, staff_user: User, note: str, now) -> None:
    if not staff_user.is_staff:
        raise NotAllowed("Only staff can decide a report.")
    decided = NoShowReport.objects.filter(pk=report.pk, status=ReportStatus.OPEN).update(
        status=to, decided_at=now, decided_by=staff_user, decision_note=note
    )
    if not decided:
        raise PolicyViolation("This report was decided already.")
    report.refresh_from_db()


def _refund_in_full(booking: Booking) -> Refund | None:
    """What is left of the booking's payment goes back (refund_request: idempotency key)."""
    payment = Payment.objects.filter(
        booking=booking,
        status__in=[PaymentStatus.CAPTURED, PaymentStatus.PARTIALLY_REFUNDED],
    ).first()
    if payment is None:
        return None
    refunding = payment.refunds.exclude(status=RefundStatus.FAILED).aggregate(
        total=Sum("amount_paise")
    )
    left = payment.amount_paise - (refunding["total"] or 0)
    if left <= 0:
        return None
    return refund_request(
        payment=payment, amount_paise=left, reason="The interviewer did not show: full refund"
    )


@transaction.atomic
def no_show_report_confirm(
    *, report: NoShowReport, staff_user: User, note: str = "", now: datetime.datetime | None = None
) -> NoShowReport:
    """Staff confirm the interviewer did not show.

    Side effects: the booking's outcome becomes the interviewer's no-show (booking_record_outcome;
    a session already marked completed keeps its status and gets an audit event instead, and its
    credit is reversed by the refund); whatever was paid is refunded in full (refund_request, its
    task queued); a "no_show_decided" email to the candidate; the interviewer's reliability
    review (the no-show's own signal queues it; queued here for a completed session).
    """
    from .tasks import reliability_review_task  # noqa: PLC0415 — a cycle: tasks.py imports this module

    now = now or timezone.now()
    _decide(report, to=ReportStatus.CONFIRMED, staff_user=staff_user, note=note, now=now)
    booking = Booking.objects.get(pk=report.booking_id)
    reason = "The candidate reported the interviewer did not show; staff confirmed. " + note
    if booking.status == BookingStatus.CONFIRMED:
        booking_record_outcome(
            booking,
            actor=staff_user,
            actor_role=Actor.STAFF,
            no_show_side=NoShowSide.INTERVIEWER,
            reason=reason.strip(),
            now=now,
        )
    else:
        BookingEvent.objects.create(
            booking=booking,
            actor=staff_user,
            actor_role=Actor.STAFF,
            action="interviewer_no_show_confirmed",
            detail=reason.strip(),
        )
        reliability_review_task.enqueue(interviewer_id=booking.interviewer_id)
    report.refund = _refund_in_full(booking)
    NoShowReport.objects.filter(pk=report.pk).update(refund=report.refund)
    _email_the_decision(report)
    return report


@transaction.atomic
def no_show_report_dismiss(
    *, report: NoShowReport, staff_user: User, note: str, now: datetime.datetime | None = None
) -> NoShowReport:
    """Staff find the session did take place. Side effects: a "no_show_decided" email to the
    candidate with staff's note."""
    now = now or timezone.now()
    if not note.strip():
        raise PolicyViolation("Tell the candidate why the report is dismissed.")
    _decide(report, to=ReportStatus.DISMISSED, staff_user=staff_user, note=note, now=now)
    _email_the_decision(report)
    return report


def _email_the_decision(report: NoShowReport) -> None:
    booking = report.booking
    email_queue(
        "no_show_decided",
        recipient=booking.candidate,
        booking=booking,
        dedupe_key=f"no_show_decided:{report.pk}",
        context={"report": report},
    )
