"""Dates and times typed or sent by people, bounded to a sane window.

Python's datetime runs from year 1 to 9999, and a moment near either end overflows as soon as
code adds a day or converts it to UTC (a 500). Every date that comes from outside is checked
against this window first, by one of the helpers below.
"""

import datetime

from django import forms
from django.utils import timezone
from django.utils.dateparse import parse_datetime

EARLIEST_YEAR = 2000
LATEST_YEAR = 2100
OUT_OF_RANGE = f"Please enter a date between {EARLIEST_YEAR} and {LATEST_YEAR}."


def is_within_window(value: datetime.date) -> bool:
    """Whether a date or datetime lies in the years Mockri deals with. Reads the year as
    written, so nothing is converted (and nothing can overflow) before the check."""
    return EARLIEST_YEAR <= value.year <= LATEST_YEAR


def parse_aware_datetime(value: str | None) -> datetime.datetime | None:
    """An ISO 8601 moment with its offset, within the window; None for anything else."""
    try:
        moment = parse_datetime(value or "")
    except ValueError:
        return None
    if moment is None or not timezone.is_aware(moment) or not is_within_window(moment):
        return None
    return moment


class BoundedDateTimeField(forms.DateTimeField):
    """A DateTimeField that refuses moments outside the window."""

    def to_python(self, value):
        moment = super().to_python(value)
        if moment is not None and not is_within_window(moment):
            raise forms.ValidationError(OUT_OF_RANGE, code="out_of_range")
        return moment


class BoundedDateField(forms.DateField):
    """A DateField that refuses dates outside the window."""

    def to_python(self, value):
        date = super().to_python(value)
        if date is not None and not is_within_window(date):
            raise forms.ValidationError(OUT_OF_RANGE, code="out_of_range")
        return date
