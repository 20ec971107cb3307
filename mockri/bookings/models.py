import secrets
import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse

from mockri.catalogue.models import InterviewerProfile, InterviewType
from mockri.lib.money import format_inr

from .enums import (
    ACTIVE_STATUSES,
    LOAD_STATUSES,
    Actor,
    BookingStatus,
    FileKind,
    NoShowSide,
    RefundDecision,
    UploadStatus,
)

# Unambiguous characters for references people read out over the phone or type from an email.
_REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def new_reference() -> str:
    return "MK-" + "".join(secrets.choice(_REFERENCE_ALPHABET) for _ in range(7))


class Booking(models.Model):
    """One session between a candidate and an interviewer: the hub the other apps point at.

    Change `status` only through `bookings.services.booking_transition`.
    """

    reference = models.CharField(max_length=12, unique=True, default=new_reference, editable=False)
    candidate = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="bookings"
    )
    interviewer = models.ForeignKey(
        InterviewerProfile, on_delete=models.PROTECT, related_name="bookings"
    )
    interview_type = models.ForeignKey(
        InterviewType, on_delete=models.PROTECT, related_name="bookings"
    )
    status = models.CharField(max_length=16, choices=BookingStatus.choices)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    # The end plus the interviewer's buffer: what the no-overlap rule compares.
    busy_until = models.DateTimeField()
    price_paise = models.PositiveIntegerField(help_text="The price when booked, in paise.")
    hold_expires_at = models.DateTimeField(null=True, blank=True)

    job_description_text = models.TextField(blank=True)
    target_company = models.CharField(max_length=120, blank=True)
    focus_areas = models.TextField(blank=True, max_length=2000)

    reschedule_count = models.PositiveSmallIntegerField(default=0)
    # Bumped on every change of time or interviewer (meeting providers key their requests on it).
    version = models.PositiveIntegerField(default=1)
    cancelled_by = models.CharField(max_length=16, choices=Actor.choices, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancellation_reason = models.TextField(blank=True, max_length=1000)
    refund_decision = models.CharField(
        max_length=16, choices=RefundDecision.choices, default=RefundDecision.NOT_APPLICABLE
    )
    no_show_side = models.CharField(max_length=16, choices=NoShowSide.choices, blank=True)

    # One submission of the booking form makes one booking, however often it is posted.
    idempotency_key = models.UUIDField(default=uuid.uuid4)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["starts_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["candidate", "idempotency_key"], name="booking_idempotency_key_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(starts_at__lt=models.F("ends_at"))
                & models.Q(ends_at__lte=models.F("busy_until")),
                name="booking_times_in_order",
            ),
            # The exclusion constraints (no overlap per interviewer and per candidate) are
            # PostgreSQL-only and live in migration 0002.
        ]
        indexes = [
            models.Index(fields=["interviewer", "starts_at"]),
            # How busy each free interviewer is, counted for every "any available" booking
            # (open_starts_free_at): read from the index alone, without visiting the rows.
            models.Index(
                fields=["interviewer", "starts_at"],
                condition=models.Q(status__in=LOAD_STATUSES),
                name="booking_interviewer_load",
            ),
            models.Index(fields=["candidate", "starts_at"]),
            models.Index(fields=["status", "hold_expires_at"]),
        ]

    def __str__(self) -> str:
        return self.reference

    def get_absolute_url(self) -> str:
        return reverse("bookings:detail", kwargs={"reference": self.reference})

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES

    @property
    def is_free(self) -> bool:
        return self.price_paise == 0

    @property
    def price_display(self) -> str:
        """What this booking costs (the price when it was made, not today's)."""
        return "Free" if self.is_free else format_inr(self.price_paise)


def booking_file_path(instance: "BookingFile | None", filename: str) -> str:
    # Server-made names only: the uploaded name is kept as data, never used on disk.
    return f"bookings/{uuid.uuid4().hex}"


class BookingFile(models.Model):
    """A job description or resume the candidate uploaded, stored privately."""

    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="files")
    kind = models.CharField(max_length=16, choices=FileKind.choices)
    file = models.FileField(upload_to=booking_file_path, max_length=200)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size_bytes = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["booking", "kind"], name="booking_file_one_per_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.booking} {self.kind}"

    def get_absolute_url(self) -> str:
        return reverse(
            "bookings:file", kwargs={"reference": self.booking.reference, "kind": self.kind}
        )


class FileAccess(models.Model):
    """Who opened which file of a booking, and when. Kept after the file itself is gone."""

    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="file_accesses")
    kind = models.CharField(max_length=16, choices=FileKind.choices)
    file_name = models.CharField(max_length=200)
    accessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    accessed_by_role = models.CharField(max_length=16, choices=Actor.choices)
    accessed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-accessed_at"]
        verbose_name_plural = "file accesses"

    def __str__(self) -> str:
        return f"{self.booking} {self.kind} by {self.accessed_by_role} at {self.accessed_at}"


class BookingEvent(models.Model):
    """The audit trail of a booking: every change of state, time or interviewer."""

    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    actor_role = models.CharField(max_length=16, choices=Actor.choices)
    action = models.CharField(max_length=32)
    from_status = models.CharField(max_length=16, blank=True)
    to_status = models.CharField(max_length=16, blank=True)
    detail = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.booking} {self.action} by {self.actor_role}"


class ScheduleVersion(models.Model):
    """Markers (see availability_cache): row 1's number changes whenever anything that decides
    open slots changes, and cached slot pages are keyed on it; row 2's whenever an interviewer's
    own rules change, and each process keeps those rules under it."""

    value = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return str(self.value)


class Upload(models.Model):
    """A booking file the browser sends in parts before posting the form that uses it
    (upload_services.py): Vercel refuses request bodies over 4.5 MB, and a file may be 5 MB.
    Its parts, then the joined file, are stored under uploads/<owner id>/<upload id>/."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=16, choices=FileKind.choices)
    status = models.CharField(
        max_length=16, choices=UploadStatus.choices, default=UploadStatus.RECEIVING
    )
    size_bytes = models.PositiveIntegerField(help_text="The whole file's size, declared first.")
    # The chunk size when the upload began: a change of the setting must not strand it.
    part_size_bytes = models.PositiveIntegerField()
    parts_received = models.PositiveSmallIntegerField(default=0)
    name = models.CharField(
        max_length=200, help_text="The name the browser gave; once complete, the checked name."
    )
    file = models.CharField(max_length=200, blank=True, help_text="Storage name once complete.")
    created_at = models.DateTimeField()
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["owner", "created_at"]),
            models.Index(fields=["created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.kind} upload {self.pk} ({self.status})"

    @property
    def part_count(self) -> int:
        return -(-self.size_bytes // self.part_size_bytes)

    def part_size(self, number: int) -> int:
        """The size part `number` (from 0) must have: the chunk size, the last one the rest."""
        return min(self.part_size_bytes, self.size_bytes - number * self.part_size_bytes)

    @property
    def prefix(self) -> str:
        return f"uploads/{self.owner_id}/{self.pk.hex}"

    def part_name(self, number: int) -> str:
        return f"{self.prefix}/{number}"


class RateLimitCount(models.Model):
    """How often one source (an address or an account, as a keyed digest) used one action in the
    current window of one rate, and in the window before: bookings.ratelimits."""

    key = models.CharField(primary_key=True, max_length=64)
    window_start = models.BigIntegerField()  # Unix seconds, a multiple of the rate's duration
    hits = models.PositiveIntegerField()
    previous_hits = models.PositiveIntegerField()  # in the window just before window_start

    def __str__(self) -> str:
        return f"{self.key[:8]}… {self.hits} since {self.window_start}"


class OpenStart(models.Model):
    """A time one interviewer can be booked at for one type, whatever the time is now: the slot
    engine's start with no notice or horizon applied (bookings/open_starts.py keeps the table).

    Rows exist only while the interviewer is bookable (listed, not on hold, active) and offers
    the type. A page reading at `now` keeps the rows with bookable_from <= now <= bookable_until,
    which is the engine's `now + min_notice <= start <= now + horizon` (and a hold run out).
    """

    interviewer = models.ForeignKey(
        InterviewerProfile, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    interview_type = models.ForeignKey(
        InterviewType, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    starts_at = models.DateTimeField()
    # starts_at - horizon, or, when unpaid holds block it, the moment the last of them runs out.
    bookable_from = models.DateTimeField()
    bookable_until = models.DateTimeField()  # starts_at - min notice

    class Meta:
        indexes = [
            # The slot picker's "any available" week: one probe per start of one type, the
            # bookable bounds read from the index itself.
            models.Index(
                fields=["interview_type", "starts_at", "bookable_from", "bookable_until"],
                name="open_start_type_start",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["interviewer", "interview_type", "starts_at"],
                name="open_start_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.interviewer_id}/{self.interview_type_id} at {self.starts_at:%Y-%m-%d %H:%M}"


class OpenStartCoverage(models.Model):
    """One row: every bookable interviewer's open starts are in OpenStart for reads at any `now`
    up to `reads_until` (their rows reach reads_until + their horizon). Later, or with no row,
    pages ask the slot engine instead."""

    reads_until = models.DateTimeField()

    def __str__(self) -> str:
        return f"open starts read until {self.reads_until:%Y-%m-%d %H:%M}"
