"""Interviewers' earnings: rates, the ledger, payout details and payout batches.

The ledger only grows. A session credits its interviewer once (earning_credit); a refund after
the fact adds a reversing entry (earning_reverse_refunds); a payout batch reserves unsettled
entries for its lines and marking a line paid settles them, after which nothing changes them.
"""

import datetime
import logging
from collections import defaultdict

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q, Sum
from django.utils import timezone

from mockri.accounts.models import User
from mockri.bookings.enums import BookingStatus, NoShowSide
from mockri.bookings.models import Booking
from mockri.catalogue.models import InterviewerProfile, InterviewType
from mockri.lib.errors import NotAllowed, PolicyViolation
from mockri.lib.money import format_inr
from mockri.payments.enums import RefundStatus
from mockri.payments.models import Refund

from .enums import CREDIT_KINDS, EntryKind, PayoutMethod, RateKind, ReportStatus
from .models import (
    EarningEntry,
    EarningRate,
    NoShowReport,
    PayoutBatch,
    PayoutDetails,
    PayoutLine,
)

logger = logging.getLogger(__name__)


def _check_staff(user: User) -> None:
    if not user.is_staff:
        raise NotAllowed("Only staff can do that.")


# --- Rates ------------------------------------------------------------------------------------


@transaction.atomic
def earning_rate_add(
    *,
    staff_user: User,
    interview_type: InterviewType | None,
    kind: RateKind,
    share_percent: int = 0,
    amount_paise: int = 0,
    effective_from: datetime.datetime,
    now: datetime.datetime | None = None,
) -> EarningRate:
    """Add a rate for a type (None: every type without its own), in force from
    `effective_from`, which may not be in the past: entries already credited keep theirs."""
    _check_staff(staff_user)
    now = now or timezone.now()
    if effective_from < now:
        raise PolicyViolation("A new rate starts now or later; past sessions keep their rate.")
    if kind == RateKind.PERCENT and not 0 <= share_percent <= 100:
        raise PolicyViolation("A share is from 0 to 100 percent.")
    if kind == RateKind.FIXED and amount_paise < 0:
        raise PolicyViolation("A fixed amount cannot be negative.")
    try:
        with transaction.atomic():
            return EarningRate.objects.create(
                interview_type=interview_type,
                kind=kind,
                share_percent=share_percent if kind == RateKind.PERCENT else 0,
                amount_paise=amount_paise if kind == RateKind.FIXED else 0,
                effective_from=effective_from,
                created_by=staff_user,
            )
    except IntegrityError:
        raise PolicyViolation("That type already has a rate starting at that moment.") from None


@transaction.atomic
def earning_rate_delete(
    *, rate: EarningRate, staff_user: User, now: datetime.datetime | None = None
) -> None:
    """Delete a rate that has not started yet (a typo, a change of mind): nothing was credited
    at it. A started rate stays for good, as entries keep the rate they were credited at; a new
    rate changes what comes next.

    Raises PolicyViolation for a rate that has started (by the time of the delete) or is gone.
    Side effects: the row deleted; a log line naming the staff member.
    """
    _check_staff(staff_user)
    now = now or timezone.now()
    # Conditional, so a rate that starts while the page was open is not deleted after all.
    deleted, _ = EarningRate.objects.filter(pk=rate.pk, effective_from__gt=now).delete()
    if not deleted:
        if EarningRate.objects.filter(pk=rate.pk).exists():
            raise PolicyViolation(
                "This rate has started, so it stays: sessions are credited at the rate in force"
                " when they start. Add a new rate to change what comes next."
            )
        raise PolicyViolation("This rate was deleted already.")
    logger.info(
        "Rate %s (%s from %s) deleted by staff %s",
        rate.pk,
        rate.description,
        rate.effective_from.isoformat(),
        staff_user.pk,
    )


def rate_in_force(*, interview_type_id: int, at: datetime.datetime) -> EarningRate | None:
    """The type's own latest rate in force at `at`, else the latest for every type, else None
    (EARNINGS_DEFAULT_SHARE_PERCENT applies)."""
    return (
        EarningRate.objects.filter(effective_from__lte=at)
        .filter(Q(interview_type_id=interview_type_id) | Q(interview_type=None))
        .order_by(F("interview_type_id").asc(nulls_last=True), "-effective_from")
        .first()
    )


def _session_share(booking: Booking, rate: EarningRate | None) -> tuple[int, str]:
    if rate is not None and rate.kind == RateKind.FIXED:
        return rate.amount_paise, rate.description
    percent = rate.share_percent if rate is not None else settings.EARNINGS_DEFAULT_SHARE_PERCENT
    amount = booking.price_paise * percent // 100
    return amount, f"{percent}% of {format_inr(booking.price_paise)}"


# --- The ledger -------------------------------------------------------------------------------


def earning_credit(*, booking_id: int) -> EarningEntry | None:
    """Credit the interviewer for a session once it is completed (their share at the rate in
    force when it started) or the candidate did not show (EARNINGS_CANDIDATE_NO_SHOW_PERCENT of
    that share). An interviewer's no-show, a cancellation or a confirmed "did not show" report
    credits nothing. Idempotent: a second call returns the first entry. Refunds already made
    are reversed at once (earning_reverse_refunds)."""
    with transaction.atomic():
        booking = Booking.objects.select_for_update().filter(pk=booking_id).first()
        if booking is None:
            return None
        if booking.status == BookingStatus.COMPLETED:
            kind = EntryKind.SESSION
        elif (
            booking.status == BookingStatus.NO_SHOW and booking.no_show_side == NoShowSide.CANDIDATE
        ):
            kind = EntryKind.CANDIDATE_NO_SHOW
        else:
            return None
        existing = EarningEntry.objects.filter(booking=booking, kind__in=CREDIT_KINDS).first()
        if existing is not None:
            return existing
        if NoShowReport.objects.filter(booking=booking, status=ReportStatus.CONFIRMED).exists():
            return None
        rate = rate_in_force(interview_type_id=booking.interview_type_id, at=booking.starts_at)
        amount, description = _session_share(booking, rate)
        if kind == EntryKind.CANDIDATE_NO_SHOW:
            percent = settings.EARNINGS_CANDIDATE_NO_SHOW_PERCENT
            amount = amount * percent // 100
            description = f"{percent}% of ({description}): the candidate did not show"
        entry = EarningEntry.objects.create(
            interviewer_id=booking.interviewer_id,
            booking=booking,
            kind=kind,
            amount_paise=amount,
            earned_at=booking.starts_at,
            rate=rate,
            description=f"{booking.reference} {booking.interview_type.name}: {description}",
        )
        earning_reverse_refunds(booking_id=booking.pk)
    return entry


def earning_reverse_refunds(*, booking_id: int) -> list[EarningEntry]:
    """A candidate refunded after their session was credited takes back the same part of the
    interviewer's credit: one reversing entry per refund (never an edit), so that the booking's
    net credit is the credit less its refunded part of the price. Refunds that failed count for
    nothing. Idempotent (one reversal per refund)."""
    made = []
    with transaction.atomic():
        booking = Booking.objects.select_for_update().filter(pk=booking_id).first()
        credit = EarningEntry.objects.filter(booking_id=booking_id, kind__in=CREDIT_KINDS).first()
        if booking is None or credit is None or not booking.price_paise:
            return []
        refunds = Refund.objects.filter(payment__booking=booking).exclude(
            status=RefundStatus.FAILED
        )
        reversed_ids = set(
            EarningEntry.objects.filter(booking=booking, refund__isnull=False).values_list(
                "refund_id", flat=True
            )
        )
        refunded = 0
        net = _booking_net(booking)
        for refund in refunds.order_by("created_at", "pk"):
            refunded = min(booking.price_paise, refunded + refund.amount_paise)
            if refund.pk in reversed_ids:
                continue
            target = credit.amount_paise - credit.amount_paise * refunded // booking.price_paise
            if target >= net:
                continue
            made.append(
                EarningEntry.objects.create(
                    interviewer_id=credit.interviewer_id,
                    booking=booking,
                    kind=EntryKind.REVERSAL,
                    amount_paise=target - net,
                    earned_at=refund.created_at,
                    reverses=credit,
                    refund=refund,
                    description=f"{booking.reference}: {format_inr(refund.amount_paise)} "
                    "refunded to the candidate",
                )
            )
            net = target
    return made


def _booking_net(booking: Booking) -> int:
    total = EarningEntry.objects.filter(booking=booking).aggregate(total=Sum("amount_paise"))
    return total["total"] or 0


# --- Payout details ---------------------------------------------------------------------------


@transaction.atomic
def payout_details_save(
    *,
    profile: InterviewerProfile,
    by: User,
    method: PayoutMethod,
    holder_name: str,
    account_number: str = "",
    ifsc: str = "",
    upi_id: str = "",
    now: datetime.datetime | None = None,
) -> PayoutDetails:
    """The interviewer (or staff) sets where payouts go. Only the method's own fields are kept.
    A line being paid records the payee as they are then (payout_line_mark_paid)."""
    if by != profile.user and not by.is_staff:
        raise NotAllowed("Only the interviewer and staff can change payout details.")
    bank = method == PayoutMethod.BANK
    details, _ = PayoutDetails.objects.update_or_create(
        profile=profile,
        defaults={
            "method": method,
            "holder_name": holder_name.strip(),
            "account_number": account_number if bank else "",
            "ifsc": ifsc.upper() if bank else "",
            "upi_id": "" if bank else upi_id,
            "updated_at": now or timezone.now(),
        },
    )
    return details


def payout_details_done(profile: InterviewerProfile) -> bool:
    """Whether the interviewer told us where to pay them (an onboarding step)."""
    return PayoutDetails.objects.filter(profile=profile).exists()


# --- Payout batches ---------------------------------------------------------------------------


def _end_of_day(day: datetime.date) -> datetime.datetime:
    """The first moment after `day`, in India's time, where the business keeps its books."""
    return timezone.make_aware(
        datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time())
    )


@transaction.atomic
def payout_batch_create(
    *,
    staff_user: User,
    period_start: datetime.date,
    period_end: datetime.date,
    now: datetime.datetime | None = None,
) -> PayoutBatch:
    """A batch paying each interviewer their unsettled entries earned up to `period_end` (and
    not in another batch), when the total reaches PAYOUT_MINIMUM_PAISE; smaller totals wait.
    Each line copies the payee from the interviewer's payout details as they are now.

    Side effects: the batch, its lines, and its entries reserved for their lines.
    """
    _check_staff(staff_user)
    now = now or timezone.now()
    if period_end < period_start:
        raise PolicyViolation("The period ends before it starts.")
    if _end_of_day(period_end) > now:
        raise PolicyViolation("A batch can pay only a period that has ended.")
    minimum = settings.PAYOUT_MINIMUM_PAISE
    batch = PayoutBatch.objects.create(
        period_start=period_start,
        period_end=period_end,
        minimum_paise=minimum,
        created_by=staff_user,
        created_at=now,
    )
    # Locked, so a batch made at the same moment waits and then finds these taken.
    open_entries = list(
        EarningEntry.objects.select_for_update()
        .filter(payout_line=None, earned_at__lt=_end_of_day(period_end))
        .values_list("pk", "interviewer_id", "amount_paise")
    )
    totals: dict[int, int] = defaultdict(int)
    for _, interviewer_id, amount in open_entries:
        totals[interviewer_id] += amount
    payable = {pk: total for pk, total in totals.items() if total >= minimum and total > 0}
    details = {d.profile_id: d for d in PayoutDetails.objects.filter(profile_id__in=list(payable))}
    for interviewer_id, total in sorted(payable.items()):
        payee = details.get(interviewer_id)
        line = PayoutLine.objects.create(
            batch=batch,
            interviewer_id=interviewer_id,
            amount_paise=total,
            **(_payee(payee) if payee else {}),
        )
        EarningEntry.objects.filter(
            pk__in=[pk for pk, owner, _ in open_entries if owner == interviewer_id]
        ).update(payout_line=line)
    return batch


def _payee(details: PayoutDetails) -> dict[str, str]:
    return {
        "payee_name": details.holder_name,
        "method": details.method,
        "destination_masked": details.masked,
    }


@transaction.atomic
def payout_line_mark_paid(
    *, line: PayoutLine, staff_user: User, reference: str, now: datetime.datetime | None = None
) -> PayoutLine:
    """Record the transfer's reference: the line is paid (with the payee it was paid to) and
    its entries settled, for good.

    Raises PolicyViolation for a line paid already (its reference stays), or with no reference.
    """
    _check_staff(staff_user)
    now = now or timezone.now()
    reference = reference.strip()
    if not reference:
        raise PolicyViolation("Give the bank's or UPI's reference for the transfer.")
    # The payee the transfer CSV gave the bank, kept with the line for the books.
    payee = PayoutDetails.objects.filter(profile_id=line.interviewer_id).first()
    paid = PayoutLine.objects.filter(pk=line.pk, paid_at=None).update(
        paid_at=now,
        reference=reference,
        paid_by=staff_user,
        **(_payee(payee) if payee else {}),
    )
    if not paid:
        raise PolicyViolation("This line is paid already; settled payouts do not change.")
    EarningEntry.objects.filter(payout_line=line, settled_at=None).update(settled_at=now)
    line.refresh_from_db()
    return line


@transaction.atomic
def payout_batch_discard(*, batch: PayoutBatch, staff_user: User) -> None:
    """Undo a batch none of whose lines is paid: its entries are free for the next batch."""
    _check_staff(staff_user)
    if batch.lines.exclude(paid_at=None).exists():
        raise PolicyViolation("Part of this batch is paid; a paid batch is kept.")
    EarningEntry.objects.filter(payout_line__batch=batch, settled_at=None).update(payout_line=None)
    batch.lines.all().delete()
    batch.delete()
