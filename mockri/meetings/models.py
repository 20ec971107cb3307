from django.db import models

from mockri.bookings.models import Booking

from .enums import MeetingStatus


class Meeting(models.Model):
    """The video meeting of one booking: which provider holds it, its id there and the link.

    Change it only through `meetings.services`. `synced_version` and `starts_at` say which
    version of the booking the provider's meeting reflects, so a stale or repeated update is
    recognised and skipped.
    """

    booking = models.OneToOneField(Booking, on_delete=models.CASCADE, related_name="meeting")
    provider = models.CharField(max_length=16)
    external_id = models.CharField(max_length=200, blank=True)
    url = models.URLField(max_length=500, blank=True)
    status = models.CharField(
        max_length=16, choices=MeetingStatus.choices, default=MeetingStatus.PENDING
    )
    # Failed tries of the current operation (create, update or cancel); 0 after a success.
    attempts = models.PositiveSmallIntegerField(default=0)
    # Kept after a fallback, so staff can see on the booking why it has a Jitsi link.
    last_error = models.TextField(blank=True)
    synced_version = models.PositiveIntegerField(default=0)
    starts_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [models.Index(fields=["provider", "external_id"])]

    def __str__(self) -> str:
        return f"{self.booking_id} {self.provider} ({self.status})"


class WebhookDelivery(models.Model):
    """A verified webhook from a meeting provider, stored once per body: a redelivery of the
    same bytes finds its row and changes nothing. Holds ids and the outcome, never the payload
    (which carries names and email addresses)."""

    provider = models.CharField(max_length=16)
    body_sha256 = models.CharField(max_length=64)
    trigger = models.CharField(max_length=64)
    external_id = models.CharField(max_length=200, blank=True)
    received_at = models.DateTimeField(auto_now_add=True)
    outcome = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-received_at"]
        verbose_name_plural = "webhook deliveries"
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "body_sha256"], name="meetings_webhook_delivery_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.provider} {self.trigger} {self.external_id}"
