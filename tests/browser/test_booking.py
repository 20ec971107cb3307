"""A candidate books a free session end to end in a real browser."""

import re

import pytest

from mockri.bookings.enums import BookingStatus
from mockri.bookings.models import Booking
from tests.bookings.support import PDF_BYTES, open_all_week
from tests.factories import TEST_PASSWORD, InterviewTypeFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_candidate_books_a_free_career_chat(live_server, page, interviewer, tmp_path, settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "private"},
        },
    }
    profile = open_all_week(interviewer.interviewer_profile, "00:00", "23:30")
    profile.min_notice_minutes = 60
    profile.save()
    chat = InterviewTypeFactory(
        name="Career chat",
        slug="career-chat",
        price_paise=0,
        duration_minutes=20,
        interviewers=[profile],
    )
    candidate = UserFactory(email="kavya@example.com", full_name="Kavya Sharma")
    resume = tmp_path / "Kavya resume.pdf"
    resume.write_bytes(PDF_BYTES)

    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email").fill(candidate.email)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_text("Kavya", exact=True).wait_for()

    page.goto(f"{live_server.url}/interviews/{chat.slug}/book/")
    page.locator("#slots a[href*='start=']").first.click()
    page.get_by_label("Paste the job description").fill("Product analyst, fintech.")
    page.get_by_label("Your resume").set_input_files(str(resume))
    page.get_by_role("button", name=re.compile("Book free session")).click()
    page.wait_for_url(re.compile(r"/bookings/MK-"))

    booking = Booking.objects.get()
    assert (booking.candidate, booking.status) == (candidate, BookingStatus.CONFIRMED)
    assert booking.files.get().content_type == "application/pdf"
    assert booking.reference in page.content()
