"""Coupons: what a code takes off a price, and its use on a booking or a pack purchase.

A code is checked when the candidate applies it on the details step or when buying a pack
(coupon_apply, coupon_apply_to_pack: a clear form error when it cannot be used), and again when
the order is made (coupon_redeem_for_order, coupon_redeem_for_pack_order), under a lock on the
coupon's row: only then does it use one of the coupon's uses, so its limits hold however many
candidates redeem it at the same moment.
"""

import datetime

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from mockri.accounts.models import User
from mockri.bookings.enums import Actor, BookingStatus
from mockri.bookings.models import Booking
from mockri.bookings.services import booking_transition
from mockri.catalogue.models import InterviewType
from mockri.lib.errors import DomainError
from mockri.packs.models import PackPurchase

from .enums import CouponKind
from .models import Coupon, CouponRedemption
from .selectors import USING_STATUSES, coupon_uses

# Razorpay refuses orders under ₹1: a coupon that would leave less covers the whole price.
SMALLEST_CHARGE_PAISE = 100


class CouponRefused(DomainError):
    """The code does not exist, or cannot be used for this, now, by this candidate."""


def coupon_code_clean(code: str) -> str:
    return code.strip().upper()


def coupon_find(*, code: str) -> Coupon:
    """The coupon with this code (any case, spaces around ignored); CouponRefused if none."""
    coupon = Coupon.objects.filter(code=coupon_code_clean(code)).first()
    if coupon is None:
        raise CouponRefused("There is no coupon with that code. Please check it and try again.")
    return coupon


def coupon_discount(
    coupon: Coupon,
    candidate: User,
    price_paise: int,
    *,
    for_pack: bool = False,
    interview_type: InterviewType | None = None,
    now: datetime.datetime | None = None,
    exclude_booking_id: int | None = None,
) -> int:
    """What `coupon` takes off `price_paise` for `candidate` buying a session of
    `interview_type` (or a pack, `for_pack`), in paise: never more than the price, and never
    leaving less than SMALLEST_CHARGE_PAISE to pay (then all of it; for a pack that is refused,
    as credits are only granted on a payment). Raises CouponRefused, with a message for the
    candidate, when it cannot be used. Reads only: callers that use it lock
    the coupon's row first (coupon_redeem_for_order)."""
    now = now or timezone.now()
    code = coupon.code
    if not coupon.is_active or coupon.starts_at > now:
        raise CouponRefused(f"The coupon {code} is not valid right now.")
    if coupon.ends_at is not None and coupon.ends_at <= now:
        raise CouponRefused(f"The coupon {code} has expired.")
    if for_pack and not coupon.applies_to_packs:
        raise CouponRefused(f"The coupon {code} does not apply to packs.")
    if not for_pack:
        if not coupon.applies_to_sessions:
            raise CouponRefused(f"The coupon {code} applies to packs only.")
        types = list(coupon.interview_types.all())
        if types and interview_type not in types:
            names = ", ".join(sorted(kind.name for kind in types))
            raise CouponRefused(f"The coupon {code} applies only to {names} sessions.")
    if price_paise < coupon.minimum_price_paise or price_paise == 0:
        raise CouponRefused(f"The coupon {code} applies only to higher prices.")
    if coupon.first_session_only and _has_had_a_session(candidate, exclude_booking_id):
        raise CouponRefused(f"The coupon {code} is for your first session only.")
    if coupon.max_uses is not None and (
        coupon_uses(coupon, exclude_booking_id=exclude_booking_id) >= coupon.max_uses
    ):
        raise CouponRefused(f"The coupon {code} has been used up.")
    mine = coupon_uses(coupon, candidate=candidate, exclude_booking_id=exclude_booking_id)
    if mine >= coupon.max_uses_per_candidate:
        raise CouponRefused(f"You have already used the coupon {code}.")
    if coupon.kind == CouponKind.PERCENT:
        discount = price_paise * (coupon.percent_off or 0) // 100
    else:
        discount = min(coupon.amount_off_paise or 0, price_paise)
    if price_paise - discount < SMALLEST_CHARGE_PAISE:
        if for_pack:
            raise CouponRefused(
                f"The coupon {code} would cover the whole pack, and a pack needs a payment. "
                "Please use it on a single session instead."
            )
        return price_paise
    return discount


def _has_had_a_session(candidate: User, exclude_booking_id: int | None) -> bool:
    others = Booking.objects.filter(candidate=candidate, status__in=USING_STATUSES)
    if exclude_booking_id is not None:
        others = others.exclude(pk=exclude_booking_id)
    return others.exists()


@transaction.atomic
def coupon_apply(*, booking: Booking, code: str, now: datetime.datetime | None = None):
    """Put the coupon with `code` on a booking awaiting payment, replacing any other; checked
    now, and checked again (and only then used) when its order is made. Raises CouponRefused.

    Side effects: the booking's CouponRedemption, not yet redeemed.
    """
    coupon = coupon_find(code=code)
    if booking.status != BookingStatus.PENDING_PAYMENT:
        raise CouponRefused("A coupon can only be applied before paying.")
    if booking.payments.exists():
        raise CouponRefused("This booking's payment has started: a coupon can't be added now.")
    discount = coupon_discount(
        coupon,
        booking.candidate,
        booking.price_paise,
        interview_type=booking.interview_type,
        now=now,
        exclude_booking_id=booking.pk,
    )
    CouponRedemption.objects.filter(booking=booking).delete()
    return CouponRedemption.objects.create(
        coupon=coupon,
        booking=booking,
        candidate=booking.candidate,
        list_price_paise=booking.price_paise,
        discount_paise=discount,
        paid_paise=booking.price_paise - discount,
    )


@transaction.atomic
def coupon_apply_to_pack(
    *, purchase: PackPurchase, code: str, now: datetime.datetime | None = None
) -> CouponRedemption:
    """Put the coupon with `code` on a pack purchase not yet ordered, replacing any other;
    checked now, and again (and only then used) when its order is made. Raises CouponRefused.

    Side effects: the purchase's CouponRedemption, not yet redeemed.
    """
    coupon = coupon_find(code=code)
    if purchase.granted_at is not None or purchase.payments.exists():
        raise CouponRefused("This pack's payment has started: a coupon can't be added now.")
    discount = coupon_discount(
        coupon, purchase.candidate, purchase.price_paise, for_pack=True, now=now
    )
    CouponRedemption.objects.filter(pack_purchase=purchase).delete()
    return CouponRedemption.objects.create(
        coupon=coupon,
        pack_purchase=purchase,
        candidate=purchase.candidate,
        list_price_paise=purchase.price_paise,
        discount_paise=discount,
        paid_paise=purchase.price_paise - discount,
    )


def coupon_redeem_for_order(*, booking: Booking, now: datetime.datetime | None = None) -> int:
    """The amount the booking's order is for: its price, less its coupon's discount when the
    coupon still holds. The coupon's row is locked while it is checked again and redeemed, so
    two candidates cannot both take its last use; a coupon that no longer holds is taken off
    the booking and CouponRefused raised (the order then is for the full price). A booking the
    coupon pays for in full is confirmed here, without an order.

    Side effects: the redemption's redeemed_at; for a fully covered booking, booking_transition
    to confirmed (its audit event, booking_confirmed and the tasks it queues).
    """
    now = now or timezone.now()
    with transaction.atomic():
        redemption = _redeem(
            CouponRedemption.objects.filter(booking=booking),
            booking.candidate,
            booking.price_paise,
            now=now,
            interview_type=booking.interview_type,
            exclude_booking_id=booking.pk,
        )
        if isinstance(redemption, CouponRedemption) and redemption.paid_paise == 0:
            booking_transition(
                booking,
                to=BookingStatus.CONFIRMED,
                actor=None,
                actor_role=Actor.SYSTEM,
                reason=f"The coupon {redemption.coupon.code} covered the price.",
                hold_expires_at=None,
            )
    return _amount_or_refusal(redemption, booking.price_paise)


def coupon_redeem_for_pack_order(
    *, purchase: PackPurchase, now: datetime.datetime | None = None
) -> int:
    """The amount a pack purchase's order is for: its price, less its coupon's discount when
    the coupon still holds, checked again and redeemed under the coupon's row lock as for a
    booking (coupon_redeem_for_order); CouponRefused when it no longer holds (it is taken off,
    and the order then is for the full price).

    Side effects: the redemption's redeemed_at.
    """
    with transaction.atomic():
        redemption = _redeem(
            CouponRedemption.objects.filter(pack_purchase=purchase),
            purchase.candidate,
            purchase.price_paise,
            now=now or timezone.now(),
            for_pack=True,
        )
    return _amount_or_refusal(redemption, purchase.price_paise)


def _redeem(
    redemptions: QuerySet[CouponRedemption],
    candidate: User,
    price_paise: int,
    *,
    now: datetime.datetime,
    **terms,
) -> CouponRedemption | CouponRefused | None:
    """The one redemption in `redemptions`, redeemed: checked again under a lock on its
    coupon's row, held to the end of the caller's transaction, so the next redeemer counts this
    use. None when there is none; the refusal when the coupon no longer holds (the redemption
    is deleted, and the caller raises it once that is committed)."""
    redemption = redemptions.select_related("coupon").first()
    if redemption is None or redemption.redeemed_at is not None:
        return redemption
    coupon = Coupon.objects.select_for_update().get(pk=redemption.coupon_id)
    try:
        discount = coupon_discount(coupon, candidate, price_paise, now=now, **terms)
    except CouponRefused as refusal:
        redemption.delete()
        return refusal
    redemption.discount_paise = discount
    redemption.paid_paise = price_paise - discount
    redemption.redeemed_at = now
    redemption.save(update_fields=["discount_paise", "paid_paise", "redeemed_at"])
    return redemption


def _amount_or_refusal(redemption: CouponRedemption | CouponRefused | None, price: int) -> int:
    if isinstance(redemption, CouponRefused):
        raise CouponRefused(f"{redemption.message} The full price applies.")
    return price if redemption is None else redemption.paid_paise


def coupon_set_active(*, coupon: Coupon, active: bool) -> Coupon:
    """Let a coupon be used, or stop it (redemptions already made stay)."""
    coupon.is_active = active
    coupon.save(update_fields=["is_active"])
    return coupon
