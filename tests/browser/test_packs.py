"""A candidate buys a pack through the offline test gateway (UPI first), then books a session
with one of its credits: no payment step, confirmed at once."""

import re

import pytest

from mockri.bookings.enums import BookingStatus
from mockri.bookings.models import Booking
from mockri.packs.models import PackPurchase
from mockri.packs.tasks import pack_purchase_grant_task
from tests.factories import InterviewTypeFactory, PackFactory, UserFactory
from tests.fixtures import PDF_BYTES

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_candidate_buys_a_pack_and_books_a_session_with_a_credit(
    live_server, page, open_interviewer, sign_in, private_storage, tmp_path
):
    design = InterviewTypeFactory(
        name="System Design",
        slug="system-design",
        price_paise=199_900,
        interviewers=[open_interviewer],
    )
    PackFactory(name="Design loop", slug="design-loop", interview_types=[design], sessions=3)
    candidate = UserFactory(email="kavya@example.com", full_name="Kavya Sharma")
    resume = tmp_path / "resume.pdf"
    resume.write_bytes(PDF_BYTES)
    sign_in(candidate)

    page.goto(f"{live_server.url}/packs/")
    page.get_by_role("button", name="Buy Design loop").click()
    page.wait_for_url(re.compile(r"/packs/purchases/PK-\w+/pay/"))
    page.get_by_role("link", name="Continue to the test checkout").click()
    upi = page.get_by_role("radio").first
    assert upi.get_attribute("value") == "upi" and upi.is_checked()
    page.get_by_role("button", name=re.compile("Pay")).click()
    page.wait_for_url(re.compile(r"/packs/purchases/PK-\w+/$"))
    assert "Payment received" in page.content()

    # The task worker's turn (the live server queued the grant in its own thread's backend).
    purchase = PackPurchase.objects.get()
    pack_purchase_grant_task.call(payment_id=purchase.payments.get().pk)
    page.reload()
    assert page.get_by_test_id("balance").inner_text() == "3"

    page.goto(f"{live_server.url}/interviews/{design.slug}/book/")
    page.locator("#slots a[href*='start=']").first.click()
    page.get_by_label("Paste the job description").fill("Senior backend engineer.")
    page.get_by_label("Your resume").set_input_files(str(resume))
    page.get_by_role("button", name=re.compile("Continue to payment")).click()
    page.wait_for_url(re.compile(r"/bookings/MK-\w+/pay/"))
    assert page.get_by_role("timer").is_visible()  # the hold's countdown
    page.get_by_role("button", name="Use a pack credit").click()
    page.wait_for_url(re.compile(r"/bookings/MK-\w+/$"))

    page.get_by_text("Paid with a pack credit. You're booked!").wait_for()
    booking = Booking.objects.get()
    assert booking.status == BookingStatus.CONFIRMED
    # The pay step opened an order (as it does for everyone); nothing was paid against it.
    assert list(booking.payments.values_list("status", flat=True)) == ["created"]
    page.goto(f"{live_server.url}{purchase.get_absolute_url()}")
    assert page.get_by_test_id("balance").inner_text() == "2"
