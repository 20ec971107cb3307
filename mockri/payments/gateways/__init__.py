from django.conf import settings

from .base import PaymentGateway


def get_gateway() -> PaymentGateway:
    """The configured payment provider: Razorpay with keys, else the offline test gateway."""
    if settings.RAZORPAY_KEY_ID:
        from .razorpay import RazorpayGateway

        return RazorpayGateway(
            key_id=settings.RAZORPAY_KEY_ID,
            key_secret=settings.RAZORPAY_KEY_SECRET,
            webhook_secret=settings.RAZORPAY_WEBHOOK_SECRET,
        )
    from .fake import TestGateway

    return TestGateway()
