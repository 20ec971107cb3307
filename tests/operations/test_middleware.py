"""The booking steps' page views, counted per day for the metrics' conversion figures."""

import datetime

import pytest

from mockri.operations.models import FunnelDay, FunnelStep

pytestmark = pytest.mark.django_db


def test_a_slot_picker_shown_counts_once_and_its_htmx_swaps_do_not(now, client, paid_type):
    response = client.get(f"/interviews/{paid_type.slug}/book/")
    client.get(f"/interviews/{paid_type.slug}/book/", headers={"HX-Request": "true"})

    assert response.status_code == 200
    assert list(FunnelDay.objects.values_list("day", "step", "count")) == [
        (datetime.date(2026, 12, 1), FunnelStep.PICKER_VIEWED, 1)
    ]


def test_the_days_counter_adds_up(now, client, paid_type):
    for _ in range(3):
        client.get(f"/interviews/{paid_type.slug}/book/")

    assert FunnelDay.objects.get(step=FunnelStep.PICKER_VIEWED).count == 3


def test_other_pages_and_errors_are_not_counted(now, client):
    client.get("/interviews/no-such-type/book/")
    client.get("/interviewers/")

    assert not FunnelDay.objects.exists()
