"""Payments: recording what the provider reports, confirming bookings, refunding.

The provider's word moves state only forward (PAYMENT_RANK / REFUND_RANK), so duplicated or
reordered events end in the same place: payment_status_advance and refund_status_advance are
the only writers of the two statuses. Calls to the provider happen in tasks, never inside a
web request's transaction.
"""

import datetime
import logging
from typing import TYPE_CHECKING, cast

from django.db import transaction
from django.db.models import Q
from django.dispatch import Signal
from django.utils import timezone

from mockri.bookings.enums import BookingStatus, RefundDecision
from mockri.bookings.models import Booking
from mockri.bookings.services import booking_confirm_payment, booking_expire_hold
from mockri.coupons.services import coupon_redeem_for_order, coupon_redeem_for_pack_order
from mockri.lib.errors import DomainError
from mockri.lib.money import format_inr

from .enums import PAYMENT_RANK, REFUND_RANK, PaymentStatus, RefundStatus
from .gateways import base
from .lifecycle import refund_processed
from .models import Payment, Receipt, Refund

if TYPE_CHECKING:
    from mockri.packs.models import PackPurchase

logger = logging.getLogger(__name__)

# Sent inside the transaction recording a pack purchase's captured payment, with `payment`:
# packs grants the credits (its receiver only queues the task).
pack_payment_captured = Signal()

_PROVIDER_PAYMENT_STATUS = {
    "created": PaymentStatus.CREATED,
    "authorized": PaymentStatus.AUTHORIZED,
    "captured": PaymentStatus.CAPTURED,
    "refunded": PaymentStatus.REFUNDED,
    "failed": PaymentStatus.FAILED,
}


def _status_of(info: base.Payment) -> PaymentStatus:
    status = _PROVIDER_PAYMENT_STATUS.get(info.status, PaymentStatus.CREATED)
    if status == PaymentStatus.CAPTURED and info.amount_refunded_paise:
        if info.amount_refunded_paise >= info.amount_paise:
            return PaymentStatus.REFUNDED
        return PaymentStatus.PARTIALLY_REFUNDED
    return status


def payment_record(*, info: base.Payment) -> Payment | None:
    """Apply what the provider says about a payment on one of our orders.

    Side effects: the payment row moves forward; a captured payment of exactly the order's
    amount and currency confirms its booking, and when the booking cannot be confirmed any
    more (its time was taken after the hold ran out, it was cancelled, or a pack credit paid
    for it) a full refund is requested; for a pack purchase, pack_payment_captured is sent (the
    credits are granted). An authorised payment is queued for capture. Returns None for an
    order that is not ours.
    """
    with transaction.atomic():
        # Only the payment's row, and not its booking in the same statement: a statement that
        # waited for the lock still sees the other tables as they were when it started, so a
        # report racing another (the checkout's return and the webhook) would read the booking
        # as not yet confirmed and refund the payment that had just confirmed it. Read after
        # the lock, the booking is as the other report committed it.
        payment = Payment.objects.select_for_update().filter(order_ref=info.order_ref).first()
        if payment is None:
            logger.warning("Payment %s is for an order we did not create", info.provider_ref)
            return None
        if (info.amount_paise, info.currency) != (payment.amount_paise, payment.currency):
            logger.error(
                "Payment %s of %s %s does not match order %s (%s %s): not applied",
                info.provider_ref,
                info.amount_paise,
                info.currency,
                payment.order_ref,
                payment.amount_paise,
                payment.currency,
            )
            return payment
        # An order can see several attempts (a failure, then a success): the furthest one
        # along is the order's payment, and its id comes with it.
        new_status = _status_of(info)
        attempt = {
            "payment_ref": info.provider_ref,
            "method": info.method[:16],
            "amount_refunded_paise": info.amount_refunded_paise,
        }
        if new_status == PaymentStatus.CAPTURED and payment.captured_at is None:
            attempt["captured_at"] = timezone.now()
        payment_status_advance(payment, to=new_status, **attempt)
        if payment.status == PaymentStatus.AUTHORIZED:
            from .tasks import payment_capture_task  # noqa: PLC0415 — a cycle: tasks.py imports this module

            payment_capture_task.enqueue(payment_id=payment.pk)
        if PAYMENT_RANK[payment.status] >= PAYMENT_RANK[PaymentStatus.CAPTURED]:
            Receipt.objects.get_or_create(payment=payment)
        if payment.status == PaymentStatus.CAPTURED:
            if payment.booking_id is None:
                pack_payment_captured.send(sender=Payment, payment=payment)
            else:
                _confirm_or_refund(payment)
    return payment


def _status_advance(model, row, *, rank: dict, to: str, fields: dict) -> bool:
    """Move `row` forward to `to`, writing `fields` with it, by a conditional UPDATE on the
    status it was read with. A status that does not rank above the row's changes nothing
    (False): providers repeat and reorder their reports. Losing a race to another writer
    re-reads the status and checks again, so a later status is never overwritten."""
    while rank[to] > rank[row.status]:
        moved = model.objects.filter(pk=row.pk, status=row.status).update(
            status=to, updated_at=timezone.now(), **fields
        )
        if moved:
            for name, value in {"status": to, **fields}.items():
                setattr(row, name, value)
            return True
        row.status = model.objects.values_list("status", flat=True).get(pk=row.pk)
    return False


def payment_status_advance(payment: Payment, *, to: PaymentStatus, **fields) -> bool:
    """The one writer of Payment.status: forward only, by PAYMENT_RANK (see _status_advance).
    True when it moved; `fields` are written only then."""
    return _status_advance(Payment, payment, rank=PAYMENT_RANK, to=to, fields=fields)


def refund_status_advance(refund: Refund, *, to: RefundStatus, **fields) -> bool:
    """The one writer of Refund.status: forward only, by REFUND_RANK (see _status_advance).
    True when it moved; `fields` are written only then."""
    return _status_advance(Refund, refund, rank=REFUND_RANK, to=to, fields=fields)


def _confirm_or_refund(payment: Payment) -> None:
    booking = cast(Booking, payment.booking)  # payment_record sends packs' payments elsewhere
    paid_before = (
        booking.payments.exclude(pk=payment.pk).filter(status=PaymentStatus.CAPTURED).exists()
    )
    # The packs app's ledger, read through its reverse relation (payments imports no packs code).
    paid_with_credit = booking.credit_entries.filter(kind="used").exists()
    try:
        if paid_before or paid_with_credit:
            # Never charged twice for one booking: a second captured payment goes back.
            raise DomainError("This booking was already paid.")
        booking_confirm_payment(booking)
    except DomainError as refusal:
        logger.info("Booking %s not confirmed (%s): refunding", booking.reference, refusal.message)
        if not payment.refunds.exists():
            refund_request(
                payment=payment, amount_paise=payment.amount_paise, reason=refusal.message
            )


@transaction.atomic
def refund_request(
    *, payment: Payment, amount_paise: int, reason: str, idempotency_key: str = ""
) -> Refund:
    """Ask for (part of) a captured payment back. The provider is called by a task queued in
    the same transaction; the idempotency key makes retries of that call create one refund.
    The key is the payment's next refund number unless the caller gives its own (refund_retry).

    Two requests for one payment at once (two staff, or staff and a cancellation) queue on the
    payment's row, so the second sees the first's refund: never more than was paid, counting
    the refunds asked for here that have not failed and whatever the provider reports refunded
    (a refund made on its dashboard, say).
    """
    locked = Payment.objects.select_for_update().get(pk=payment.pk)
    if amount_paise <= 0 or amount_paise > _left_to_refund(locked):
        raise DomainError("That is more than is left to refund on this payment.")
    number = payment.refunds.count() + 1
    refund = Refund.objects.create(
        payment=payment,
        idempotency_key=idempotency_key or f"mockri-refund-{payment.pk}-{number}",
        amount_paise=amount_paise,
        reason=reason[:200],
    )
    from .tasks import refund_execute_task  # noqa: PLC0415 — a cycle: tasks.py imports this module

    refund_execute_task.enqueue(refund_id=refund.pk)
    return refund


def _refunding(payment: Payment) -> int:
    return sum(
        refund.amount_paise for refund in payment.refunds.exclude(status=RefundStatus.FAILED)
    )


def _left_to_refund(payment: Payment) -> int:
    """What may still go back: the amount paid less the larger of our refunds not failed and
    the provider's refunded total (each includes the processed refunds the other knows of)."""
    return payment.amount_paise - max(_refunding(payment), payment.amount_refunded_paise)


# A payment's refunds still on their way: asked for here, or accepted by the provider.
REFUND_IN_PROGRESS = [RefundStatus.REQUESTED, RefundStatus.PENDING]
REFUNDABLE = [PaymentStatus.CAPTURED, PaymentStatus.PARTIALLY_REFUNDED]


def refund_retry_key(failed: Refund) -> str:
    """The idempotency key of the retry of `failed`: another key than the failed attempt's (the
    provider would answer a repeated key with the failed refund), the same for every retry of
    that attempt, so a double submit finds the first retry instead of refunding twice."""
    return f"mockri-refund-retry-{failed.pk}"


@transaction.atomic
def refund_retry(*, failed: Refund, reason: str) -> tuple[Refund, bool]:
    """Ask again, as a new refund, for the amount of a refund the provider failed. Returns the
    retry and whether it is new: a second retry of the same failed refund (a double submit)
    returns the first one and asks for nothing.

    Refuses (DomainError) a refund that has not failed, a payment not captured, one with
    another refund still in progress, and one with less than the amount left to refund.
    Side effects: refund_request's (the new refund row, its execute task; once processed, its
    payment's refunded total and the credit note's email).
    """
    payment = Payment.objects.select_for_update().get(pk=failed.payment_id)
    key = refund_retry_key(failed)
    if (earlier := Refund.objects.filter(idempotency_key=key).first()) is not None:
        return earlier, False
    failed.refresh_from_db()
    if failed.status != RefundStatus.FAILED:
        status = failed.get_status_display().lower()
        raise DomainError(f"Only a failed refund can be retried; this one is {status}.")
    if payment.refunds.filter(status__in=REFUND_IN_PROGRESS).exists():
        raise DomainError(
            "Another refund of this payment is still in progress: check it with Razorpay first."
        )
    left = _left_to_refund(payment)
    if payment.status == PaymentStatus.REFUNDED or left <= 0:
        raise DomainError("This payment is already refunded in full.")
    if payment.status not in REFUNDABLE:
        status = payment.get_status_display().lower()
        raise DomainError(f"This payment is {status}: there is nothing to refund.")
    if failed.amount_paise > left:
        raise DomainError(
            f"Only {format_inr(left)} is left to refund on this payment, "
            f"less than the {format_inr(failed.amount_paise)} that failed."
        )
    retry = refund_request(
        payment=payment,
        amount_paise=failed.amount_paise,
        reason=f"Retry: {reason}",
        idempotency_key=key,
    )
    return retry, True


def refund_check(*, refund: Refund, gateway: base.PaymentGateway) -> Refund:
    """Ask the provider now about a refund not yet final and record its answer: a refund it
    accepted (pending) is fetched (GET /v1/refunds/:id); one it never acknowledged (requested:
    the execute task did not get through) is sent again with its own idempotency key, which
    creates no second refund. Raises DomainError for a final refund, or when the provider cannot
    be reached (nothing changes); a request the provider refuses marks the refund failed.

    Side effects: refund_record's (a processed refund updates its payment and sends
    refund_processed). A network call: never inside a transaction.
    """
    refund = Refund.objects.select_related("payment").get(pk=refund.pk)
    try:
        if refund.status == RefundStatus.PENDING and refund.provider_ref:
            info = gateway.fetch_refund(refund.provider_ref)
            if info.payment_ref != refund.payment.payment_ref:
                raise DomainError("The provider says that refund is of another payment.")
            return refund_record(info=info, refund=refund) or refund
        if refund.status == RefundStatus.REQUESTED:
            return refund_send(refund=refund, gateway=gateway)
    except base.GatewayError as error:
        raise DomainError(f"The provider could not be asked: {error.message}") from error
    raise DomainError(
        f"This refund is {refund.get_status_display().lower()}: there is nothing to check."
    )


def refund_send(*, refund: Refund, gateway: base.PaymentGateway) -> Refund:
    """Send a requested refund to the provider with its idempotency key (a repeat creates no
    second refund) and record the answer. A permanent refusal marks the refund failed; a
    transient GatewayError is raised and leaves it requested, for a retry.

    Side effects: refund_record's. A network call: never inside a transaction.
    """
    payment = refund.payment
    if refund.status != RefundStatus.REQUESTED or not payment.payment_ref:
        return refund
    try:
        info = gateway.refund(
            payment.payment_ref,
            amount_paise=refund.amount_paise,
            idempotency_key=refund.idempotency_key,
            notes=refund_notes(payment),
        )
    except base.GatewayError as error:
        if not error.permanent:
            raise
        refund_status_advance(refund, to=RefundStatus.FAILED)
        return refund
    return refund_record(info=info, refund=refund) or refund


def refund_notes(payment: Payment) -> dict:
    """What the provider keeps with the refund: the reference of what the payment bought."""
    kind = "booking" if payment.booking_id is not None else "pack_purchase"
    return {kind: payment.paid_for.reference}


def refund_record(*, info: base.Refund, refund: Refund | None = None) -> Refund | None:
    """Apply what the provider says about a refund; state only moves forward.

    Side effects: a processed refund updates its payment's refunded total and status and sends
    refund_processed (payments/lifecycle.py; invoices queues the credit note)."""
    with transaction.atomic():
        refund = refund or (
            Refund.objects.select_for_update().filter(provider_ref=info.provider_ref).first()
        )
        if refund is None:
            logger.warning("Refund %s is not one we asked for", info.provider_ref)
            return None
        refund.provider_ref = info.provider_ref
        refund.save(update_fields=["provider_ref", "updated_at"])
        if info.status in RefundStatus.values:
            refund_status_advance(refund, to=RefundStatus(info.status))
        if refund.status == RefundStatus.PROCESSED:
            _payment_refunded(refund.payment)
            refund_processed.send(sender=Refund, refund=refund)
    return refund


def _payment_refunded(payment: Payment) -> None:
    """The payment's refunded total and status follow its processed refunds (forward only)."""
    refunded = sum(r.amount_paise for r in payment.refunds.filter(status=RefundStatus.PROCESSED))
    status = (
        PaymentStatus.REFUNDED
        if refunded >= payment.amount_paise
        else PaymentStatus.PARTIALLY_REFUNDED
    )
    total = max(refunded, payment.amount_refunded_paise)
    moved = payment_status_advance(payment, to=status, amount_refunded_paise=total)
    if not moved and total != payment.amount_refunded_paise:
        # Another part refunded: the status stays partially refunded, the total grows.
        payment.amount_refunded_paise = total
        payment.save(update_fields=["amount_refunded_paise", "updated_at"])


@transaction.atomic
def refund_for_cancellation(*, booking: Booking) -> Refund | None:
    """Carry out the refund a cancellation decided (full, or none), once: a payment that has a
    refund already is left alone.

    Side effects: the refund and its execute task (refund_request's). Run by
    refund_for_cancellation_task, which booking_cancelled queues, and by reconciliation.
    """
    if booking.status != BookingStatus.CANCELLED or booking.refund_decision != RefundDecision.FULL:
        return None
    # Locked: the queued task and reconciliation may carry out the same decision at once.
    payment = (
        Payment.objects.select_for_update()
        .filter(booking=booking, status=PaymentStatus.CAPTURED)
        .first()
    )
    if payment is None or payment.refunds.exists():
        return None
    return refund_request(
        payment=payment, amount_paise=payment.amount_paise, reason="Cancelled: full refund"
    )


def payment_order_for(*, booking: Booking, gateway: base.PaymentGateway) -> Payment | None:
    """The order this booking is paid against: the open one if there is one (a reload or a
    retry after a failure reuses it), else a new one for the booking's price less its coupon
    (checked again and redeemed by coupon_redeem_for_order, which raises CouponRefused when
    it no longer holds). None when the coupon pays it all: the booking is then confirmed.

    Side effects: coupon_redeem_for_order's; may create an order at the provider (a network
    call: not inside a transaction).
    """
    open_payment = booking.payments.filter(
        gateway=gateway.name, status__in=[PaymentStatus.CREATED, PaymentStatus.FAILED]
    ).first()
    if open_payment is not None:
        return open_payment
    amount_paise = coupon_redeem_for_order(booking=booking)
    if amount_paise == 0:
        return None
    order = gateway.create_order(
        amount_paise=amount_paise,
        currency="INR",
        receipt=booking.reference,
        notes={"booking": booking.reference},
    )
    return Payment.objects.create(
        booking=booking,
        gateway=gateway.name,
        order_ref=order.provider_ref,
        amount_paise=order.amount_paise,
        currency=order.currency,
    )


def payment_order_for_pack(*, purchase: "PackPurchase", gateway: base.PaymentGateway) -> Payment:
    """The order a pack purchase is paid against: its open one, else a new one for the price
    the purchase was made at less its coupon (checked again and redeemed by
    coupon_redeem_for_pack_order, which raises CouponRefused when it no longer holds), as
    payment_order_for does for a booking.

    Side effects: coupon_redeem_for_pack_order's; may create an order at the provider (a
    network call: not inside a transaction).
    """
    open_payment = purchase.payments.filter(
        gateway=gateway.name, status__in=[PaymentStatus.CREATED, PaymentStatus.FAILED]
    ).first()
    if open_payment is not None:
        return open_payment
    order = gateway.create_order(
        amount_paise=coupon_redeem_for_pack_order(purchase=purchase),
        currency="INR",
        receipt=purchase.reference,
        notes={"pack_purchase": purchase.reference},
    )
    return Payment.objects.create(
        pack_purchase=purchase,
        gateway=gateway.name,
        order_ref=order.provider_ref,
        amount_paise=order.amount_paise,
        currency=order.currency,
    )


def payment_checkout_complete(
    *, payment: Payment, gateway: base.PaymentGateway, payment_ref: str, signature: str
) -> Payment:
    """The checkout says it paid: check its signature against OUR order id, then ask the
    provider what really happened and record that (which confirms the booking when captured).
    Raises SignatureError for a forged or mismatched callback.
    """
    gateway.verify_payment_signature(
        order_ref=payment.order_ref, payment_ref=payment_ref, signature=signature
    )
    info = gateway.fetch_payment(payment_ref)
    if info.order_ref != payment.order_ref:
        raise base.SignatureError("That payment belongs to another order.")
    return payment_record(info=info) or payment


STALE_AFTER = datetime.timedelta(minutes=20)
RECONCILE_WINDOW = datetime.timedelta(days=7)


def payments_reconcile(*, gateway: base.PaymentGateway, now: datetime.datetime) -> dict:
    """Settle whatever the webhooks did not: for orders still unpaid after their hold, payments
    stuck in authorised, and refunds not yet final, ask the provider and record the answer.
    Holds whose expiry task was lost are expired too, and cancellations whose full refund was
    never requested are refunded. Returns counts, for the log.

    Side effects: those of payment_record, refund_record and refund_for_cancellation; provider
    calls (run it in a task).
    """
    counts = {"orders": 0, "refunds": 0, "holds": 0, "cancellations": 0, "errors": 0}
    recent = now - RECONCILE_WINDOW
    stuck = Payment.objects.filter(gateway=gateway.name, created_at__gte=recent).filter(
        Q(
            status__in=[PaymentStatus.CREATED, PaymentStatus.FAILED],
            created_at__lte=now - STALE_AFTER,
        )
        | Q(status=PaymentStatus.AUTHORIZED)
    )
    for payment in stuck:
        try:
            for info in gateway.order_payments(payment.order_ref):
                payment_record(info=info)
            counts["orders"] += 1
        except base.GatewayError as error:
            logger.warning("Reconciling %s failed: %s", payment.order_ref, error.message)
            counts["errors"] += 1
    unsettled = Refund.objects.filter(payment__gateway=gateway.name, created_at__gte=recent)
    for refund in unsettled.filter(
        status=RefundStatus.REQUESTED, created_at__lte=now - STALE_AFTER
    ):
        from .tasks import refund_execute_task  # noqa: PLC0415 — a cycle: tasks.py imports this module

        refund_execute_task.enqueue(refund_id=refund.pk)
        counts["refunds"] += 1
    for refund in unsettled.filter(status=RefundStatus.PENDING).exclude(provider_ref=None):
        try:
            # The query excludes refunds without a provider_ref.
            provider_ref = cast(str, refund.provider_ref)
            refund_record(info=gateway.fetch_refund(provider_ref), refund=refund)
            counts["refunds"] += 1
        except base.GatewayError as error:
            logger.warning("Reconciling refund %s failed: %s", refund.provider_ref, error.message)
            counts["errors"] += 1
    for booking_id in Booking.objects.filter(
        status=BookingStatus.PENDING_PAYMENT, hold_expires_at__lte=now
    ).values_list("pk", flat=True):
        counts["holds"] += booking_expire_hold(booking_id=booking_id, now=now)
    unrefunded = Booking.objects.filter(
        status=BookingStatus.CANCELLED,
        refund_decision=RefundDecision.FULL,
        cancelled_at__lte=now - STALE_AFTER,  # a newer one's own task may not have run yet
        payments__gateway=gateway.name,
        payments__status=PaymentStatus.CAPTURED,
        payments__refunds=None,
    ).distinct()
    for booking in unrefunded:
        counts["cancellations"] += refund_for_cancellation(booking=booking) is not None
    return counts
