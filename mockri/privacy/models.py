from django.conf import settings
from django.db import models


class PurgeLog(models.Model):
    """A record of what retention deleted and when: counts and references, no personal data."""

    ran_at = models.DateTimeField(auto_now_add=True)
    what = models.CharField(max_length=60)
    count = models.PositiveIntegerField()
    detail = models.TextField(blank=True, help_text="Booking references whose files went.")

    class Meta:
        ordering = ["-ran_at"]

    def __str__(self) -> str:
        return f"{self.ran_at:%Y-%m-%d %H:%M} {self.what}: {self.count}"


class GrievanceKind(models.TextChoices):
    ACCESS = "access", "A copy of my data"
    CORRECTION = "correction", "Correct my data"
    ERASURE = "erasure", "Delete my account and data"
    WITHDRAW_CONSENT = "withdraw_consent", "Withdraw my consent"
    COMPLAINT = "complaint", "A complaint or grievance"
    OTHER = "other", "Another privacy question"


class GrievanceStatus(models.TextChoices):
    OPEN = "open", "Open"
    ANSWERED = "answered", "Answered"
    CLOSED = "closed", "Closed"


class Grievance(models.Model):
    """A privacy request or grievance, with the date by which Mockri must answer it."""

    reference = models.CharField(max_length=12, unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="grievances",
    )
    name = models.CharField(max_length=150)
    email = models.EmailField()
    kind = models.CharField(max_length=20, choices=GrievanceKind.choices)
    message = models.TextField(max_length=5000)
    status = models.CharField(
        max_length=10, choices=GrievanceStatus.choices, default=GrievanceStatus.OPEN
    )
    reply = models.TextField(blank=True)
    due_at = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_at"]

    def __str__(self) -> str:
        return self.reference


class DataExportStatus(models.TextChoices):
    PREPARING = "preparing", "Preparing"
    READY = "ready", "Ready to download"
    DOWNLOADED = "downloaded", "Downloaded"
    EXPIRED = "expired", "Expired"
    FAILED = "failed", "Failed"


class DataExport(models.Model):
    """A copy of everything Mockri holds about a person: a ZIP built in the background, behind a
    link that works once, for its owner only, until `expires_at`. Only the token's hash is kept."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="data_exports"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        help_text="The person themselves, or the staff member who ran it for a written request.",
    )
    status = models.CharField(
        max_length=10, choices=DataExportStatus.choices, default=DataExportStatus.PREPARING
    )
    token_sha256 = models.CharField(max_length=64, unique=True)
    file = models.CharField(max_length=200, blank=True, help_text="Private storage name.")
    size = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    ready_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    downloaded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"export {self.pk} ({self.status})"
