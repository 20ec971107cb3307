"""What interviewers earn: an append-only ledger, the rates it is credited at, payouts, payout
details, and the reports and pauses that follow interviewers' reliability.

Money is integer paise. Entries are never edited or deleted: a refund after the fact adds a
reversing entry, and an entry in a paid payout line is settled (services.py holds the rules).
"""

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q

from mockri.bookings.models import Booking
from mockri.catalogue.models import InterviewerProfile, InterviewType
from mockri.lib.errors import PolicyViolation
from mockri.lib.money import format_inr
from mockri.payments.models import Refund

from .enums import CREDIT_KINDS, EntryKind, PayoutMethod, RateKind, ReportStatus


def format_paise(paise: int) -> str:
    """Like format_inr, for amounts that may be negative, led by a minus sign (U+2212)."""
    return ("−" if paise < 0 else "") + format_inr(abs(paise))


class EarningRate(models.Model):
    """What an interviewer earns per session of a type (or of every type without a rate of its
    own, when `interview_type` is empty), from `effective_from` on. Rates are added, never
    edited: the one in force when a session started is the one its entry keeps."""

    interview_type = models.ForeignKey(
        InterviewType, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(max_length=8, choices=RateKind.choices)
    share_percent = models.PositiveSmallIntegerField(default=0, validators=[MaxValueValidator(100)])
    amount_paise = models.PositiveIntegerField(default=0)
    effective_from = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["interview_type_id", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["interview_type", "effective_from"], name="earning_rate_one_per_moment"
            ),
            models.CheckConstraint(
                condition=Q(share_percent__lte=100), name="earning_rate_percent_at_most_100"
            ),
        ]

    def __str__(self) -> str:
        return self.description

    @property
    def description(self) -> str:
        if self.kind == RateKind.FIXED:
            return f"{format_paise(self.amount_paise)} per session"
        return f"{self.share_percent}% of the price"


class PayoutBatch(models.Model):
    """Staff paying interviewers what they earned up to the end of a period."""

    period_start = models.DateField()
    period_end = models.DateField(help_text="The last day whose earnings are included.")
    minimum_paise = models.PositiveIntegerField(help_text="Totals below this waited.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = "payout batches"

    def __str__(self) -> str:
        return f"Payout {self.period_start} – {self.period_end}"


class PayoutLine(models.Model):
    """One interviewer's transfer in a batch. The payee is copied from their payout details when
    the batch is made (accounting keeps who was paid, after an erasure too); `reference` is the
    bank's or UPI's, given when staff mark it paid."""

    batch = models.ForeignKey(PayoutBatch, on_delete=models.PROTECT, related_name="lines")
    interviewer = models.ForeignKey(
        InterviewerProfile, on_delete=models.PROTECT, related_name="payout_lines"
    )
    amount_paise = models.PositiveBigIntegerField()
    payee_name = models.CharField(max_length=100, blank=True)
    method = models.CharField(max_length=8, choices=PayoutMethod.choices, blank=True)
    destination_masked = models.CharField(max_length=40, blank=True)
    reference = models.CharField(max_length=100, blank=True)
    paid_at = models.DateTimeField(null=True, blank=True)
    paid_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["batch", "interviewer__display_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["batch", "interviewer"], name="payout_line_one_per_interviewer"
            ),
            models.CheckConstraint(
                condition=Q(paid_at__isnull=True) | ~Q(reference=""),
                name="payout_line_paid_has_reference",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.interviewer} {format_paise(self.amount_paise)}"

    @property
    def amount_display(self) -> str:
        return format_paise(self.amount_paise)


class EarningEntry(models.Model):
    """One line of an interviewer's ledger. Append-only: save() refuses to change a stored
    entry; the services link an unsettled entry to a payout line and settle it, nothing else."""

    interviewer = models.ForeignKey(
        InterviewerProfile, on_delete=models.PROTECT, related_name="earning_entries"
    )
    booking = models.ForeignKey(
        Booking, null=True, blank=True, on_delete=models.PROTECT, related_name="earning_entries"
    )
    kind = models.CharField(max_length=20, choices=EntryKind.choices)
    amount_paise = models.BigIntegerField()
    # Credits: the session's start; reversals: when the refund was asked for.
    earned_at = models.DateTimeField()
    # The rate in force when the session started (empty: EARNINGS_DEFAULT_SHARE_PERCENT).
    rate = models.ForeignKey(
        EarningRate, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    description = models.CharField(max_length=200)
    reverses = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="reversals"
    )
    refund = models.ForeignKey(
        Refund, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    payout_line = models.ForeignKey(
        PayoutLine, null=True, blank=True, on_delete=models.PROTECT, related_name="entries"
    )
    settled_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["earned_at", "pk"]
        verbose_name_plural = "earning entries"
        constraints = [
            models.UniqueConstraint(
                fields=["booking"],
                condition=Q(kind__in=CREDIT_KINDS),
                name="earning_one_credit_per_booking",
            ),
            models.UniqueConstraint(
                fields=["refund"],
                condition=Q(refund__isnull=False),
                name="earning_one_reversal_per_refund",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=CREDIT_KINDS, amount_paise__gte=0)
                | Q(kind=EntryKind.REVERSAL, amount_paise__lte=0),
                name="earning_sign_matches_kind",
            ),
            models.CheckConstraint(
                condition=Q(settled_at__isnull=True) | Q(payout_line__isnull=False),
                name="earning_settled_in_a_payout",
            ),
        ]
        indexes = [
            models.Index(fields=["interviewer", "earned_at"]),
            models.Index(fields=["interviewer", "settled_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.interviewer} {self.kind} {format_paise(self.amount_paise)}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PolicyViolation("Ledger entries are never changed: add a reversing entry.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PolicyViolation("Ledger entries are never deleted: add a reversing entry.")

    @property
    def amount_display(self) -> str:
        return format_paise(self.amount_paise)


class PayoutDetails(models.Model):
    """Where an interviewer is paid: a bank account (number and IFSC) or a UPI id, and the
    holder's name. Seen only by the interviewer and staff, masked on every page; the full
    number leaves only in staff's bank-transfer CSV."""

    profile = models.OneToOneField(
        InterviewerProfile, on_delete=models.CASCADE, related_name="payout_details"
    )
    method = models.CharField(max_length=8, choices=PayoutMethod.choices)
    holder_name = models.CharField(max_length=100)
    account_number = models.CharField(max_length=18, blank=True)
    ifsc = models.CharField("IFSC", max_length=11, blank=True)
    upi_id = models.CharField("UPI id", max_length=100, blank=True)
    updated_at = models.DateTimeField()

    class Meta:
        verbose_name_plural = "payout details"
        constraints = [
            models.CheckConstraint(
                condition=Q(method=PayoutMethod.BANK, upi_id="")
                & ~Q(account_number="")
                & ~Q(ifsc="")
                | Q(method=PayoutMethod.UPI, account_number="", ifsc="") & ~Q(upi_id=""),
                name="payout_details_one_complete_method",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_method_display()} {self.masked}"

    @property
    def masked(self) -> str:
        """What pages show: the last four characters only."""
        if self.method == PayoutMethod.BANK:
            return f"A/c ••••{self.account_number[-4:]}, {self.ifsc}"
        return f"UPI ••••{self.upi_id[-4:]}"


class NoShowReport(models.Model):
    """A candidate saying their interviewer did not come. Staff confirm it (the candidate is
    refunded in full and the no-show recorded) or dismiss it."""

    booking = models.OneToOneField(Booking, on_delete=models.CASCADE, related_name="no_show_report")
    note = models.TextField(blank=True, max_length=1000)
    status = models.CharField(
        max_length=12, choices=ReportStatus.choices, default=ReportStatus.OPEN
    )
    reported_at = models.DateTimeField()
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decision_note = models.TextField(blank=True, max_length=1000)
    refund = models.ForeignKey(
        Refund, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-reported_at"]

    def __str__(self) -> str:
        return f"No-show report on {self.booking} ({self.status})"


class ReliabilityPause(models.Model):
    """An automatic pause: the interviewer reached RELIABILITY_PAUSE_THRESHOLD incidents. A new
    one is made only for incidents after the last, so staff listing them again sticks."""

    interviewer = models.ForeignKey(
        InterviewerProfile, on_delete=models.CASCADE, related_name="reliability_pauses"
    )
    paused_at = models.DateTimeField()
    incidents = models.PositiveSmallIntegerField()
    reason = models.CharField(max_length=300)

    class Meta:
        ordering = ["-paused_at"]

    def __str__(self) -> str:
        return f"{self.interviewer} paused at {self.paused_at}"
