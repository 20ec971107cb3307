"""The payment step's wording."""

import pytest
from django.urls import reverse

from tests.factories import InterviewTypeFactory

pytestmark = pytest.mark.django_db


def test_the_hold_time_ends_its_sentence_with_one_full_stop(client, now, candidate, profile, book):
    paid_type = InterviewTypeFactory(
        name="System Design", price_paise=199_900, interviewers=[profile]
    )
    booking = book(candidate=candidate, interview_type=paid_type, interviewer=profile)
    client.force_login(candidate)

    page = client.get(reverse("payments:pay", kwargs={"reference": booking.reference}))

    # Held 15 minutes from 03:30 UTC: 9:15 in India, the candidate's zone.
    assert "Your slot is held until <strong>9:15 am IST</strong>. Cancel" in page.content.decode()
