"""Every time Mockri shows is written one way: "4:35 pm IST", with its zone."""

import datetime
import zoneinfo

from django.template import Context, Template
from django.utils import timezone

from mockri.lib.clock import clock, time_label, when, zone_label

IST = zoneinfo.ZoneInfo("Asia/Kolkata")
MOMENT = datetime.datetime(2026, 12, 1, 11, 5, tzinfo=datetime.UTC)  # 4:35 pm in India


def render(source: str, **context) -> str:
    return Template(source).render(Context(context))


def test_a_time_reads_hour_minute_am_or_pm_and_zone():
    assert clock(MOMENT.astimezone(IST)) == "4:35 pm IST"


def test_midnight_and_noon_are_twelve():
    assert time_label(datetime.time(0, 5)) == "12:05 am"
    assert time_label(datetime.time(12, 0)) == "12:00 pm"


def test_a_zone_without_an_abbreviation_shows_its_offset_from_utc():
    dubai = MOMENT.astimezone(zoneinfo.ZoneInfo("Asia/Dubai"))

    assert zone_label(dubai) == "UTC+04"
    assert clock(dubai) == "3:05 pm UTC+04"


def test_a_day_and_time_together():
    assert when(MOMENT.astimezone(IST)) == "Tue 1 Dec, 4:35 pm IST"


def test_templates_write_times_in_the_active_zone_without_loading_anything():
    with timezone.override(IST):
        assert render("{{ t|clock }}", t=MOMENT) == "4:35 pm IST"
    with timezone.override(zoneinfo.ZoneInfo("Europe/London")):
        assert render("{{ t|when }}", t=MOMENT) == "Tue 1 Dec, 11:05 am GMT"


def test_a_time_converted_on_purpose_keeps_that_zone():
    with timezone.override(IST):
        text = render('{% load tz %}{{ t|timezone:"America/New_York"|clock }}', t=MOMENT)

    assert text == "6:05 am EST"


def test_a_range_names_the_zone_once():
    end = MOMENT + datetime.timedelta(hours=1)
    with timezone.override(IST):
        text = render("{{ start|time_of_day }} to {{ end|clock }}", start=MOMENT, end=end)

    assert text == "4:35 pm to 5:35 pm IST"


def test_no_time_renders_as_nothing():
    assert render("{{ t|clock }}{{ t|when }}", t=None) == ""
