"""A candidate pays for a booking through the offline test gateway and gets a receipt."""

import datetime
import re

import pytest

from mockri.bookings.enums import BookingStatus
from mockri.bookings.models import Booking
from mockri.payments.models import Refund
from mockri.payments.tasks import refund_execute_task, refund_for_cancellation_task
from tests.factories import InterviewTypeFactory, UserFactory
from tests.fixtures import PDF_BYTES

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_candidate_pays_cancels_and_is_refunded_with_a_receipt(
    live_server, page, open_interviewer, sign_in, private_storage, tmp_path
):
    profile = open_interviewer
    design = InterviewTypeFactory(
        name="System Design", slug="system-design", price_paise=199_900, interviewers=[profile]
    )
    candidate = UserFactory(email="kavya@example.com", full_name="Kavya Sharma")
    resume = tmp_path / "resume.pdf"
    resume.write_bytes(PDF_BYTES)

    sign_in(candidate)

    page.goto(f"{live_server.url}/interviews/{design.slug}/book/")
    page.locator("#slots a[href*='start=']").first.click()
    page.get_by_label("Paste the job description").fill("Senior backend engineer.")
    page.get_by_label("Your resume").set_input_files(str(resume))
    page.get_by_role("button", name=re.compile("Continue to payment")).click()
    page.wait_for_url(re.compile(r"/bookings/MK-\w+/pay/"))
    assert "Test mode" in page.content()

    page.get_by_role("link", name="Continue to the test checkout").click()
    page.get_by_role("button", name=re.compile("Pay")).click()
    page.wait_for_url(re.compile(r"/bookings/MK-\w+/$"))

    booking = Booking.objects.get()
    assert booking.status == BookingStatus.CONFIRMED
    assert "Payment received" in page.content()
    receipt = booking.payments.get().receipt
    page.get_by_role("link", name=receipt.number).click()
    page.get_by_role("heading", name=f"Receipt {receipt.number}").wait_for()
    assert "₹1,999" in page.content()

    # More than 24 hours ahead? The first open slot is an hour away, so move it to be sure the
    # policy gives a full refund: cancel as the candidate would, then let the worker refund.
    Booking.objects.filter(pk=booking.pk).update(
        starts_at=booking.starts_at + datetime.timedelta(days=2),
        ends_at=booking.ends_at + datetime.timedelta(days=2),
        busy_until=booking.busy_until + datetime.timedelta(days=2),
    )
    page.goto(f"{live_server.url}{booking.get_absolute_url()}")
    page.get_by_text("Cancel this session").click()
    page.get_by_role("button", name="Cancel session").click()
    page.get_by_text("The session is cancelled.").wait_for()
    # The task worker's turn (the live server queued its tasks in its own thread's backend).
    refund_for_cancellation_task.call(booking_id=booking.pk)
    refund = Refund.objects.get()
    refund_execute_task.call(refund_id=refund.pk)
    page.reload()

    assert "Refund: Refunded" in page.content()
    assert booking.payments.get().status == "refunded"
