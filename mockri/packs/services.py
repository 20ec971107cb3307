"""Packs: buying one, its credits granted on payment, spent on bookings, returned on an
in-policy cancellation, expired at the validity's end and refunded pro rata.

Every movement of credits is a CreditEntry written here under a lock on the purchase's row, after
the pure rules of ledger.py agreed to it: the balance (the sum) never goes below zero, and two
requests at once (two tabs, a task and a person) queue instead of both spending the last credit.
"""

import datetime
import logging
from typing import cast

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from mockri.accounts.models import User
from mockri.bookings.enums import Actor, BookingStatus, RefundDecision
from mockri.bookings.models import Booking
from mockri.bookings.services import booking_transition
from mockri.coupons.services import coupon_apply_to_pack
from mockri.lib.errors import PolicyViolation
from mockri.notifications.services import email_queue
from mockri.payments.enums import PaymentStatus
from mockri.payments.models import Payment, Refund
from mockri.payments.services import refund_request

from . import ledger
from .enums import CreditKind
from .models import CreditEntry, Pack, PackPurchase
from .selectors import credit_for_booking, purchases_due_a_reminder, with_balance

logger = logging.getLogger(__name__)

EXPIRY_REMINDER_BEFORE = datetime.timedelta(days=7)


def _locked(purchase_id: int) -> tuple[PackPurchase, list[ledger.Move]]:
    """The purchase, its row locked until the transaction ends, and its ledger so far."""
    purchase = PackPurchase.objects.select_for_update().get(pk=purchase_id)
    moves = [
        ledger.Move(CreditKind(kind), credits)
        for kind, credits in purchase.entries.values_list("kind", "credits")
    ]
    return purchase, moves


def _write(
    purchase: PackPurchase, move: ledger.Move, *, at: datetime.datetime, **links
) -> CreditEntry:
    return CreditEntry.objects.create(
        purchase=purchase, kind=move.kind, credits=move.credits, at=at, **links
    )


@transaction.atomic
def pack_purchase_start(*, candidate: User, pack: Pack, coupon_code: str = "") -> PackPurchase:
    """A purchase of `pack` at today's terms, awaiting payment, with the coupon `coupon_code`
    applied when given (CouponRefused when it cannot be: then nothing is made). An unpaid one of
    the same pack is reused (a reload or a second try makes no new row), unless a coupon is
    given and its order is made already.

    Side effects: the purchase; coupon_apply_to_pack's redemption.
    """
    if not pack.is_active:
        raise PolicyViolation(f"{pack.name} is not on sale any more.")
    waiting = (
        PackPurchase.objects.filter(
            candidate=candidate,
            pack=pack,
            granted_at__isnull=True,
            price_paise=pack.price_paise,
            sessions=pack.sessions,
            validity_days=pack.validity_days,
        )
        .exclude(payments__status__in=[PaymentStatus.AUTHORIZED, PaymentStatus.CAPTURED])
        .first()
    )
    if waiting is not None and coupon_code and waiting.payments.exists():
        waiting = None
    purchase = waiting or PackPurchase.objects.create(
        candidate=candidate,
        pack=pack,
        sessions=pack.sessions,
        price_paise=pack.price_paise,
        validity_days=pack.validity_days,
    )
    if coupon_code:
        coupon_apply_to_pack(purchase=purchase, code=coupon_code)
    return purchase


@transaction.atomic
def pack_purchase_grant(*, payment_id: int, now: datetime.datetime | None = None) -> bool:
    """A captured payment of a purchase grants its credits, valid `validity_days` from now.
    True when it granted them. A second captured payment for a purchase already granted (two
    tabs paid) is refunded in full instead.

    Side effects: the purchase's granted_at and expires_at; the "granted" entry; or a refund
    (refund_request's).
    """
    now = now or timezone.now()
    payment = Payment.objects.filter(
        pk=payment_id, pack_purchase__isnull=False, status=PaymentStatus.CAPTURED
    ).first()
    if payment is None:
        return False
    purchase, moves = _locked(cast(int, payment.pack_purchase_id))  # filtered on it
    if purchase.granted_at is not None:
        first = (
            purchase.payments.filter(captured_at__isnull=False)
            .order_by("captured_at", "pk")
            .first()
        )
        if first is not None and first.pk != payment.pk and not payment.refunds.exists():
            refund_request(
                payment=payment,
                amount_paise=payment.amount_paise,
                reason="This pack was already paid for.",
            )
        return False
    _write(purchase, ledger.grant(moves, sessions=purchase.sessions), at=now)
    purchase.granted_at = now
    purchase.expires_at = now + datetime.timedelta(days=purchase.validity_days)
    purchase.save(update_fields=["granted_at", "expires_at"])
    return True


def booking_pay_with_credit(
    *, booking: Booking, candidate: User, now: datetime.datetime | None = None
) -> Booking:
    """Pay for a held booking with a credit of the candidate's: it is confirmed at once.

    Refused (PolicyViolation) when the booking is not the candidate's and held, when a payment
    for it is under way, or when no pack of theirs covers its type until it starts.
    Side effects, in one transaction: the "used" entry; booking_transition to confirmed (the
    audit event and booking_confirmed's tasks).
    """
    now = now or timezone.now()
    if booking.candidate_id != candidate.pk:
        raise PolicyViolation("This booking is not yours.")
    if booking.status != BookingStatus.PENDING_PAYMENT or (
        booking.hold_expires_at is not None and booking.hold_expires_at <= now
    ):
        raise PolicyViolation("This booking is not waiting for a payment any more.")
    if booking.payments.filter(
        status__in=[PaymentStatus.AUTHORIZED, PaymentStatus.CAPTURED]
    ).exists():
        raise PolicyViolation("A payment for this booking is already being confirmed.")
    with transaction.atomic():
        offer = credit_for_booking(booking=booking)
        if offer is None:
            raise PolicyViolation("You have no pack credit for this session.")
        purchase, moves = _locked(offer.pk)
        _write(purchase, ledger.use(moves), at=now, booking=booking)
        return booking_transition(
            booking,
            to=BookingStatus.CONFIRMED,
            actor=candidate,
            actor_role=Actor.CANDIDATE,
            reason=f"Paid with a credit of pack {purchase.reference}.",
            hold_expires_at=None,
        )


@transaction.atomic
def credit_return(*, booking_id: int, now: datetime.datetime | None = None) -> CreditEntry | None:
    """A cancelled booking paid with a credit gets it back when the policy refunds it in full
    (the candidate cancelled in time, or the interviewer or staff cancelled); otherwise the
    credit stays used. A credit returned to a purchase past its expiry expires again at once.

    Side effects: the "returned" entry (and an "expired" one); nothing when already returned.
    Run by credit_return_task, which booking_cancelled queues.
    """
    now = now or timezone.now()
    booking = Booking.objects.filter(pk=booking_id, status=BookingStatus.CANCELLED).first()
    if booking is None or booking.refund_decision != RefundDecision.FULL:
        return None
    used = CreditEntry.objects.filter(booking=booking, kind=CreditKind.USED).first()
    if used is None:
        return None
    purchase, moves = _locked(used.purchase_id)
    if CreditEntry.objects.filter(booking=booking, kind=CreditKind.RETURNED).exists():
        return None
    returned = _write(
        purchase, ledger.give_back(moves, sessions=purchase.sessions), at=now, booking=booking
    )
    if purchase.expires_at is not None and purchase.expires_at <= now:
        back = ledger.Move(CreditKind.RETURNED, returned.credits)
        expiry = ledger.take_all([*moves, back], kind=CreditKind.EXPIRED)
        if expiry is not None:
            _write(purchase, expiry, at=now)
    return returned


def credits_expire(*, now: datetime.datetime) -> int:
    """Expire what is left of every purchase whose validity ended. Returns how many expired.

    Side effects: an "expired" entry per such purchase with credits left.
    """
    expired = 0
    due = with_balance(PackPurchase.objects.filter(expires_at__lte=now)).filter(Q(balance__gt=0))
    for purchase_id in due.values_list("pk", flat=True):
        with transaction.atomic():
            purchase, moves = _locked(purchase_id)
            move = ledger.take_all(moves, kind=CreditKind.EXPIRED)
            if move is not None:
                _write(purchase, move, at=now)
                expired += 1
    return expired


def credits_expiry_reminders(*, now: datetime.datetime) -> int:
    """Email each candidate whose credits expire within a week, once per purchase. Returns how
    many were queued.

    Side effects: a "pack_expiry_reminder" outbox row and its send task per purchase.
    """
    queued = 0
    due = purchases_due_a_reminder(now=now, before=EXPIRY_REMINDER_BEFORE).select_related(
        "candidate", "pack"
    )
    for purchase in due:
        queued += bool(
            email_queue(
                "pack_expiry_reminder",
                recipient=purchase.candidate,
                booking=None,
                dedupe_key=f"pack_expiry_reminder:{purchase.pk}",
                context={"purchase": purchase, "balance": purchase.balance},
            )
        )
    return queued


def packs_grant_missed(*, now: datetime.datetime) -> int:
    """Grant the purchases whose captured payment's grant task was lost. Returns how many."""
    missed = Payment.objects.filter(
        pack_purchase__granted_at__isnull=True, status=PaymentStatus.CAPTURED
    ).values_list("pk", flat=True)
    return sum(pack_purchase_grant(payment_id=payment_id, now=now) for payment_id in missed)


def pack_refund_quote(purchase: PackPurchase, *, now: datetime.datetime) -> tuple[int, int, str]:
    """(credits, paise, refusal) for refunding a purchase's unused credits now: pro rata of
    what was paid (credits / sessions of it, rounded down to the paisa), within
    PACK_REFUND_WINDOW_DAYS of the purchase and before it expires. `refusal` says why not, or
    is ""."""
    payment = _paid_by(purchase)
    left = sum(purchase.entries.values_list("credits", flat=True))
    if payment is None or purchase.granted_at is None:
        return 0, 0, "This pack has not been paid for."
    amount = payment.amount_paise * left // purchase.sessions
    window = datetime.timedelta(days=settings.PACK_REFUND_WINDOW_DAYS)
    if left <= 0:
        return 0, 0, "No unused credits are left to refund."
    if purchase.expires_at is not None and now >= purchase.expires_at:
        return left, 0, "This pack has expired."
    if now > purchase.granted_at + window:
        return (
            left,
            0,
            f"Unused credits can be refunded within {settings.PACK_REFUND_WINDOW_DAYS} days "
            "of buying the pack.",
        )
    return left, amount, ""


def _paid_by(purchase: PackPurchase) -> Payment | None:
    return (
        purchase.payments.filter(
            status__in=[PaymentStatus.CAPTURED, PaymentStatus.PARTIALLY_REFUNDED]
        )
        .order_by("captured_at", "pk")
        .first()
    )


@transaction.atomic
def pack_purchase_refund(
    *, purchase: PackPurchase, candidate: User, now: datetime.datetime | None = None
) -> Refund:
    """Refund the purchase's unused credits pro rata (pack_refund_quote), through the payments
    refund path (its idempotency key and execute task).

    Side effects: the "refunded" entry taking every unused credit, linked to the refund;
    refund_request's refund row and task.
    """
    now = now or timezone.now()
    if purchase.candidate_id != candidate.pk:
        raise PolicyViolation("This pack is not yours.")
    purchase, moves = _locked(purchase.pk)
    credits, amount, refusal = pack_refund_quote(purchase, now=now)
    if refusal:
        raise PolicyViolation(refusal)
    move = ledger.take_all(moves, kind=CreditKind.REFUNDED)
    if move is None or -move.credits != credits:
        raise PolicyViolation("No unused credits are left to refund.")
    payment = _paid_by(purchase)
    if payment is None:  # the quote found it, under the same lock
        raise PolicyViolation("This pack has not been paid for.")
    refund = refund_request(
        payment=payment,
        amount_paise=amount,
        reason=f"{credits} unused pack credit{'s' if credits != 1 else ''} refunded",
    )
    _write(purchase, move, at=now, refund=refund)
    return refund


def pack_save(*, pack: Pack, interview_types) -> Pack:
    """Create or edit a pack definition (staff, from the console).

    Purchases keep their own terms: each PackPurchase copied the sessions, price and validity
    it was sold with, so changing those affects only purchases started from now on. The
    interview types are read from the pack itself, so a sold pack's types can be added to
    but not taken away: the credits candidates hold would stop working for a type they paid for.
    Raises PolicyViolation for such a removal.
    Side effects: the pack row and its interview types.
    """
    wanted = {interview_type.pk for interview_type in interview_types}
    with transaction.atomic():
        if pack.pk is not None:
            sold = PackPurchase.objects.filter(pack=pack).exists()
            had = set(pack.interview_types.values_list("pk", flat=True))
            if sold and had - wanted:
                raise PolicyViolation(
                    "This pack is already sold: candidates hold credits for each of its interview "
                    "types, so none can be taken away. Add types, or stop selling this pack and "
                    "create a new one."
                )
        pack.save()
        pack.interview_types.set(wanted)
    return pack


def pack_set_on_sale(*, pack: Pack, on_sale: bool) -> Pack:
    """Put a pack on sale or stop selling it (it leaves the packs page; no new purchase can
    start). Purchases already made keep their credits and terms. Side effects: the pack's
    `is_active`."""
    pack.is_active = on_sale
    pack.save(update_fields=["is_active"])
    return pack
