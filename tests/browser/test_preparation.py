"""A candidate goes from the directory to their preparation plan and books its first session
with one click, in a real browser."""

import datetime
import re
import zoneinfo

import pytest
from django.utils import timezone

from mockri.bookings.enums import BookingStatus
from mockri.bookings.models import Booking
from mockri.preparation.models import TargetRole
from tests.factories import InterviewTypeFactory, UserFactory
from tests.fixtures import PDF_BYTES

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_directory_to_plan_to_booking_its_first_session(
    live_server, page, open_interviewer, sign_in, private_storage, tmp_path
):
    coding = InterviewTypeFactory(
        name="Coding", slug="coding", position=1, interviewers=[open_interviewer]
    )
    design = InterviewTypeFactory(
        name="System Design", slug="system-design", position=2, interviewers=[open_interviewer]
    )
    role = TargetRole.objects.create(name="Software engineer", slug="software-engineer")
    role.interview_types.set([coding, design])
    candidate = UserFactory(email="kavya@example.com", full_name="Kavya Sharma")
    resume = tmp_path / "Kavya resume.pdf"
    resume.write_bytes(PDF_BYTES)
    today = timezone.now().astimezone(zoneinfo.ZoneInfo(candidate.timezone)).date()
    interview_on = today + datetime.timedelta(days=14)

    sign_in(candidate)
    page.goto(f"{live_server.url}/interviewers/")
    page.get_by_role("link", name="Get a plan worked back from its date").click()
    page.get_by_label("Target role").select_option(label="Software engineer")
    page.get_by_label("Date of your real interview").fill(interview_on.isoformat())
    page.get_by_role("button", name="Save and update my plan").click()

    page.get_by_text("Saved. Your plan below follows what you told us.").wait_for()
    assert page.get_by_role("link", name=re.compile("^Book this")).count() == 2
    page.get_by_role("link", name=re.compile("^Book this")).first.click()

    page.wait_for_url(re.compile(r"/interviews/coding/book/details/\?start=.+&interviewer="))
    page.get_by_label("Paste the job description").fill("Backend engineer, payments team.")
    page.get_by_label("Your resume").set_input_files(str(resume))
    page.get_by_role("button", name="Continue to payment").click()
    page.wait_for_url(re.compile(r"/bookings/MK-\w+/pay/"))

    booking = Booking.objects.get()
    assert (booking.candidate, booking.interviewer, booking.interview_type, booking.status) == (
        candidate,
        open_interviewer,
        coding,
        BookingStatus.PENDING_PAYMENT,
    )
    page.goto(f"{live_server.url}/account/preparation/")
    assert page.get_by_role("link", name=re.compile("^Book this")).count() == 1
    assert page.get_by_text("Booked", exact=True).count() == 1
