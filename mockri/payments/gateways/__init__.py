from django.conf import settings

from .base import PaymentGateway
from .fake import TestGateway


def get_gateway() -> PaymentGateway:
    """The provider PAYMENT_GATEWAY names: Razorpay, or the offline test gateway."""
    if settings.PAYMENT_GATEWAY == "razorpay":
        from .razorpay import RazorpayGateway  # noqa: PLC0415 — the razorpay SDK loads only when it is the gateway

        return RazorpayGateway(
            key_id=settings.RAZORPAY_KEY_ID,
            key_secret=settings.RAZORPAY_KEY_SECRET,
            webhook_secret=settings.RAZORPAY_WEBHOOK_SECRET,
        )

    return TestGateway()
