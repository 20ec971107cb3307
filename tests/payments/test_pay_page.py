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


def test_razorpays_checkout_opens_on_upi_with_the_payers_name_and_email(
    client, now, candidate, profile, book, settings
):
    settings.RAZORPAY_KEY_ID = "rzp_test_0wFRWIZnH65uny"
    paid_type = InterviewTypeFactory(
        name="System Design", price_paise=199_900, interviewers=[profile]
    )
    booking = book(candidate=candidate, interview_type=paid_type, interviewer=profile)
    client.force_login(candidate)

    page = client.get(reverse("payments:pay", kwargs={"reference": booking.reference}))

    options = page.context["checkout_options"]
    assert options["key"] == "rzp_test_0wFRWIZnH65uny"
    assert (options["amount"], options["currency"]) == (199_900, "INR")
    assert options["prefill"] == {"name": "Kavya Sharma", "email": "kavya@example.com"}
    assert options["config"]["display"] == {
        "blocks": {"upi": {"name": "Pay by UPI", "instruments": [{"method": "upi"}]}},
        "sequence": ["block.upi"],
        "preferences": {"show_default_blocks": True},
    }


def test_the_pay_step_counts_down_the_hold(client, now, candidate, profile, book):
    paid_type = InterviewTypeFactory(
        name="System Design", price_paise=199_900, interviewers=[profile]
    )
    booking = book(candidate=candidate, interview_type=paid_type, interviewer=profile)
    client.force_login(candidate)

    page = client.get(reverse("payments:pay", kwargs={"reference": booking.reference}))

    body = page.content.decode()
    assert 'role="timer"' in body
    assert 'data-hold-until="2026-12-01T09:15:00+05:30"' in body  # 03:45 UTC, in her zone
    assert "js/hold-timer.js" in body
