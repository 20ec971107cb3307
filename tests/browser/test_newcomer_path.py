"""Issue 14's "done when", walked in a real browser: a newcomer applies, staff accept them, they
follow the emailed invitation, onboard and go live; a candidate books and pays for a session with
them; after it they mark it done and see the earning on their statement; staff pay it in a
payout batch, and the interviewer sees it paid.

Four people, each in a browser of their own. The clock starts at NOW (the cast's) and moves on
once, to the morning after the session: time-machine moves the live server's clock too. Only the
waiting, and the worker that runs queued tasks, happen outside the pages.
"""

import datetime
import re
from urllib.parse import urlsplit

import pytest
import time_machine
from django.urls import reverse

from mockri.bookings.enums import BookingStatus
from mockri.bookings.models import Booking
from mockri.earnings.models import EarningEntry
from mockri.notifications.models import OutboxEmail
from mockri.operations.task_queue import task_queue_drain
from tests.browser.test_console import signed_in_with_two_factor
from tests.browser.test_onboarding import (
    authenticator_code,
    invitation_followed_with_two_factor,
    onboarding_completed,
)
from tests.factories import InterviewTypeFactory, UserFactory
from tests.fixtures import NOW, PDF_BYTES

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a long new passphrase 42"
MEERA = "meera@example.com"
# NOW is Tuesday 1 December, 09:00 in India. Meera opens Wednesdays 18:00-21:00 India time, so
# her first bookable hour (past the default 12 hours' notice) is Wednesday 18:00 = 12:30 UTC.
SESSION_START = datetime.datetime(2026, 12, 2, 12, 30, tzinfo=datetime.UTC)
# Thursday 3 December, 10:00 in India: after the session, and after the last day paid for.
MORNING_AFTER = datetime.datetime(2026, 12, 3, 4, 30, tzinfo=datetime.UTC)
# 70% (EARNINGS_DEFAULT_SHARE_PERCENT, no rate set) of ₹1,999.
SHARE = "₹1,399.30"


def worker_runs_the_queue() -> None:
    """What the cron-driven worker does between two pages: the emails, the earning's credit."""
    task_queue_drain(budget_seconds=60)


def test_a_newcomer_applies_onboards_is_booked_marks_the_session_and_is_paid(
    live_server, browser, page, sign_in, two_factor, private_storage, settings, tmp_path
):
    assert NOW < SESSION_START < MORNING_AFTER  # the `two_factor` fixture froze the clock at NOW
    # The queue in the database, as in production: the live server's thread queues there.
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
    InterviewTypeFactory(name="System Design", slug="system-design", price_paise=199_900)
    staff_member = UserFactory(full_name="Mockri Staff", is_staff=True)
    candidate = UserFactory(email="kavya@example.com", full_name="Kavya Sharma")
    newcomer = browser.new_context().new_page()
    staff = browser.new_context().new_page()

    # 1. Meera applies on the public page.
    newcomer.goto(live_server.url + reverse("interviewers:apply"))
    newcomer.get_by_label("Your name").fill("Meera Krishnan")
    newcomer.get_by_label("Email").fill(MEERA)
    newcomer.get_by_label("Current company").fill("Swiggy")
    newcomer.get_by_label("Current role").fill("Senior Software Engineer")
    newcomer.get_by_label("Years of experience").fill("7")
    newcomer.get_by_label("Companies you have interviewed candidates for").fill("Swiggy, Zomato")
    newcomer.get_by_label("System Design").check()
    newcomer.get_by_label("Languages you can interview in").fill("English, Tamil")
    newcomer.get_by_label("LinkedIn or portfolio link").fill("https://www.linkedin.com/in/meera")
    newcomer.get_by_label("Why do you want to interview on Mockri?").fill(
        "I have run 150 backend interviews."
    )
    newcomer.get_by_label("I am 18 or older").check()
    newcomer.get_by_label(re.compile("I have read the Privacy Policy")).check()
    newcomer.get_by_role("button", name="Send my application").click()
    newcomer.get_by_role("heading", name="Thank you for applying").wait_for()
    worker_runs_the_queue()
    assert OutboxEmail.objects.get(kind="application_received").to_address == MEERA

    # 2. Staff, with two-factor, accept it from the console's queue.
    signed_in_with_two_factor(staff, live_server, staff_member, two_factor)
    staff.goto(live_server.url + reverse("interviewers:queue"))
    staff.get_by_role("link", name="Meera Krishnan").click()
    staff.get_by_role("combobox", name="Decision").select_option(label="Accept")
    staff.get_by_label("Reason (emailed to the applicant)").fill("Welcome aboard.")
    staff.get_by_role("button", name="Send the decision").click()
    staff.get_by_text("Meera Krishnan's application is accepted and invited.").wait_for()
    worker_runs_the_queue()

    # 3. Meera follows the link in her email, sets up two-factor, onboards and goes live.
    invitation = OutboxEmail.objects.get(kind="application_accepted", to_address=MEERA)
    assert (invitation.status, "Welcome aboard." in invitation.text_body) == ("sent", True)
    link = re.search(r"https?://\S+/become-an-interviewer/invitation/\S+/", invitation.text_body)
    assert link is not None
    newcomer.goto(live_server.url + urlsplit(link.group()).path)
    secret = invitation_followed_with_two_factor(newcomer, password=PASSWORD)
    onboarding_completed(
        newcomer,
        live_server,
        about="Backend engineer for 7 years; 150 interviews run.",
        weekday="Wednesday",
        upi_id="meera@okaxis",
        holder="Meera Krishnan",
    )
    assert "You're live" in newcomer.content()

    # 4. A candidate books System Design and pays at the test checkout: Meera is its only
    # interviewer, so the first open time is hers.
    resume = tmp_path / "Kavya resume.pdf"
    resume.write_bytes(PDF_BYTES)
    sign_in(candidate)
    page.goto(live_server.url + "/interviews/system-design/book/")
    page.locator("#slots a[href*='start=']").first.click()
    page.get_by_label("Paste the job description").fill("Senior backend engineer, payments.")
    page.get_by_label("Your resume").set_input_files(str(resume))
    page.get_by_role("button", name=re.compile("Continue to payment")).click()
    page.get_by_role("link", name="Continue to the test checkout").click()
    page.get_by_role("button", name=re.compile("Pay")).click()
    page.wait_for_url(re.compile(r"/bookings/MK-\w+/$"))
    booking = Booking.objects.get()
    assert (booking.interviewer.user.email, booking.status, booking.starts_at) == (
        MEERA,
        BookingStatus.CONFIRMED,
        SESSION_START,
    )
    worker_runs_the_queue()
    newcomer.goto(live_server.url + reverse("interviewers:dashboard"))
    assert "Kavya Sharma" in newcomer.locator("section", has_text="Upcoming").inner_text()

    with time_machine.travel(MORNING_AFTER, tick=False):
        # 5. The morning after: her sign-in has lapsed overnight, so she signs in again (with
        # her authenticator), and marks the session done from her dashboard.
        newcomer.goto(live_server.url + reverse("interviewers:dashboard"))
        newcomer.get_by_label("Email").fill(MEERA)
        newcomer.get_by_label("Password").fill(PASSWORD)
        newcomer.get_by_role("button", name="Sign in").click()
        newcomer.locator("input[name=code]").fill(authenticator_code(secret))
        newcomer.get_by_role("button", name="Sign in").click()
        newcomer.wait_for_url(re.compile(r"/interviewer/$"))
        to_mark = newcomer.locator("section", has_text="Needs an outcome")
        to_mark.get_by_role("link", name=re.compile("System Design")).click()
        newcomer.get_by_label("The session took place").check()
        newcomer.get_by_role("button", name="Record outcome").click()
        newcomer.wait_for_url(re.compile(rf"/bookings/{booking.reference}/"))
        booking.refresh_from_db()
        assert booking.status == BookingStatus.COMPLETED
        worker_runs_the_queue()  # the credit is queued with the completion

        # 6. The earning on her statement for December, not yet paid.
        newcomer.goto(live_server.url + reverse("earnings:home"))
        row = newcomer.get_by_test_id("statement").get_by_role("row", name=re.compile("System"))
        assert SHARE in row.inner_text() and "Not yet" in row.inner_text()
        balance = newcomer.get_by_test_id("balance").inner_text()
        assert f"Waiting to be paid\n{SHARE}" in balance

        # 7. Staff pay the period that ended last night: a batch, then the line marked paid.
        signed_in_with_two_factor(staff, live_server, staff_member, lambda *users: None)
        staff.goto(live_server.url + reverse("earnings:console_batches"))
        staff.get_by_label("Period start").fill("2026-12-01")
        staff.get_by_label("Period end").fill("2026-12-02")
        staff.get_by_role("button", name="Make the batch").click()
        staff.get_by_text("The batch has 1 lines.").wait_for()
        line = staff.get_by_test_id("lines").get_by_role("row", name=re.compile("Meera Krishnan"))
        assert SHARE in line.inner_text() and "UPI ••••axis" in line.inner_text()
        line.get_by_label("Reference").fill("UPI-4417")
        line.get_by_role("button", name="Mark paid").click()
        staff.get_by_text("is marked paid.").wait_for()
        assert "ref. UPI-4417" in staff.get_by_test_id("lines").inner_text()

        # 8. Meera sees it paid: the entry settled, the transfer on her statement.
        newcomer.reload()
        row = newcomer.get_by_test_id("statement").get_by_role("row", name=re.compile("System"))
        assert SHARE in row.inner_text() and "Yes" in row.inner_text()
        statement = newcomer.get_by_test_id("statement").inner_text()
        assert "Paid to UPI ••••axis, reference UPI-4417" in statement
        balance = newcomer.get_by_test_id("balance").inner_text()
        assert f"Paid out\n{SHARE}" in balance and "Waiting to be paid\n₹0" in balance

    entry = EarningEntry.objects.get()
    assert (entry.booking, entry.amount_paise, entry.settled_at) == (
        booking,
        139_930,
        MORNING_AFTER,
    )
    newcomer.context.close()
    staff.context.close()
