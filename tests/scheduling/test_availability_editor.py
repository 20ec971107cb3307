import datetime

import pytest
from django.urls import reverse

from mockri.scheduling.models import AvailabilityOverride, TimeOff, WeeklyAvailability
from tests.factories import InterviewerProfileFactory

pytestmark = pytest.mark.django_db
URL = reverse("scheduling:availability")


@pytest.fixture
def signed_in(client, interviewer, two_factor):
    two_factor(interviewer)
    client.force_login(interviewer)
    return interviewer.interviewer_profile


def test_an_interviewer_adds_weekly_hours_in_their_zone(client, signed_in):
    response = client.post(
        URL, {"action": "add_window", "weekday": 0, "start": "18:00", "end": "21:00"}
    )

    assert response.status_code == 302
    window = WeeklyAvailability.objects.get(interviewer=signed_in)
    assert (window.weekday, window.start_time, window.end_time) == (
        0,
        datetime.time(18),
        datetime.time(21),
    )


def test_overlapping_weekly_hours_are_refused(client, signed_in):
    client.post(URL, {"action": "add_window", "weekday": 0, "start": "18:00", "end": "21:00"})

    response = client.post(
        URL, {"action": "add_window", "weekday": 0, "start": "20:00", "end": "22:00"}
    )

    assert response.status_code == 422
    assert "overlaps" in response.content.decode()
    assert WeeklyAvailability.objects.count() == 1


def test_an_end_before_the_start_is_refused(client, signed_in):
    response = client.post(
        URL, {"action": "add_window", "weekday": 2, "start": "21:00", "end": "18:00"}
    )

    assert response.status_code == 422
    assert not WeeklyAvailability.objects.exists()


def test_htmx_gets_the_editor_back_not_a_redirect(client, signed_in):
    response = client.post(
        URL,
        {"action": "add_window", "weekday": 4, "start": "09:00", "end": "12:00"},
        headers={"HX-Request": "true"},
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="editor"' in page and "<html" not in page
    assert "09:00–12:00" in page


def test_a_day_off_and_special_hours_on_a_date(client, signed_in):
    client.post(URL, {"action": "set_override", "date": "2026-12-25"})
    client.post(
        URL, {"action": "set_override", "date": "2026-12-31", "start": "10:00", "end": "12:00"}
    )

    assert list(AvailabilityOverride.objects.values_list("date", "start_time", "end_time")) == [
        (datetime.date(2026, 12, 25), None, None),
        (datetime.date(2026, 12, 31), datetime.time(10), datetime.time(12)),
    ]


def test_time_off_is_read_in_the_interviewers_zone(client, signed_in):
    client.post(
        URL,
        {
            "action": "add_time_off",
            "starts_at": "2026-12-24T00:00",
            "ends_at": "2026-12-27T00:00",
            "reason": "Family",
        },
    )

    off = TimeOff.objects.get()
    # Asia/Kolkata is UTC+05:30
    assert off.starts_at == datetime.datetime(2026, 12, 23, 18, 30, tzinfo=datetime.UTC)


def test_booking_rules_are_validated(client, signed_in):
    response = client.post(
        URL,
        {
            "action": "save_settings",
            "min_notice_minutes": 60,
            "horizon_days": 400,
            "buffer_minutes": 10,
            "max_sessions_per_day": 4,
        },
    )

    assert response.status_code == 422
    signed_in.refresh_from_db()
    assert signed_in.horizon_days == 30


def test_an_interviewer_cannot_delete_someone_elses_hours(client, signed_in):
    other = InterviewerProfileFactory()
    window = WeeklyAvailability.objects.create(
        interviewer=other, weekday=1, start_time=datetime.time(9), end_time=datetime.time(10)
    )

    client.post(URL, {"action": "delete_window", "id": window.pk})

    assert WeeklyAvailability.objects.filter(pk=window.pk).exists()


def test_a_candidate_has_no_availability_page(client, candidate):
    client.force_login(candidate)

    assert client.get(URL).status_code == 404


def test_an_unknown_action_is_not_found(client, signed_in):
    assert client.post(URL, {"action": "drop_tables"}).status_code == 404
