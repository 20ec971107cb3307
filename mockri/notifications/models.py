import hashlib

from django.conf import settings
from django.db import models

from mockri.bookings.models import Booking


class OutboxStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    SENDING = "sending", "Sending"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"


class OutboxEmail(models.Model):
    """One email, rendered when the change that causes it is committed, and sent once.

    The send task claims the row (queued → sending) before sending, so a retry or a second
    worker never sends it twice; `dedupe_key` makes queuing the same email twice a no-op.
    """

    kind = models.CharField(max_length=40)
    booking = models.ForeignKey(
        Booking, on_delete=models.SET_NULL, null=True, blank=True, related_name="emails"
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    to_address = models.EmailField()
    dedupe_key = models.CharField(max_length=200, unique=True)
    subject = models.CharField(max_length=200)
    text_body = models.TextField()
    html_body = models.TextField()
    # [{"filename": ..., "content": ..., "mimetype": ...}] (calendar invitations)
    attachments = models.JSONField(default=list, blank=True)
    status = models.CharField(
        max_length=8, choices=OutboxStatus.choices, default=OutboxStatus.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=300, blank=True)
    provider_message_id = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    # When a worker last claimed the row, and when the first attempt went to the provider: its
    # idempotency key lasts 24 hours from then, after which a blind retry could send twice.
    claimed_at = models.DateTimeField(null=True, blank=True)
    first_tried_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self) -> str:
        return f"{self.kind} to {self.to_address} ({self.status})"

    @property
    def idempotency_key(self) -> str:
        """What the email provider de-duplicates sends of this email on (Resend: at most 256
        characters, remembered 24 hours): the same for every attempt at this row, different for
        any other row, another deployment's included (staging and production may share a
        Resend team and have rows with equal dedupe keys)."""
        digest = hashlib.sha256(f"{settings.SITE_URL}\n{self.dedupe_key}".encode()).hexdigest()
        return f"mockri/{self.kind}/{digest}"
