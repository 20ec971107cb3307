from django.db import models

from mockri.bookings.models import Booking
from mockri.catalogue.models import InterviewerProfile

from .enums import MeetingStatus


class Meeting(models.Model):
    """The video meeting of one booking: which provider holds it, its id there and the link.

    Change it only through `meetings.services`. `synced_version`, `starts_at` and
    `interviewer` say which version of the booking the provider's meeting reflects, so a stale
    or repeated update is recognised and skipped, and a move to another interviewer is seen.
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
    # Kept after a fallback, so staff can see on the booking why it has a fallback link or none.
    last_error = models.TextField(blank=True)
    synced_version = models.PositiveIntegerField(default=0)
    starts_at = models.DateTimeField(null=True, blank=True)
    # Whom the provider's meeting was made or last moved for (None: not known, e.g. not made).
    interviewer = models.ForeignKey(
        InterviewerProfile, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
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
