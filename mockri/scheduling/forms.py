import datetime

from django import forms

from mockri.catalogue.models import InterviewerProfile
from mockri.lib.dates import BoundedDateField, BoundedDateTimeField

from .models import Weekday


class TimeInput(forms.TimeInput):
    input_type = "time"


class DateInput(forms.DateInput):
    input_type = "date"


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"
    format = "%Y-%m-%dT%H:%M"


class WeeklyWindowForm(forms.Form):
    weekday = forms.TypedChoiceField(choices=Weekday.choices, coerce=int, label="Day")
    start = forms.TimeField(widget=TimeInput, label="From")
    end = forms.TimeField(widget=TimeInput, label="To")


class OverrideForm(forms.Form):
    date = BoundedDateField(widget=DateInput)
    start = forms.TimeField(widget=TimeInput, required=False, label="From")
    end = forms.TimeField(widget=TimeInput, required=False, label="To")
    help = "Leave the times empty to take the whole day off."

    def clean_date(self):
        date = self.cleaned_data["date"]
        if date < datetime.date.today() - datetime.timedelta(days=1):
            raise forms.ValidationError("That date has passed.")
        return date


class TimeOffForm(forms.Form):
    """Typed in the interviewer's own zone (the active one), stored as instants."""

    starts_at = BoundedDateTimeField(widget=DateTimeLocalInput, label="From")
    ends_at = BoundedDateTimeField(widget=DateTimeLocalInput, label="Until")
    reason = forms.CharField(required=False, max_length=120, label="Note (only you see it)")


class SchedulingSettingsForm(forms.ModelForm):
    class Meta:
        model = InterviewerProfile
        fields = ["min_notice_minutes", "horizon_days", "buffer_minutes", "max_sessions_per_day"]
        labels = {
            "min_notice_minutes": "Minimum notice (minutes)",
            "horizon_days": "Bookable up to (days ahead)",
            "buffer_minutes": "Break between sessions (minutes)",
            "max_sessions_per_day": "Most sessions in a day",
        }
