"""The refund rule is read before money or a cancellation, never after."""

import datetime
from urllib.parse import urlencode

import pytest
import time_machine
from django.urls import reverse

from mockri.bookings.enums import BookingStatus
from mockri.bookings.models import Booking
from tests.fixtures import SLOT

pytestmark = pytest.mark.django_db

# Five hours after NOW: SLOT is 20 hours away, inside the 24 hours that are never refunded, and
# still beyond the interviewer's 12 hours of notice, so it can be booked.
LATE = SLOT - datetime.timedelta(hours=20)


@pytest.fixture
def booking(now, candidate, paid_type, profile, book):
    return book(candidate=candidate, interview_type=paid_type, interviewer=profile)


@pytest.fixture
def confirmed(booking):
    """The booking once paid (only its status matters to these pages)."""
    Booking.objects.filter(pk=booking.pk).update(status=BookingStatus.CONFIRMED)
    return booking


def details_page(client, paid_type, profile) -> str:
    query = urlencode({"start": SLOT.isoformat(), "interviewer": profile.slug})
    url = reverse("bookings:new", kwargs={"slug": paid_type.slug}) + "?" + query
    return client.get(url).content.decode()


def test_the_details_step_promises_a_refund_a_day_ahead(client, now, candidate, paid_type, profile):
    client.force_login(candidate)

    page = details_page(client, paid_type, profile)

    assert "Cancel up to 24 h before for a full refund." in page
    assert "can't be refunded" not in page


def test_a_session_less_than_a_day_ahead_says_before_payment_it_is_never_refunded(
    client, now, candidate, paid_type, profile
):
    with time_machine.travel(LATE, tick=False):
        client.force_login(candidate)
        page = details_page(client, paid_type, profile)

    assert "This session starts in less than 24 hours, so once paid it can't be refunded" in page
    assert "for a full refund" not in page


def test_the_pay_step_of_a_late_session_warns_that_it_is_never_refunded(client, booking, candidate):
    Booking.objects.filter(pk=booking.pk).update(
        hold_expires_at=LATE + datetime.timedelta(minutes=15)
    )
    with time_machine.travel(LATE, tick=False):
        client.force_login(candidate)
        page = client.get(reverse("payments:pay", kwargs={"reference": booking.reference}))

    html = page.content.decode()
    assert "No refund for this session." in html
    assert "for a full refund" not in html
    assert html.index("No refund for this session.") < html.index("Continue to the test checkout")


def test_the_cancel_form_states_the_refund_before_its_button(client, confirmed, candidate):
    client.force_login(candidate)

    html = client.get(confirmed.get_absolute_url()).content.decode()

    assert html.index("Cancelling now gives a full refund") < html.index(">Cancel session</button>")


def test_a_late_cancellation_warns_of_no_refund_before_the_button(client, confirmed, candidate):
    with time_machine.travel(LATE, tick=False):
        client.force_login(candidate)
        html = client.get(confirmed.get_absolute_url()).content.decode()

    assert html.index("cancelling now is not refunded") < html.index(">Cancel session</button>")
