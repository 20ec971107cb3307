"""The booking steps' page views, counted per day for the metrics' conversion figures."""

import datetime

import pytest

from mockri.operations import funnel
from mockri.operations.funnel import funnel_flush
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
    funnel_flush()

    assert FunnelDay.objects.get(step=FunnelStep.PICKER_VIEWED).count == 3


def test_views_soon_after_a_write_are_tallied_in_memory_then_written_together(
    now, client, paid_type
):
    url = f"/interviews/{paid_type.slug}/book/"
    client.get(url)  # the first view after a quiet spell is written at once
    client.get(url)
    client.get(url)
    assert FunnelDay.objects.get(step=FunnelStep.PICKER_VIEWED).count == 1

    funnel_flush()

    assert FunnelDay.objects.get(step=FunnelStep.PICKER_VIEWED).count == 3


def test_a_tally_is_written_by_any_request_once_it_is_due(now, client, paid_type, monkeypatch):
    url = f"/interviews/{paid_type.slug}/book/"
    client.get(url)
    client.get(url)
    monkeypatch.setattr(funnel, "FLUSH_SECONDS", 0)

    client.get("/interviewers/")

    assert FunnelDay.objects.get(step=FunnelStep.PICKER_VIEWED).count == 2


@pytest.mark.django_db(transaction=True)
def test_a_failed_write_keeps_the_counts_for_the_next(now, monkeypatch):
    funnel.funnel_count(step=FunnelStep.DETAILS_VIEWED)  # written at once
    funnel.funnel_count(step=FunnelStep.DETAILS_VIEWED)
    monkeypatch.setattr(funnel, "_FUNNEL_ADD_SQL", "SELECT * FROM no_such_table")

    funnel_flush()  # fails quietly: a counter never breaks a page
    monkeypatch.undo()
    funnel_flush()

    assert FunnelDay.objects.get(step=FunnelStep.DETAILS_VIEWED).count == 2


def test_other_pages_and_errors_are_not_counted(now, client):
    client.get("/interviews/no-such-type/book/")
    client.get("/interviewers/")

    assert not FunnelDay.objects.exists()
