import datetime
import re

from django import forms
from django.utils import timezone

from mockri.catalogue.models import InterviewType

from .enums import PayoutMethod, RateKind
from .models import PayoutDetails

_ACCOUNT = re.compile(r"^\d{9,18}$")
_IFSC = re.compile(r"^[A-Z]{4}0[A-Z0-9]{6}$")
_UPI = re.compile(r"^[a-zA-Z0-9.\-_]{2,256}@[a-zA-Z]{2,64}$")


class PayoutDetailsForm(forms.Form):
    method = forms.ChoiceField(choices=PayoutMethod.choices, widget=forms.RadioSelect)
    holder_name = forms.CharField(
        label="Account holder's name", max_length=100, help_text="As the bank or UPI app has it."
    )
    account_number = forms.CharField(
        label="Account number",
        max_length=18,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    ifsc = forms.CharField(
        label="IFSC",
        max_length=11,
        required=False,
        help_text="e.g. HDFC0001234",
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    upi_id = forms.CharField(
        label="UPI id",
        max_length=100,
        required=False,
        help_text="e.g. name@okhdfcbank",
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    def clean(self):
        data = super().clean()
        method = data.get("method")
        account = re.sub(r"\s", "", data.get("account_number", ""))
        ifsc = data.get("ifsc", "").strip().upper()
        upi = data.get("upi_id", "").strip()
        if method == PayoutMethod.BANK:
            if not _ACCOUNT.match(account):
                self.add_error("account_number", "An account number is 9 to 18 digits.")
            if not _IFSC.match(ifsc):
                self.add_error("ifsc", "An IFSC is 11 characters, like HDFC0001234.")
        elif method == PayoutMethod.UPI and not _UPI.match(upi):
            self.add_error("upi_id", "A UPI id looks like name@bank.")
        data.update(account_number=account, ifsc=ifsc, upi_id=upi)
        return data

    @classmethod
    def for_details(cls, details: PayoutDetails | None) -> "PayoutDetailsForm":
        """Blank number fields: the stored ones are never sent back to the browser."""
        if details is None:
            return cls(initial={"method": PayoutMethod.BANK})
        return cls(initial={"method": details.method, "holder_name": details.holder_name})


class RateForm(forms.Form):
    interview_type = forms.ModelChoiceField(
        queryset=InterviewType.objects.all(),
        required=False,
        empty_label="Every type without its own",
    )
    kind = forms.ChoiceField(choices=RateKind.choices)
    share_percent = forms.IntegerField(min_value=0, max_value=100, required=False)
    amount_rupees = forms.DecimalField(
        label="Amount (₹)", min_value=0, max_value=1_000_000, decimal_places=2, required=False
    )
    effective_from = forms.DateTimeField(
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        help_text="India time; now or later.",
    )

    def clean(self):
        data = super().clean()
        if data.get("kind") == RateKind.PERCENT and data.get("share_percent") is None:
            self.add_error("share_percent", "Give the share in percent.")
        if data.get("kind") == RateKind.FIXED and data.get("amount_rupees") is None:
            self.add_error("amount_rupees", "Give the amount per session.")
        return data

    def amount_paise(self) -> int:
        return int((self.cleaned_data.get("amount_rupees") or 0) * 100)


def _last_month_end() -> datetime.date:
    return timezone.localdate().replace(day=1) - datetime.timedelta(days=1)


class BatchForm(forms.Form):
    period_start = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    period_end = forms.DateField(
        widget=forms.DateInput(attrs={"type": "date"}), help_text="The last day paid for."
    )

    @classmethod
    def last_month(cls) -> "BatchForm":
        end = _last_month_end()
        return cls(initial={"period_start": end.replace(day=1), "period_end": end})


class ReferenceForm(forms.Form):
    reference = forms.CharField(
        max_length=100, help_text="The bank's UTR or the UPI transaction id."
    )


class ReportForm(forms.Form):
    note = forms.CharField(
        label="What happened? (optional)",
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class DecisionForm(forms.Form):
    note = forms.CharField(
        label="Note (sent to the candidate when dismissing)",
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
