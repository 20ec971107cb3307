from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse

from mockri.bookings.models import Booking
from mockri.payments.models import Payment, Refund

from .gst import STATE_CHOICES, STATES


class BuyerDetails(models.Model):
    """What the candidate gave for their tax invoice on the details step: the state they are
    in (the place of supply, which decides CGST+SGST or IGST) and, to claim input tax credit,
    their GSTIN."""

    booking = models.OneToOneField(Booking, on_delete=models.CASCADE, related_name="buyer_details")
    place_of_supply = models.CharField(max_length=2, choices=STATE_CHOICES)
    gstin = models.CharField(max_length=15, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "buyer details"

    def __str__(self) -> str:
        return f"{self.booking} ({self.place_of_supply})"


class DocumentCounter(models.Model):
    """The last number given in a series (invoices or credit notes) in a financial year. Its
    row is locked while a number is taken, in the transaction that stores the document, so
    numbers run without gaps or repeats however many are issued at once."""

    series = models.CharField(max_length=8)
    financial_year = models.CharField(max_length=7)
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["series", "financial_year"], name="document_counter_once_per_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.series} {self.financial_year}: {self.last_number}"


class _Immutable(models.Model):
    """Issued tax documents never change (CGST Rules, rule 46-53): corrections are credit
    notes. Saving an issued one again, or deleting it, raises."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValidationError(f"{self} is issued and cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(f"{self} is issued and cannot be deleted.")


class _TaxDocument(_Immutable):
    number = models.CharField(max_length=24, unique=True)
    financial_year = models.CharField(max_length=7)
    sequence = models.PositiveIntegerField()
    issued_at = models.DateTimeField()
    # The supplier and the buyer as they were at issue.
    seller_legal_name = models.CharField(max_length=200)
    seller_address = models.TextField()
    seller_gstin = models.CharField(max_length=15)
    seller_state = models.CharField(max_length=2)
    buyer_name = models.CharField(max_length=200)
    buyer_gstin = models.CharField(max_length=15, blank=True)
    place_of_supply = models.CharField(max_length=2)
    sac_code = models.CharField(max_length=8)
    description = models.CharField(max_length=300)
    rate_percent = models.DecimalField(max_digits=5, decimal_places=2)
    taxable_paise = models.PositiveIntegerField()
    cgst_paise = models.PositiveIntegerField()
    sgst_paise = models.PositiveIntegerField()
    igst_paise = models.PositiveIntegerField()
    total_paise = models.PositiveIntegerField()

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.number

    @property
    def place_of_supply_name(self) -> str:
        return f"{STATES.get(self.place_of_supply, '')} ({self.place_of_supply})"

    @property
    def seller_state_name(self) -> str:
        return f"{STATES.get(self.seller_state, '')} ({self.seller_state})"

    @property
    def half_rate_percent(self):
        return self.rate_percent / 2


class Invoice(_TaxDocument):
    """The tax invoice of a captured payment, issued once (see invoices.services)."""

    payment = models.OneToOneField(Payment, on_delete=models.PROTECT, related_name="invoice")

    class Meta:
        ordering = ["-issued_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["financial_year", "sequence"], name="invoice_sequence_once_per_year"
            ),
            models.CheckConstraint(
                condition=models.Q(
                    total_paise=models.F("taxable_paise")
                    + models.F("cgst_paise")
                    + models.F("sgst_paise")
                    + models.F("igst_paise")
                ),
                name="invoice_amounts_add_up",
            ),
        ]

    def get_absolute_url(self) -> str:
        return reverse("invoices:invoice", kwargs={"pk": self.pk})


class CreditNote(_TaxDocument):
    """A refund of an invoiced payment, reducing the tax charged on the invoice."""

    refund = models.OneToOneField(Refund, on_delete=models.PROTECT, related_name="credit_note")
    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="credit_notes")

    class Meta:
        ordering = ["-issued_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["financial_year", "sequence"], name="credit_note_sequence_once_per_year"
            ),
            models.CheckConstraint(
                condition=models.Q(
                    total_paise=models.F("taxable_paise")
                    + models.F("cgst_paise")
                    + models.F("sgst_paise")
                    + models.F("igst_paise")
                ),
                name="credit_note_amounts_add_up",
            ),
        ]

    def get_absolute_url(self) -> str:
        return reverse("invoices:credit_note", kwargs={"pk": self.pk})
