import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.csp import csp_override
from django.views.decorators.http import require_GET, require_POST

from mockri.bookings.enums import Actor
from mockri.bookings.selectors import booking_get_for_user
from mockri.coupons.forms import PackCouponForm
from mockri.coupons.selectors import coupon_redeemed_on_pack
from mockri.coupons.services import CouponRefused
from mockri.lib.errors import DomainError
from mockri.lib.money import format_inr
from mockri.payments.gateways import get_gateway
from mockri.payments.gateways.base import GatewayError
from mockri.payments.services import payment_order_for_pack
from mockri.payments.views import RAZORPAY_CHECKOUT_CSP, checkout_context

from .models import Pack
from .selectors import packs_on_sale, purchase_get_for_user, purchases_of_candidate
from .services import (
    booking_pay_with_credit,
    pack_purchase_refund,
    pack_purchase_start,
    pack_refund_quote,
)

logger = logging.getLogger(__name__)


@require_GET
def pack_list(request):
    """The packs on sale, and a signed-in candidate's own packs with their credits."""
    return _pack_list_page(request)


def _pack_list_page(request, *, refused_pack=None, coupon_form=None, status=200):
    """The list; after a refused coupon, with its form (and error) under that pack."""
    mine = list(purchases_of_candidate(user=request.user)) if request.user.is_authenticated else []
    return render(
        request,
        "packs/pack_list.html",
        {
            "packs": packs_on_sale(),
            "purchases": mine,
            "refund_window_days": settings.PACK_REFUND_WINDOW_DAYS,
            "refused_pack": refused_pack,
            "coupon_form": coupon_form,
        },
        status=status,
    )


@login_required
@require_POST
def pack_buy(request, slug: str):
    """Start buying a pack, with the coupon in its box if one was given."""
    pack = get_object_or_404(Pack, slug=slug, is_active=True)
    form = PackCouponForm(request.POST, candidate=request.user, pack=pack)
    if not form.is_valid():
        return _pack_list_page(request, refused_pack=pack, coupon_form=form, status=422)
    try:
        purchase = pack_purchase_start(
            candidate=request.user, pack=pack, coupon_code=form.cleaned_data["coupon_code"]
        )
    except CouponRefused as refusal:  # changed since the form checked it
        form.add_error("coupon_code", refusal.message)
        return _pack_list_page(request, refused_pack=pack, coupon_form=form, status=422)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("packs:list")
    return redirect("packs:pay", reference=purchase.reference)


@never_cache
@login_required
@require_GET
@csp_override(RAZORPAY_CHECKOUT_CSP)
def pack_pay(request, reference: str):
    """The payment step of a pack: the same checkout as a booking's."""
    purchase = purchase_get_for_user(user=request.user, reference=reference)
    if purchase.candidate_id != request.user.pk:
        raise Http404
    if purchase.granted_at is not None:
        messages.info(request, "This pack is paid for.")
        return redirect(purchase)
    gateway = get_gateway()
    try:
        payment = payment_order_for_pack(purchase=purchase, gateway=gateway)
    except CouponRefused as refusal:  # no longer holds: taken off, the full price applies
        messages.error(request, refusal.message)
        return redirect("packs:pay", reference=purchase.reference)
    except GatewayError as error:
        logger.warning("Could not create an order for %s: %s", purchase.reference, error.message)
        messages.error(request, "We couldn't start the payment just now. Please try again.")
        return redirect("packs:list")
    return render(
        request,
        "packs/pack_pay.html",
        {
            "purchase": purchase,
            "redemption": coupon_redeemed_on_pack(purchase),
            **checkout_context(
                payment=payment,
                gateway=gateway,
                description=f"{purchase.pack.name} · {purchase.reference}",
                payer=request.user,
            ),
        },
    )


@never_cache
@login_required
@require_GET
def purchase_detail(request, reference: str):
    """A pack's credits: the balance, every movement, the expiry and the refund of unused ones."""
    purchase = purchase_get_for_user(user=request.user, reference=reference)
    credits, amount, refusal = pack_refund_quote(purchase, now=timezone.now())
    return render(
        request,
        "packs/purchase_detail.html",
        {
            "purchase": purchase,
            "entries": purchase.entries.select_related("booking__interview_type", "refund"),
            "receipts": [
                payment.receipt
                for payment in purchase.payments.select_related("receipt")
                if hasattr(payment, "receipt")
            ],
            "refund_credits": credits,
            "refund_amount": format_inr(amount),
            "refund_refusal": refusal,
            "is_candidate": purchase.candidate_id == request.user.pk,
        },
    )


@login_required
@require_POST
def purchase_refund(request, reference: str):
    purchase = purchase_get_for_user(user=request.user, reference=reference)
    try:
        refund = pack_purchase_refund(purchase=purchase, candidate=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, f"Refund of {format_inr(refund.amount_paise)} requested for unused credits."
        )
    return redirect(purchase)


@login_required
@require_POST
def booking_use_credit(request, reference: str):
    """The pay step's other button: pay for the held booking with a pack credit."""
    booking, role = booking_get_for_user(user=request.user, reference=reference)
    if role != Actor.CANDIDATE:
        raise Http404
    try:
        booking_pay_with_credit(booking=booking, candidate=request.user)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect(booking)
    messages.success(request, "Paid with a pack credit. You're booked!")
    return redirect(booking)
