"""A person signs up in a real browser, confirms their email, signs out and signs back in."""

import re

import pytest
from django.core import mail

from mockri.accounts.models import Consent, User
from mockri.notifications.models import OutboxEmail
from mockri.notifications.tasks import outbox_send_task

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a long and private passphrase"


def test_sign_up_confirm_email_sign_out_and_sign_in(live_server, page):
    page.goto(f"{live_server.url}/accounts/signup/")
    page.get_by_label("Full name").fill("Kavya Sharma")
    page.get_by_label("Email").fill("kavya@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_label("I am 18 or older").check()
    page.get_by_label("I have read the Privacy Policy").check()
    page.get_by_role("button", name="Create account").click()
    page.wait_for_url("**/accounts/confirm-email/")
    # The worker's turn (the live server queued the send in its own thread's backend).
    (confirmation,) = OutboxEmail.objects.filter(kind="email_confirmation_signup")
    outbox_send_task.call(email_id=confirmation.pk)

    link = re.search(r"http://\S+/accounts/confirm-email/\S+", mail.outbox[-1].body).group(0)
    page.goto(link)
    page.get_by_role("button", name="Confirm").click()
    page.get_by_text("Kavya", exact=True).wait_for()

    page.get_by_label("Your account").click()
    page.get_by_role("button", name="Sign out").click()
    page.get_by_role("link", name="Sign in").first.wait_for()

    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email").fill("kavya@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_text("Kavya", exact=True).wait_for()

    user = User.objects.get()
    # The browser reported its own zone, whatever it is; it must be a real one.
    assert user.timezone
    assert Consent.objects.filter(user=user).count() == 1
    cookies = {cookie["name"] for cookie in page.context.cookies()}
    assert cookies <= {"sessionid", "csrftoken"}
