from django.conf import settings

from .base import GatewayError, PaymentGateway


def get_gateway() -> PaymentGateway:
    """The configured payment provider. Raises GatewayError when none is configured."""
    if settings.RAZORPAY_KEY_ID:
        from .razorpay import RazorpayGateway

        return RazorpayGateway(
            key_id=settings.RAZORPAY_KEY_ID,
            key_secret=settings.RAZORPAY_KEY_SECRET,
            webhook_secret=settings.RAZORPAY_WEBHOOK_SECRET,
        )
    raise GatewayError("No payment provider is configured.", permanent=True)
