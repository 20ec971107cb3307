import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse

from mockri.bookings.models import Booking
from mockri.catalogue.models import InterviewType
from mockri.lib.money import format_inr

from .enums import CREDIT_ADDING, CreditKind

_REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def new_purchase_reference() -> str:
    return "PK-" + "".join(secrets.choice(_REFERENCE_ALPHABET) for _ in range(7))


class Pack(models.Model):
    """A bundle of sessions staff sell at one price: credits for the listed interview types,
    usable for sessions that start within `validity_days` of the purchase."""

    name = models.CharField(max_length=80)
    slug = models.SlugField(unique=True)
    description = models.CharField(max_length=300, blank=True)
    sessions = models.PositiveSmallIntegerField(help_text="Credits a purchase grants.")
    interview_types = models.ManyToManyField(InterviewType, related_name="packs")
    price_paise = models.PositiveIntegerField(help_text="The pack's price in paise.")
    validity_days = models.PositiveSmallIntegerField()
    is_active = models.BooleanField(default=True, help_text="On sale.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["price_paise", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(sessions__gte=1, validity_days__gte=1, price_paise__gte=100),
                name="pack_sells_something",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def price_display(self) -> str:
        return format_inr(self.price_paise)

    @property
    def price_per_session_display(self) -> str:
        return format_inr(self.price_paise // self.sessions)


class PackPurchase(models.Model):
    """A candidate's purchase of a pack: its terms as sold, and once paid its credits (the
    CreditEntry rows) valid until `expires_at`. Paid through a payments.Payment pointing here."""

    reference = models.CharField(
        max_length=12, unique=True, default=new_purchase_reference, editable=False
    )
    candidate = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="pack_purchases"
    )
    pack = models.ForeignKey(Pack, on_delete=models.PROTECT, related_name="purchases")
    # The terms when bought, not today's.
    sessions = models.PositiveSmallIntegerField()
    price_paise = models.PositiveIntegerField()
    validity_days = models.PositiveSmallIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)
    granted_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["expires_at"])]

    def __str__(self) -> str:
        return self.reference

    def get_absolute_url(self) -> str:
        return reverse("packs:purchase", kwargs={"reference": self.reference})

    @property
    def price_display(self) -> str:
        return format_inr(self.price_paise)


_SESSION_KINDS = [CreditKind.USED, CreditKind.RETURNED]
# In a fixed order, so the migration's constraint does not change from run to run.
_ADDING_KINDS = sorted(CREDIT_ADDING)


class CreditEntry(models.Model):
    """One movement of a purchase's credits; the balance is the sum of `credits`. Rows are only
    ever added (packs.services), never changed."""

    purchase = models.ForeignKey(PackPurchase, on_delete=models.PROTECT, related_name="entries")
    kind = models.CharField(max_length=10, choices=CreditKind.choices)
    credits = models.SmallIntegerField(help_text="Signed: + granted or returned, - otherwise.")
    booking = models.ForeignKey(
        Booking, on_delete=models.PROTECT, null=True, blank=True, related_name="credit_entries"
    )
    refund = models.ForeignKey(
        "payments.Refund", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "pk"]
        verbose_name_plural = "credit entries"
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(kind__in=_ADDING_KINDS, credits__gt=0)
                    | (~models.Q(kind__in=_ADDING_KINDS) & models.Q(credits__lt=0))
                ),
                name="credit_entry_sign_follows_kind",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(kind__in=_SESSION_KINDS, booking__isnull=False)
                    | (~models.Q(kind__in=_SESSION_KINDS) & models.Q(booking__isnull=True))
                ),
                name="credit_entry_booking_for_sessions_only",
            ),
            # A session takes one credit and gives it back at most once.
            models.UniqueConstraint(
                fields=["booking", "kind"],
                condition=models.Q(booking__isnull=False),
                name="credit_entry_once_per_session",
            ),
            models.UniqueConstraint(
                fields=["purchase"],
                condition=models.Q(kind=CreditKind.GRANTED),
                name="credit_entry_granted_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.purchase} {self.kind} {self.credits:+d}"
