import datetime

import pytest
from django.urls import reverse

from mockri.scheduling.models import AvailabilityOverride, TimeOff, WeeklyAvailability
from tests.factories import InterviewerProfileFactory, InterviewTypeFactory

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


@pytest.mark.parametrize(
    ("starts_at", "ends_at"),
    [
        ("2026-12-24T00:00", "9999-12-31T23:59"),
        ("0001-01-01T00:00", "2026-12-24T00:00"),
        ("9999-12-31T23:59:59+00:00", "9999-12-31T23:59:59+00:00"),
        ("0001-01-01T00:00:00+14:00", "2026-12-24T00:00"),
    ],
)
def test_time_off_outside_2000_to_2100_is_refused(client, signed_in, starts_at, ends_at):
    response = client.post(
        URL, {"action": "add_time_off", "starts_at": starts_at, "ends_at": ends_at}
    )

    assert response.status_code == 422
    assert "Please enter a date between 2000 and 2100." in response.content.decode()
    assert not TimeOff.objects.exists()


@pytest.mark.parametrize("date", ["9999-12-31", "0001-01-01"])
def test_a_date_override_outside_2000_to_2100_is_refused(client, signed_in, date):
    response = client.post(URL, {"action": "set_override", "date": date})

    assert response.status_code == 422
    assert not AvailabilityOverride.objects.exists()


def test_a_minimum_notice_over_30_days_is_refused_and_slot_pages_keep_working(
    client, signed_in, now
):
    interview_type = InterviewTypeFactory(interviewers=[signed_in])

    response = client.post(
        URL,
        {
            "action": "save_settings",
            "min_notice_minutes": 99999999999999,
            "horizon_days": 30,
            "buffer_minutes": 10,
            "max_sessions_per_day": 4,
        },
    )

    assert response.status_code == 422
    assert "Ensure this value is less than or equal to 43200." in response.content.decode()
    signed_in.refresh_from_db()
    assert signed_in.min_notice_minutes == 12 * 60
    slots = client.get(reverse("bookings:slots", kwargs={"slug": interview_type.slug}))
    assert slots.status_code == 200
