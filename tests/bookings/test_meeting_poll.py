"""The booking page shows the meeting link once it arrives, without a reload."""

import pytest
from django.urls import reverse

from mockri.bookings.enums import BookingStatus
from mockri.bookings.models import Booking
from mockri.bookings.views import MEETING_POLL_LIMIT
from mockri.meetings.models import Meeting

pytestmark = pytest.mark.django_db


@pytest.fixture
def booking(now, candidate, paid_type, profile, book):
    made = book(candidate=candidate, interview_type=paid_type, interviewer=profile)
    Booking.objects.filter(pk=made.pk).update(status=BookingStatus.CONFIRMED)
    made.refresh_from_db()
    return made


def panel(client, booking, **query):
    return client.get(reverse("bookings:meeting", args=[booking.reference]), query)


def poll_url(booking, polls: int) -> str:
    return f"{reverse('bookings:meeting', args=[booking.reference])}?polls={polls}"


def test_while_the_link_is_being_made_the_page_asks_for_it_again(client, booking, candidate):
    client.force_login(candidate)

    page = client.get(booking.get_absolute_url()).content.decode()

    assert "This page updates itself when the link is ready." in page
    assert f'hx-get="{poll_url(booking, 1)}"' in page


def test_each_answer_without_the_link_asks_once_more(client, booking, candidate):
    client.force_login(candidate)

    answer = panel(client, booking, polls=3).content.decode()

    assert f'hx-get="{poll_url(booking, 4)}"' in answer
    assert "<html" not in answer


def test_the_asking_stops_after_its_limit_with_a_hint_to_reload(client, booking, candidate):
    client.force_login(candidate)

    answer = panel(client, booking, polls=MEETING_POLL_LIMIT).content.decode()

    assert "hx-get" not in answer
    assert "Reload this page" in answer


@pytest.mark.parametrize("polls", ["many", "-5", "99999"])
def test_a_strange_count_never_fails(client, booking, candidate, polls):
    client.force_login(candidate)

    assert panel(client, booking, polls=polls).status_code == 200


def test_the_link_replaces_the_waiting_message_and_the_asking_ends(client, booking, candidate):
    Meeting.objects.create(
        booking=booking,
        provider="jitsi",
        url="https://meet.jit.si/mockri-abc",
        status="ready",
        synced_version=booking.version,
    )
    client.force_login(candidate)

    answer = panel(client, booking, polls=2).content.decode()

    assert "Join the session" in answer
    assert "hx-get" not in answer


def test_nobody_else_can_read_the_panel(client, booking, other_candidate):
    client.force_login(other_candidate)

    assert panel(client, booking).status_code == 404
