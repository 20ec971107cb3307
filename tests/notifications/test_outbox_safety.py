"""The development outbox needs staff's second factor, and no outbox row keeps a one-time link
once it will not be sent again."""

import datetime

import pytest
from django.urls import reverse

from mockri.notifications.models import OutboxEmail, OutboxStatus
from mockri.notifications.services import email_queue_rendered
from mockri.notifications.tasks import (
    MAX_ATTEMPTS,
    ONE_TIME_BODY_REMOVED,
    outbox_requeue_stuck,
    outbox_send_task,
)
from tests.fixtures import NOW

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("now")]
RESET_LINK = "http://127.0.0.1:8000/accounts/password/reset/key/1-abc/"


def test_staff_without_two_factor_are_sent_to_set_it_up_before_the_outbox(client, staff, settings):
    settings.DEBUG = True
    client.force_login(staff)

    for url in (reverse("notifications:outbox"), reverse("notifications:outbox_email", args=[1])):
        response = client.get(url)
        assert (response.status_code, response.url) == (302, reverse("mfa_activate_totp"))


@pytest.fixture
def reset_email(candidate):
    return email_queue_rendered(
        "password_reset_key",
        to_address=candidate.email,
        recipient=candidate,
        subject="Mockri: Reset your password",
        text_body=f"Open {RESET_LINK}",
        html_body=f'<a href="{RESET_LINK}">{RESET_LINK}</a>',
        dedupe_key="password_reset_key:test",
    )


@pytest.fixture
def mail_server_refuses(settings):
    settings.MAILERS = {"default": {"BACKEND": "tests.notifications.broken.EmailBackend"}}


def test_a_one_time_link_stays_while_its_send_will_be_retried(reset_email, mail_server_refuses):
    outbox_send_task.call(email_id=reset_email.pk)

    reset_email.refresh_from_db()
    assert reset_email.status == OutboxStatus.QUEUED
    assert RESET_LINK in reset_email.text_body


def test_a_one_time_link_is_removed_when_the_send_fails_for_good(reset_email, mail_server_refuses):
    OutboxEmail.objects.filter(pk=reset_email.pk).update(attempts=MAX_ATTEMPTS - 1)

    outbox_send_task.call(email_id=reset_email.pk)

    reset_email.refresh_from_db()
    assert (reset_email.status, reset_email.text_body, reset_email.html_body) == (
        OutboxStatus.FAILED,
        ONE_TIME_BODY_REMOVED,
        "",
    )


def test_a_one_time_link_stuck_sending_for_a_day_is_removed_when_given_up(reset_email, candidate):
    long_ago = NOW - datetime.timedelta(days=2)
    OutboxEmail.objects.filter(pk=reset_email.pk).update(
        status=OutboxStatus.SENDING, claimed_at=long_ago, first_tried_at=long_ago
    )

    outbox_requeue_stuck(now=NOW)

    reset_email.refresh_from_db()
    assert (reset_email.status, reset_email.text_body) == (
        OutboxStatus.FAILED,
        ONE_TIME_BODY_REMOVED,
    )
