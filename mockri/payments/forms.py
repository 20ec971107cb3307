from decimal import Decimal

from django import forms


class StaffRefundForm(forms.Form):
    """Parses the booking page's refund form. DecimalField refuses NaN and Infinity, which
    Decimal() alone accepts."""

    amount = forms.DecimalField(
        max_digits=9, decimal_places=2, min_value=Decimal("0.01"), label="Amount in rupees"
    )
    reason = forms.CharField(required=False, max_length=200)

    def amount_paise(self) -> int:
        return int(self.cleaned_data["amount"] * 100)
