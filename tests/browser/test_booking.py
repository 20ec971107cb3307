"""A candidate books a free session end to end in a real browser."""

import re

import pytest

from mockri.bookings.enums import BookingStatus
from mockri.bookings.models import Booking
from tests.factories import InterviewTypeFactory, UserFactory
from tests.fixtures import PDF_BYTES

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_candidate_books_a_free_career_chat(
    live_server, page, open_interviewer, sign_in, private_storage, tmp_path
):
    profile = open_interviewer
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

    sign_in(candidate)

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


def test_a_resume_over_vercels_4_5_mb_limit_goes_ahead_in_parts_and_books(
    live_server, page, open_interviewer, sign_in, private_storage, tmp_path, settings
):
    """The script sends the file in parts; every request the browser makes stays under the
    limit Mockri keeps on Vercel, and the booking has the whole file."""
    settings.REQUEST_BODY_MAX_BYTES = 4_400_000  # as on Vercel
    chat = InterviewTypeFactory(
        name="Career chat", slug="career-chat", price_paise=0, interviewers=[open_interviewer]
    )
    candidate = UserFactory(email="kavya@example.com", full_name="Kavya Sharma")
    data = PDF_BYTES + b"0" * (4_800_000 - len(PDF_BYTES))
    resume = tmp_path / "Kavya resume.pdf"
    resume.write_bytes(data)
    bodies = []
    page.on(
        "request",
        lambda request: bodies.append((request.url, len(request.post_data_buffer or b""))),
    )

    sign_in(candidate)
    page.goto(f"{live_server.url}/interviews/{chat.slug}/book/")
    page.locator("#slots a[href*='start=']").first.click()
    page.get_by_label("Paste the job description").fill("Product analyst, fintech.")
    page.get_by_label("Your resume").set_input_files(str(resume))
    page.get_by_role("button", name=re.compile("Book free session")).click()
    page.wait_for_url(re.compile(r"/bookings/MK-"))

    stored = Booking.objects.get().files.get()
    assert (stored.original_name, stored.size_bytes) == ("Kavya resume.pdf", len(data))
    assert (private_storage / stored.file.name).read_bytes() == data
    parts = [size for url, size in bodies if "/parts/" in url]
    assert len(parts) == 2
    assert max(size for _, size in bodies) < 4_400_000
