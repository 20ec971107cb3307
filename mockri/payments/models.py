from django.db import models
from django.urls import reverse

from mockri.bookings.models import Booking

from .enums import PaymentStatus, RefundStatus


class Payment(models.Model):
    """One order at the payment provider for one booking or one pack purchase (exactly one of
    the two), and the payment made against it.

    Holds only what accounting and support need: provider ids, amounts, currency, status and
    the method type. Never card, bank, UPI or contact details.
    """

    booking = models.ForeignKey(
        Booking, on_delete=models.PROTECT, null=True, blank=True, related_name="payments"
    )
    pack_purchase = models.ForeignKey(
        "packs.PackPurchase",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="payments",
    )
    gateway = models.CharField(max_length=16)
    order_ref = models.CharField(max_length=64, unique=True)
    payment_ref = models.CharField(max_length=64, unique=True, null=True, blank=True)
    amount_paise = models.PositiveIntegerField()
    currency = models.CharField(max_length=3, default="INR")
    status = models.CharField(
        max_length=20, choices=PaymentStatus.choices, default=PaymentStatus.CREATED
    )
    method = models.CharField(max_length=16, blank=True)
    amount_refunded_paise = models.PositiveIntegerField(default=0)
    captured_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(booking__isnull=False, pack_purchase__isnull=True)
                | models.Q(booking__isnull=True, pack_purchase__isnull=False),
                name="payment_for_a_booking_or_a_pack",
            )
        ]

    def __str__(self) -> str:
        return f"{self.order_ref} ({self.status})"

    @property
    def paid_for(self):
        """What this payment buys: its booking or its pack purchase (both have a reference,
        a candidate and a page)."""
        return self.booking if self.booking_id else self.pack_purchase

    @property
    def pay_url(self) -> str:
        """Where its candidate pays (again, after a failure)."""
        if self.booking_id:
            return reverse("payments:pay", kwargs={"reference": self.booking.reference})
        return reverse("packs:pay", kwargs={"reference": self.pack_purchase.reference})


class Refund(models.Model):
    """Money going back to the candidate, decided by the cancellation policy or by staff."""

    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="refunds")
    # Sent with the request; the provider creates one refund however often it is retried.
    idempotency_key = models.CharField(max_length=64, unique=True)
    provider_ref = models.CharField(max_length=64, unique=True, null=True, blank=True)
    amount_paise = models.PositiveIntegerField()
    status = models.CharField(
        max_length=16, choices=RefundStatus.choices, default=RefundStatus.REQUESTED
    )
    reason = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.provider_ref or self.idempotency_key} ({self.status})"


class WebhookEvent(models.Model):
    """A provider's event, stored once per event id: redeliveries are recognised and ignored.

    `data` holds the event as the gateway read it (ids, amounts, statuses): never the raw
    payload, which carries the payer's contact details.
    """

    provider = models.CharField(max_length=16)
    event_id = models.CharField(max_length=100)
    name = models.CharField(max_length=64)
    data = models.JSONField(default=dict)
    received_at = models.DateTimeField(auto_now_add=True)
    processed_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-received_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "event_id"], name="webhook_event_once_per_provider"
            )
        ]

    def __str__(self) -> str:
        return f"{self.provider} {self.name} {self.event_id}"


class TestGatewayRecord(models.Model):
    """The offline test gateway's own books (its orders, payments and refunds), standing in for
    the provider's servers when no Razorpay keys are set. Never used with Razorpay."""

    ref = models.CharField(max_length=64, unique=True)
    kind = models.CharField(max_length=8)  # order | payment | refund
    data = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.ref


class Receipt(models.Model):
    """The receipt of a captured payment. Its id is the receipt's sequential number."""

    payment = models.OneToOneField(Payment, on_delete=models.PROTECT, related_name="receipt")
    issued_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.number

    @property
    def number(self) -> str:
        return f"MKR-{self.pk:06d}"
