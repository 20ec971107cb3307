"""Moving a session asks to confirm the new time first: a candidate has only two moves."""

import datetime

import pytest
from django.urls import reverse

from mockri.bookings.enums import BookingStatus
from mockri.bookings.models import Booking
from tests.fixtures import SLOT

pytestmark = pytest.mark.django_db

NEW_START = SLOT + datetime.timedelta(hours=2)  # Wednesday noon in India


@pytest.fixture
def booking(now, candidate, paid_type, profile, book):
    made = book(candidate=candidate, interview_type=paid_type, interviewer=profile)
    Booking.objects.filter(pk=made.pk).update(status=BookingStatus.CONFIRMED)
    made.refresh_from_db()
    return made


def choose(client, booking, **extra):
    url = reverse("bookings:reschedule", kwargs={"reference": booking.reference})
    return client.post(url, {"starts_at": NEW_START.isoformat(), **extra})


def test_choosing_a_time_asks_to_confirm_and_moves_nothing(client, booking, candidate):
    client.force_login(candidate)

    response = choose(client, booking)

    page = response.content.decode()
    assert response.status_code == 200
    assert "Move this session?" in page
    assert "Wednesday 2 December, 10:00 am to 11:00 am IST" in page
    assert "Wednesday 2 December, 12:00 pm to 1:00 pm IST" in page
    assert "This uses one of your 2 remaining moves" in page
    booking.refresh_from_db()
    assert (booking.starts_at, booking.reschedule_count) == (SLOT, 0)


def test_confirming_moves_the_session(client, booking, candidate):
    client.force_login(candidate)

    response = choose(client, booking, confirm="yes")

    booking.refresh_from_db()
    assert response.url == booking.get_absolute_url()
    assert (booking.starts_at, booking.reschedule_count) == (NEW_START, 1)


def test_the_last_move_says_so_before_it_is_made(client, booking, candidate):
    Booking.objects.filter(pk=booking.pk).update(reschedule_count=1)
    client.force_login(candidate)

    page = choose(client, booking).content.decode()

    assert "This is your last move for this session" in page


def test_a_bad_time_is_refused_at_either_step(client, booking, candidate):
    client.force_login(candidate)
    url = reverse("bookings:reschedule", kwargs={"reference": booking.reference})

    for data in ({"starts_at": "soon"}, {"starts_at": "soon", "confirm": "yes"}):
        response = client.post(url, data, follow=True)
        assert [str(m) for m in response.context["messages"]] == [
            "Please pick one of the times shown."
        ]
    booking.refresh_from_db()
    assert booking.starts_at == SLOT
