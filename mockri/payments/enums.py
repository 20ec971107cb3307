from django.db import models


class PaymentStatus(models.TextChoices):
    CREATED = "created", "Awaiting payment"
    FAILED = "failed", "Failed"
    AUTHORIZED = "authorized", "Authorised"
    CAPTURED = "captured", "Paid"
    PARTIALLY_REFUNDED = "partially_refunded", "Partly refunded"
    REFUNDED = "refunded", "Refunded"


# Payment state only moves forward, whatever order the provider's events arrive in. A failed
# attempt ranks below authorised because a late authorisation can follow a failure.
PAYMENT_RANK: dict[str, int] = {
    PaymentStatus.CREATED: 0,
    PaymentStatus.FAILED: 1,
    PaymentStatus.AUTHORIZED: 2,
    PaymentStatus.CAPTURED: 3,
    PaymentStatus.PARTIALLY_REFUNDED: 4,
    PaymentStatus.REFUNDED: 5,
}


class RefundStatus(models.TextChoices):
    REQUESTED = "requested", "Requested"
    PENDING = "pending", "In progress"
    PROCESSED = "processed", "Refunded"
    FAILED = "failed", "Failed"


REFUND_RANK: dict[str, int] = {
    RefundStatus.REQUESTED: 0,
    RefundStatus.PENDING: 1,
    RefundStatus.FAILED: 2,
    RefundStatus.PROCESSED: 3,
}
