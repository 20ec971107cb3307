import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.csp import CSP
from django.views.decorators.cache import never_cache
from django.views.decorators.csp import csp_override
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mockri.bookings.enums import Actor, BookingStatus
from mockri.bookings.models import Booking
from mockri.bookings.selectors import booking_get_for_user
from mockri.bookings.services import refund_window_closed
from mockri.coupons.selectors import coupon_redeemed_on, coupon_redeemed_on_pack
from mockri.coupons.services import CouponRefused
from mockri.invoices.models import Invoice
from mockri.lib.errors import DomainError
from mockri.lib.money import format_inr

from .checkout import CHECKOUT_METHODS, checkout_options
from .enums import PaymentStatus
from .forms import StaffRefundForm
from .gateways import get_gateway
from .gateways.base import GatewayError, SignatureError
from .gateways.fake import TestGateway
from .models import Payment, Receipt
from .services import payment_checkout_complete, payment_order_for, refund_request
from .tasks import test_gateway_deliver_task
from .webhooks import webhook_event_store

logger = logging.getLogger(__name__)


@csrf_exempt  # the provider signs its requests instead; the signature is checked first
@require_POST
def razorpay_webhook(request):
    """Razorpay's events: the signature over the raw body first, then stored once by event id
    and answered at once; the work runs in a task. 400 only for a bad signature or body."""
    gateway = get_gateway()
    try:
        event = gateway.parse_webhook(
            body=request.body,
            signature=request.headers.get("X-Razorpay-Signature", ""),
            event_id=request.headers.get("X-Razorpay-Event-Id", ""),
        )
    except SignatureError:
        logger.warning("Razorpay webhook with a bad signature refused")
        return HttpResponseBadRequest("Bad signature.")
    except GatewayError as error:  # signed, but no event id or not an event
        return HttpResponseBadRequest(error.message)
    webhook_event_store(provider=gateway.name, event=event)
    return HttpResponse("OK")


def _candidates_held_booking(request, reference: str) -> Booking:
    booking, role = booking_get_for_user(user=request.user, reference=reference)
    if role != Actor.CANDIDATE:
        raise Http404
    return booking


# Razorpay's Standard Checkout is the one third-party script in Mockri, allowed on this page only.
RAZORPAY_CHECKOUT_CSP = {
    **settings.SECURE_CSP,
    "script-src": [CSP.SELF, "https://checkout.razorpay.com"],
    "frame-src": ["https://api.razorpay.com", "https://checkout.razorpay.com"],
    "connect-src": [CSP.SELF, "https://api.razorpay.com", "https://lumberjack.razorpay.com"],
    "img-src": [CSP.SELF, "data:", "https://cdn.razorpay.com"],
    "style-src": [CSP.SELF, "https://checkout.razorpay.com"],
}


@never_cache
@login_required
@require_GET
@csp_override(RAZORPAY_CHECKOUT_CSP)
def pay(request, reference: str):
    """The payment step of a held booking: Razorpay's checkout, or the test checkout."""
    booking = _candidates_held_booking(request, reference)
    if booking.status != BookingStatus.PENDING_PAYMENT or (
        booking.hold_expires_at and booking.hold_expires_at <= timezone.now()
    ):
        messages.info(request, "This booking is not waiting for a payment.")
        return redirect(booking)
    gateway = get_gateway()
    try:
        payment = payment_order_for(booking=booking, gateway=gateway)
    except CouponRefused as refusal:
        messages.error(request, refusal.message)
        return redirect("payments:pay", reference=booking.reference)
    except DomainError as error:  # a coupon-covered booking changed meanwhile
        messages.error(request, error.message)
        return redirect(booking)
    except GatewayError as error:
        logger.warning("Could not create an order for %s: %s", booking.reference, error.message)
        messages.error(request, "We couldn't start the payment just now. Please try again.")
        return redirect(booking)
    if payment is None:
        messages.success(request, "Your coupon covered the whole price. You're booked!")
        return redirect(booking)
    return render(
        request,
        "payments/pay.html",
        {
            "booking": booking,
            "redemption": coupon_redeemed_on(booking),
            "never_refundable": refund_window_closed(
                starts_at=booking.starts_at, now=timezone.now()
            ),
            **checkout_context(
                payment=payment,
                gateway=gateway,
                description=f"{booking.interview_type.name} · {booking.reference}",
                payer=request.user,
            ),
        },
    )


def checkout_context(*, payment: Payment, gateway, description: str, payer) -> dict:
    """What payments/includes/checkout.html needs: Razorpay's options, or the test checkout."""
    return {
        "payment": payment,
        "gateway": gateway.name,
        "checkout_options": checkout_options(
            payment=payment, key_id=settings.RAZORPAY_KEY_ID, description=description, payer=payer
        ),
    }


@login_required
@require_POST
def checkout_complete(request):
    """Where the checkout's success handler posts: razorpay_order_id, razorpay_payment_id and
    razorpay_signature. The order must be one of this candidate's; the signature is checked
    against the order id we stored, and the provider is asked what really happened."""
    payment = get_object_or_404(
        _candidates_payments(request.user), order_ref=request.POST.get("razorpay_order_id", "")
    )
    paid_for = payment.paid_for
    try:
        payment = payment_checkout_complete(
            payment=payment,
            gateway=get_gateway(),
            payment_ref=request.POST.get("razorpay_payment_id", ""),
            signature=request.POST.get("razorpay_signature", ""),
        )
    except SignatureError:
        logger.warning("Checkout callback with a bad signature for %s", payment.order_ref)
        messages.error(
            request,
            "We couldn't verify that payment. If money was taken, it will "
            "be confirmed or refunded automatically.",
        )
        return redirect(paid_for)
    except GatewayError:
        messages.info(request, "Your payment is being confirmed. This page will show it shortly.")
        return redirect(paid_for)
    if payment.booking_id is None:
        if payment.status == PaymentStatus.CAPTURED:
            messages.success(request, "Payment received. Your credits are on their way.")
        else:
            messages.info(request, "Your payment is being confirmed.")
        return redirect(paid_for)
    paid_for.refresh_from_db()
    if paid_for.status == BookingStatus.CONFIRMED:
        messages.success(request, "Payment received. You're booked!")
    else:
        messages.info(request, "Your payment is being confirmed.")
    return redirect(paid_for)


def _candidates_payments(user):
    """Payments for this person's bookings and pack purchases."""
    return Payment.objects.select_related("booking__interview_type", "pack_purchase__pack").filter(
        Q(booking__candidate=user) | Q(pack_purchase__candidate=user)
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def test_checkout(request, order_ref: str):
    """The offline test gateway's checkout page, clearly marked TEST MODE: Pay or Fail."""
    gateway = get_gateway()
    if not isinstance(gateway, TestGateway):
        raise Http404
    payment = get_object_or_404(_candidates_payments(request.user), order_ref=order_ref)
    if request.method == "GET":
        return render(
            request,
            "payments/test_checkout.html",
            {"payment": payment, "methods": CHECKOUT_METHODS, "first_method": CHECKOUT_METHODS[0]},
        )
    method = request.POST.get("method", "")
    if method not in dict(CHECKOUT_METHODS):
        method = CHECKOUT_METHODS[0][0]
    try:
        paid, signature, webhooks = gateway.checkout(
            order_ref, succeed=request.POST.get("outcome") == "pay", method=method
        )
    except GatewayError as error:
        messages.error(request, error.message)
        return redirect(payment.paid_for)
    # Razorpay would now deliver its webhooks; the test gateway delivers the same, signed.
    test_gateway_deliver_task.enqueue(
        webhooks=[
            [body.decode("utf-8"), signature, event_id] for body, signature, event_id in webhooks
        ]
    )
    if paid.status != "captured":
        messages.error(request, "The test payment failed. You can try again.")
        return redirect(payment.pay_url)
    return render(
        request,
        "payments/test_checkout_done.html",
        {"order_ref": order_ref, "payment_ref": paid.provider_ref, "signature": signature},
    )


@never_cache
@login_required
@require_GET
def receipt(request, number: int):
    """A payment's receipt, for its candidate and staff; printable."""
    issued = get_object_or_404(
        Receipt.objects.select_related(
            "payment__booking__interview_type",
            "payment__booking__interviewer",
            "payment__booking__candidate",
            "payment__pack_purchase__pack",
            "payment__pack_purchase__candidate",
        ),
        pk=number,
    )
    purchase = issued.payment.pack_purchase
    booking = None
    if purchase is not None:
        if purchase.candidate_id != request.user.pk and not request.user.is_staff:
            raise Http404
    else:
        booking, role = booking_get_for_user(
            user=request.user, reference=issued.payment.booking.reference
        )
        if role == Actor.INTERVIEWER:
            raise Http404
    return render(
        request,
        "payments/receipt.html",
        {
            "receipt": issued,
            "payment": issued.payment,
            "booking": booking,
            "redemption": coupon_redeemed_on(booking) or coupon_redeemed_on_pack(purchase),
            "invoice": Invoice.objects.filter(payment=issued.payment).first(),
            "purchase": purchase,
            "payer": booking.candidate if booking else purchase.candidate,
        },
    )


@login_required
@require_POST
def staff_refund(request, reference: str):
    """Staff refund a captured payment of a booking, in full or in part (amount in rupees)."""
    booking, role = booking_get_for_user(user=request.user, reference=reference)
    if role != Actor.STAFF:
        raise Http404
    payment = booking.payments.filter(
        status__in=[PaymentStatus.CAPTURED, PaymentStatus.PARTIALLY_REFUNDED]
    ).first()
    form = StaffRefundForm(request.POST)
    if payment is None or not form.is_valid():
        messages.error(request, "Enter an amount in rupees, e.g. 499.50.")
        return redirect(booking)
    try:
        refund = refund_request(
            payment=payment,
            amount_paise=form.amount_paise(),
            reason=form.cleaned_data["reason"] or "Refund by staff",
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"Refund of {format_inr(refund.amount_paise)} requested.")
    return redirect(booking)
