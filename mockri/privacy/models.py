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
    # Proof that the request comes from the owner of the account registered with `email`: it
    # was made while signed in as that account, or they confirmed it through a one-time link
    # emailed to that address (only its hash is kept). Staff act on an account only then.
    verified_at = models.DateTimeField(
        null=True, blank=True, help_text="When the account's owner confirmed the request."
    )
    confirm_token_sha256 = models.CharField(max_length=64, blank=True, db_index=True)
    confirm_expires_at = models.DateTimeField(null=True, blank=True)

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


class BreachDataKind(models.TextChoices):
    """The kinds of personal data a breach can involve; `privacy.selectors.breach_affected_users`
    knows where each lives."""

    ACCOUNT = "account", "Account details (name, email address, time zone, profile image)"
    FILES = "files", "Resumes and job descriptions"
    BOOKINGS = "bookings", "Booking details (session times, interviewer, notes, meeting links)"
    PAYMENTS = "payments", "Payment references and amounts (never card or bank details)"
    FEEDBACK = "feedback", "Interview feedback and ratings"
    EMAILS = "emails", "Emails we sent you"
    REQUESTS = "requests", "Privacy requests and grievances you sent us"


def breach_reference(pk: int | None) -> str:
    """What people quote when they write about an incident."""
    return f"BR-{pk:04d}" if pk else "BR-new"


class BreachIncident(models.Model):
    """A personal data breach, described as DPDP Rule 7(1) requires each affected person to be
    told: what happened (nature, extent, timing), its likely consequences, what Mockri did about
    it, what they can do, and (from settings.OPERATOR) whom to contact."""

    description = models.TextField(
        help_text="What happened: its nature and extent, in words the people affected understand."
    )
    window_start = models.DateTimeField(help_text="When the breach began (or may have).")
    window_end = models.DateTimeField(help_text="When it was stopped.")
    discovered_at = models.DateTimeField(
        help_text="When Mockri became aware of it: the Board's 72 hours and CERT-In's 6 hours "
        "count from here."
    )
    data_kinds = models.JSONField(
        default=list, help_text="The kinds of data involved: values of BreachDataKind."
    )
    consequences = models.TextField(help_text="The likely consequences for the people affected.")
    mitigation = models.TextField(help_text="What Mockri has done and will do to limit the harm.")
    user_steps = models.TextField(
        help_text="What the people affected can do to protect themselves."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    notified_at = models.DateTimeField(
        null=True, blank=True, help_text="When the notices first went to the people affected."
    )

    class Meta:
        ordering = ["-discovered_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(window_start__lt=models.F("window_end")),
                name="breach_window_in_order",
            )
        ]

    def __str__(self) -> str:
        return f"{self.reference} ({self.window_start:%Y-%m-%d})"

    @property
    def reference(self) -> str:
        return breach_reference(self.pk)

    @property
    def data_kind_labels(self) -> list[str]:
        labels = dict(BreachDataKind.choices)
        return [labels.get(kind, kind) for kind in self.data_kinds]


class BreachNotice(models.Model):
    """The notice of one incident to one person: sent once (by email unless the address bounced,
    and in the app), and acknowledged when they have read it in the app."""

    incident = models.ForeignKey(BreachIncident, on_delete=models.PROTECT, related_name="notices")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="breach_notices"
    )
    email = models.ForeignKey(
        "notifications.OutboxEmail",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Empty when the address had bounced: the person sees the notice in the app only.",
    )
    sent_at = models.DateTimeField()
    acknowledged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(fields=["incident", "user"], name="breach_notice_once_per_user")
        ]
        indexes = [
            # The banner's one query per page: this person's unacknowledged notices.
            models.Index(
                fields=["user"],
                condition=models.Q(acknowledged_at__isnull=True),
                name="breach_notice_unread",
            )
        ]

    def __str__(self) -> str:
        return f"{breach_reference(self.incident_id)} to user {self.user_id}"


class Nominee(models.Model):
    """Someone the person names to exercise their rights if they die or cannot act themselves
    (DPDP Act s.14, Rules r.14(4)). Staff check a request made in that capacity against this."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="nominees"
    )
    name = models.CharField(max_length=150)
    email = models.EmailField()
    relationship = models.CharField(max_length=60, help_text="e.g. spouse, parent, friend")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.relationship})"
