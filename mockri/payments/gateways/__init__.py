from django.conf import settings

from .base import PaymentGateway


def get_gateway() -> PaymentGateway:
    """The provider PAYMENT_GATEWAY names: Razorpay, or the offline test gateway."""
    if settings.PAYMENT_GATEWAY == "razorpay":
        from .razorpay import RazorpayGateway

        return RazorpayGateway(
            key_id=settings.RAZORPAY_KEY_ID,
            key_secret=settings.RAZORPAY_KEY_SECRET,
            webhook_secret=settings.RAZORPAY_WEBHOOK_SECRET,
        )
    from .fake import TestGateway

    return TestGateway()
