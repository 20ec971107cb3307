import datetime

import pytest
from django import forms

from mockri.lib.dates import BoundedDateField, BoundedDateTimeField, parse_aware_datetime

FAR = ["9999-12-31T23:59:59+00:00", "0001-01-01T00:00:00+14:00", "1999-12-31T23:59:59+00:00"]


@pytest.mark.parametrize("value", [*FAR, "", "soon", "2026-12-02T10:00:00", None])
def test_parse_aware_datetime_refuses_far_naive_and_unparsable_moments(value):
    assert parse_aware_datetime(value) is None


def test_parse_aware_datetime_reads_a_moment_with_its_offset():
    assert parse_aware_datetime("2026-12-02T10:00:00+05:30") == datetime.datetime(
        2026, 12, 2, 4, 30, tzinfo=datetime.UTC
    )


@pytest.mark.parametrize("value", [*FAR, "9999-12-31T23:59"])
def test_the_bounded_datetime_field_refuses_moments_outside_2000_to_2100(value):
    with pytest.raises(forms.ValidationError) as refused:
        BoundedDateTimeField().clean(value)

    assert refused.value.messages == ["Please enter a date between 2000 and 2100."]


@pytest.mark.parametrize("value", ["9999-12-31", "0001-01-01"])
def test_the_bounded_date_field_refuses_dates_outside_2000_to_2100(value):
    with pytest.raises(forms.ValidationError) as refused:
        BoundedDateField().clean(value)

    assert refused.value.messages == ["Please enter a date between 2000 and 2100."]
