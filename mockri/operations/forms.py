from django import forms

from .selectors import DEFAULT_PERIOD_DAYS, PERIOD_DAYS


class MetricsPeriodForm(forms.Form):
    """The metrics page's `?days=`: one of the offered periods, the default when absent."""

    days = forms.TypedChoiceField(
        choices=[(str(days), f"Last {days} days") for days in PERIOD_DAYS],
        coerce=int,
        required=False,
        empty_value=DEFAULT_PERIOD_DAYS,
    )

    def period_days(self) -> int:
        """The chosen period, or the default when the value is not one of those offered."""
        return self.cleaned_data["days"] if self.is_valid() else DEFAULT_PERIOD_DAYS
