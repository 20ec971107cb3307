"""Moments near the ends of Python's calendar overflow as soon as a day is added to them: every
page that takes a start answers them cleanly, never with a 500."""

import pytest
from django.urls import reverse

from mockri.bookings.models import Booking
from tests.bookings.test_views import booking_post

pytestmark = pytest.mark.django_db
FAR = ["9999-12-31T23:59:59+00:00", "0001-01-01T00:00:00+14:00"]


@pytest.mark.parametrize("start", FAR)
def test_the_details_page_sends_a_far_start_back_to_the_picker(
    client, now, candidate, paid_type, profile, start
):
    client.force_login(candidate)

    response = client.get(
        reverse("bookings:new", kwargs={"slug": paid_type.slug}),
        {"start": start, "interviewer": "any"},
    )

    assert response.status_code == 302
    assert response.url == reverse("bookings:slots", kwargs={"slug": paid_type.slug}) + (
        "?interviewer=any"
    )


@pytest.mark.parametrize("start", FAR)
def test_a_booking_post_with_a_far_start_is_refused(
    client, now, candidate, paid_type, profile, private_storage, start
):
    client.force_login(candidate)

    response = client.post(
        reverse("bookings:new", kwargs={"slug": paid_type.slug}),
        {**booking_post(), "starts_at": start},
    )

    assert response.status_code == 302  # no start to show: back to the picker
    assert not Booking.objects.exists()


@pytest.mark.parametrize("start", FAR)
def test_a_reschedule_post_with_a_far_start_is_refused(
    client, now, candidate, free_type, profile, book, start
):
    booking = book(candidate=candidate, interview_type=free_type, interviewer=profile)
    client.force_login(candidate)

    response = client.post(
        reverse("bookings:reschedule", kwargs={"reference": booking.reference}),
        {"starts_at": start},
        follow=True,
    )

    assert response.status_code == 200
    assert [str(m) for m in response.context["messages"]] == ["Please pick one of the times shown."]
    booking.refresh_from_db()
    assert booking.reschedule_count == 0
