"""Account emails (allauth's and the Google sign-in notice) go through the notifications outbox:
a row per email, sent by the outbox task with its retries and bounce suppression."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from mockri.accounts.emails import account_email
from mockri.accounts.tasks import user_google_signin_notify_task
from mockri.notifications.models import OutboxEmail, OutboxStatus
from mockri.notifications.signals import queue_an_account_email
from mockri.notifications.tasks import ONE_TIME_BODY_REMOVED
from tests.factories import TEST_PASSWORD
from tests.fixtures import NOW, emails_sent, send_queued_emails

pytestmark = pytest.mark.django_db


def ask_for_a_password_reset(client, email):
    response = client.post(reverse("account_reset_password"), {"email": email})
    assert response.status_code == 302
    return response


def test_a_password_reset_waits_in_the_outbox_until_its_task_sends_it(
    client, candidate, task_queue, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        ask_for_a_password_reset(client, candidate.email)

    (row,) = OutboxEmail.objects.all()
    assert (row.kind, row.recipient, row.to_address, row.status) == (
        "password_reset_key",
        candidate,
        candidate.email,
        OutboxStatus.QUEUED,
    )
    assert mail.outbox == []
    assert task_queue.names() == ["outbox_send_task"]

    send_queued_emails()

    (message,) = mail.outbox
    assert message.subject == "Mockri: Reset your password"
    assert "/accounts/password/reset/key/" in message.body
    assert message.alternatives[0][1] == "text/html"


def test_a_sent_password_reset_leaves_no_working_link_in_the_outbox(client, candidate):
    with emails_sent():
        ask_for_a_password_reset(client, candidate.email)

    row = OutboxEmail.objects.get()
    assert (row.status, row.text_body, row.html_body) == (
        OutboxStatus.SENT,
        ONE_TIME_BODY_REMOVED,
        "",
    )
    assert "/accounts/password/reset/key/" in mail.outbox[0].body


def test_each_password_reset_asked_for_is_an_email_of_its_own(client, candidate):
    with emails_sent():
        ask_for_a_password_reset(client, candidate.email)
        ask_for_a_password_reset(client, candidate.email)

    rows = list(OutboxEmail.objects.all())
    assert [m.to for m in mail.outbox] == [[candidate.email], [candidate.email]]
    assert len({row.dedupe_key for row in rows}) == len({row.idempotency_key for row in rows}) == 2


def test_a_retried_send_of_an_account_email_is_the_same_email(
    client, candidate, settings, task_queue, django_capture_on_commit_callbacks
):
    working = settings.MAILERS
    settings.MAILERS = {"default": {"BACKEND": "tests.notifications.broken.EmailBackend"}}
    with django_capture_on_commit_callbacks(execute=True):
        ask_for_a_password_reset(client, candidate.email)
    row = OutboxEmail.objects.get()
    key = row.idempotency_key

    send_queued_emails()  # the mail server is down: the row waits for its retry
    settings.MAILERS = working
    with time_machine.travel(
        datetime.datetime.now(tz=datetime.UTC) + datetime.timedelta(minutes=2)
    ):
        send_queued_emails()

    row.refresh_from_db()
    assert (row.status, row.attempts) == (OutboxStatus.SENT, 2)
    assert OutboxEmail.objects.count() == 1
    assert row.idempotency_key == key
    assert [m.subject for m in mail.outbox] == ["Mockri: Reset your password"]


def test_a_password_reset_reaches_an_address_that_bounced_but_a_notice_does_not(client, candidate):
    candidate.email_bounced_at = NOW
    candidate.save()
    client.force_login(candidate)

    with emails_sent():
        ask_for_a_password_reset(client, candidate.email)
        client.post(
            reverse("account_change_password"),
            {
                "oldpassword": TEST_PASSWORD,
                "password1": "a brand new passphrase",
                "password2": "a brand new passphrase",
            },
        )

    assert [m.subject for m in mail.outbox] == ["Mockri: Reset your password"]
    assert list(OutboxEmail.objects.values_list("kind", flat=True)) == ["password_reset_key"]


def test_re_confirming_an_address_that_bounced_emails_it(client, candidate):
    candidate.email_bounced_at = NOW
    candidate.save()
    client.force_login(candidate)

    with emails_sent():
        client.post(reverse("account_email"), {"action_send": "", "email": candidate.email})

    (message,) = mail.outbox
    assert message.to == [candidate.email]
    assert message.subject == "Mockri: Confirm your email address"
    assert "/accounts/confirm-email/" in message.body


def test_an_email_to_an_address_without_an_account_has_no_recipient(client, candidate):
    with emails_sent():
        ask_for_a_password_reset(client, "nobody@example.com")

    row = OutboxEmail.objects.get()
    assert (row.kind, row.recipient, row.to_address) == (
        "unknown_account",
        None,
        "nobody@example.com",
    )
    assert mail.outbox[0].to == ["nobody@example.com"]


def test_a_google_sign_in_notice_run_twice_is_one_email(candidate):
    signed_in = {
        "user_id": candidate.pk,
        "ip_address": "203.0.113.9",
        "user_agent": "Firefox",
        "signed_in_at": NOW.isoformat(),
    }

    with emails_sent():
        user_google_signin_notify_task.call(**signed_in)
        user_google_signin_notify_task.call(**signed_in)

    (message,) = mail.outbox
    assert message.subject == "New sign-in to your Mockri account with Google"
    assert "203.0.113.9" in message.body
    assert OutboxEmail.objects.get().recipient == candidate


def test_without_an_outbox_listening_an_account_email_fails_loudly(client, candidate):
    account_email.disconnect(queue_an_account_email)
    try:
        with pytest.raises(ImproperlyConfigured):
            ask_for_a_password_reset(client, candidate.email)
    finally:
        account_email.connect(queue_an_account_email)
