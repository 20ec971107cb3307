"""The metrics page's comparison: the period beside the one before, and how each figure moves."""

import datetime

import pytest

from mockri.feedback.enums import HireSignal
from mockri.feedback.models import Feedback
from mockri.operations.charts import bars_compared, funnel_compared
from mockri.operations.comparison import Figure, metrics_compared, previous_period
from mockri.operations.funnel import funnel_count
from mockri.operations.models import FunnelDay, FunnelStep
from mockri.operations.selectors import metrics_period
from tests.fixtures import NOW
from tests.operations.test_metrics import captured, ist, session

pytestmark = pytest.mark.django_db
HOUR = datetime.timedelta(hours=1)


def test_the_previous_period_is_the_same_number_of_whole_days_just_before():
    period = metrics_period(days=7, now=NOW)

    before = previous_period(period)

    assert (before.first_day, before.last_day) == (
        datetime.date(2026, 11, 18),
        period.first_day - datetime.timedelta(days=1),
    )
    assert before.ends_at < period.starts_at == before.starts_at + datetime.timedelta(days=7)


@pytest.fixture
def two_weeks(now, candidate, profile, paid_type, free_type):
    """This week (25 Nov to today): two paid sessions booked; the week before: one."""
    for day in (26, 27):
        booking = session(
            candidate=candidate, interviewer=profile, interview_type=paid_type,
            starts_at=ist(day + 1), created_at=ist(day),
        )  # fmt: skip
        captured(booking, at=ist(day, 11))
    earlier = session(
        candidate=candidate, interviewer=profile, interview_type=free_type,
        starts_at=ist(20), created_at=ist(19),
    )  # fmt: skip
    Feedback.objects.create(
        booking=earlier, hire_signal=HireSignal.YES, strengths="s", areas_to_improve="a",
        submitted_at=earlier.ends_at + 10 * HOUR,
    )  # fmt: skip
    FunnelDay.objects.bulk_create(
        [
            FunnelDay(day=datetime.date(2026, 11, 26), step=FunnelStep.PICKER_VIEWED, count=40),
            FunnelDay(day=datetime.date(2026, 11, 26), step=FunnelStep.DETAILS_VIEWED, count=8),
            FunnelDay(day=datetime.date(2026, 11, 19), step=FunnelStep.PICKER_VIEWED, count=10),
            FunnelDay(day=datetime.date(2026, 11, 19), step=FunnelStep.DETAILS_VIEWED, count=4),
        ]
    )


def test_each_figure_stands_beside_the_previous_periods(two_weeks):
    comparison = metrics_compared(days=7)

    shown = {
        f.label: (f.current_display, f.previous_display, f.change_display)
        for f in comparison.figures
    }
    assert shown["Bookings made"] == ("2", "1", "+100%")
    assert shown["Net revenue"] == ("₹3,998", "₹0", "new")
    assert shown["Picker → details"] == ("20%", "40%", "-20.0 pts")
    assert shown["Details → booked"] == ("25%", "25%", "+0.0 pts")
    assert shown["Median time to feedback"] == ("–", "10 h", "–")
    assert all(f.how for f in comparison.figures)


def test_revenue_by_type_is_largest_first(two_weeks):
    current = metrics_compared(days=7).current

    assert [(t.name, t.payments, t.captured_paise) for t in current.by_type] == [
        ("System Design", 2, 399_800)
    ]
    assert current.funnel.picker_views == 40


def test_the_funnel_includes_page_views_still_tallied_in_memory(now):
    for _ in range(3):  # the first is written at once, the others wait in the process's tally
        funnel_count(step=FunnelStep.PICKER_VIEWED)
    assert FunnelDay.objects.get().count == 1

    current = metrics_compared(days=7).current

    assert current.funnel.picker_views == 3


def test_a_change_from_nothing_to_nothing_is_zero():
    assert Figure("x", "how", "count", 0, 0).change_display == "0%"
    assert Figure("x", "how", "paise", -50_000, 100_000).current_display == "−₹500"


def test_the_charts_are_inline_svg_with_each_figure_in_words():
    bars = bars_compared([1, 3], [2, 0], label="Per day", current_names=["Mon", "Tue"])
    funnel = funnel_compared([("Picker", 10, 5), ("Booked", 2, 1)], label="Funnel")

    assert bars.startswith('<svg class="chart"') and 'aria-label="Per day"' in bars
    assert "<title>Tue: 3 (previous period: 0)</title>" in bars
    assert "<title>Booked: 2 (previous period: 1)</title>" in funnel
    assert "style=" not in bars + funnel and "<script" not in bars + funnel


def test_the_page_shows_the_comparison_and_the_charts(client, staff, two_factor, two_weeks):
    two_factor(staff)
    client.force_login(staff)

    page = client.get("/console/metrics/", {"days": "7"}).content.decode()

    assert 'data-figure="bookings-made"' in page
    assert "<svg" in page and "18 Nov 2026 to 24 Nov 2026" in page
