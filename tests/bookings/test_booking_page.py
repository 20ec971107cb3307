"""The booking page as staff see it: wording for someone else's files, and reassigning."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture
def booking(now, candidate, paid_type, profile, book):
    return book(candidate=candidate, interview_type=paid_type, interviewer=profile)


def page_as(client, user, booking, two_factor) -> str:
    two_factor(user)
    client.force_login(user)
    return client.get(booking.get_absolute_url()).content.decode()


def test_staff_read_that_nobody_opened_these_files_not_your_files(
    client, booking, staff, two_factor
):
    page = page_as(client, staff, booking, two_factor)

    assert "Nobody has opened these files yet." in page
    assert "your files" not in page


def test_the_candidate_reads_that_nobody_opened_their_files(client, booking, candidate, two_factor):
    assert "Nobody has opened your files yet." in page_as(client, candidate, booking, two_factor)


def test_staff_can_reassign_from_the_booking_page(
    client, booking, staff, other_profile, paid_type, two_factor
):
    paid_type.interviewers.add(other_profile)
    page = page_as(client, staff, booking, two_factor)
    action = reverse("bookings:reassign", kwargs={"reference": booking.reference})

    assert f'action="{action}"' in page
    assert f'<option value="{other_profile.pk}">{other_profile.display_name}</option>' in page
    response = client.post(action, {"interviewer": other_profile.pk})
    booking.refresh_from_db()
    assert response.url == booking.get_absolute_url()
    assert booking.interviewer == other_profile


def test_without_another_interviewer_staff_are_told_so(client, booking, staff, two_factor):
    page = page_as(client, staff, booking, two_factor)

    assert "No other interviewer takes System Design sessions." in page
    assert "bookings/" + booking.reference + "/reassign/" not in page


@pytest.mark.parametrize("who", ["candidate", "interviewer"])
def test_only_staff_see_the_reassign_control(
    client, booking, request, other_profile, paid_type, two_factor, who
):
    paid_type.interviewers.add(other_profile)

    page = page_as(client, request.getfixturevalue(who), booking, two_factor)

    assert "/reassign/" not in page
