"""Sending through Resend (django-anymail) with Resend's Idempotency-Key header. Only Resend's
HTTP API is faked, with `responses`, as documented: POST https://api.resend.com/emails answers
{"id": ...}, and a request repeating an idempotency key within 24 hours gets the first
request's id back without a second email being sent."""

import datetime
import json
import uuid

import pytest
import responses
from django.db import connection

from mockri.notifications.models import OutboxEmail, OutboxStatus
from mockri.notifications.tasks import outbox_requeue_stuck, outbox_send_task
from tests.fixtures import NOW
from tests.notifications.test_emails import queue_emails
from tests.test_settings import run_django

pytestmark = pytest.mark.django_db

RESEND_EMAILS = "https://api.resend.com/emails"
API_KEY = "re_test_0123456789abcdef"


class FakeResend:
    """Resend's POST /emails: one email per idempotency key (or per request without one)."""

    def __init__(self):
        self.requests = []
        self.emails = {}  # idempotency key (or a fresh id) -> email id

    def __call__(self, request):
        self.requests.append(request)
        key = request.headers.get("Idempotency-Key") or str(uuid.uuid4())
        email_id = self.emails.setdefault(key, str(uuid.uuid4()))
        return 200, {"Content-Type": "application/json"}, json.dumps({"id": email_id})

    def sent_keys(self) -> list[str]:
        return [request.headers.get("Idempotency-Key") for request in self.requests]


class WorkerKilled(BaseException):
    """The worker process dies: no `except Exception` runs, the row stays "sending"."""


def die_before_marking_sent(execute, sql, params, many, context):
    """A database execute wrapper: the worker dies just before the UPDATE that marks the row
    sent, so after Resend answered."""
    if sql.startswith("UPDATE") and "sent_at" in sql:
        raise WorkerKilled
    return execute(sql, params, many, context)


@pytest.fixture
def resend(settings):
    settings.MAILERS = {"default": {"BACKEND": "mockri.notifications.resend.EmailBackend"}}
    settings.ANYMAIL = {"RESEND_API_KEY": API_KEY}
    fake = FakeResend()
    with responses.RequestsMock() as mock:
        mock.add_callback(responses.POST, RESEND_EMAILS, callback=fake)
        yield fake


@pytest.fixture
def two_emails(
    now, candidate, free_type, profile, book, task_queue, django_capture_on_commit_callbacks
):
    """The candidate's confirmation and the interviewer's new session, queued, not yet sent."""
    with django_capture_on_commit_callbacks(execute=True):
        book(candidate=candidate, interview_type=free_type, interviewer=profile)
    queue_emails(task_queue, django_capture_on_commit_callbacks)
    task_queue.backend.clear()
    return list(OutboxEmail.objects.order_by("pk"))


def test_each_email_is_sent_with_its_own_idempotency_key_in_the_http_header(resend, two_emails):
    for email in two_emails:
        outbox_send_task.call(email_id=email.pk)

    first, second = two_emails
    assert resend.sent_keys() == [first.idempotency_key, second.idempotency_key]
    assert first.idempotency_key != second.idempotency_key
    assert all(len(key) <= 256 and key.isascii() for key in resend.sent_keys())
    request = resend.requests[0]
    assert request.headers["Authorization"] == f"Bearer {API_KEY}"
    body = json.loads(request.body)
    assert body["to"] == [first.to_address]
    assert "Idempotency-Key" not in json.dumps(body)  # a request header, not an email header
    assert body["attachments"][0]["filename"] == "mockri-interview.ics"
    first.refresh_from_db()
    assert (first.status, first.provider_message_id) == (
        OutboxStatus.SENT,
        resend.emails[resend.sent_keys()[0]],
    )


def test_a_worker_killed_between_resends_answer_and_marking_the_row_retries_with_the_same_key(
    resend, two_emails, task_queue
):
    email = two_emails[0]

    with connection.execute_wrapper(die_before_marking_sent), pytest.raises(WorkerKilled):
        outbox_send_task.call(email_id=email.pk)
    email.refresh_from_db()
    assert (email.status, email.attempts) == (OutboxStatus.SENDING, 1)
    # The recovery chain finds it stuck and queues it again; a worker runs it.
    assert outbox_requeue_stuck(now=NOW + datetime.timedelta(minutes=11)) == 1
    task_queue.run_all()

    email.refresh_from_db()
    assert resend.sent_keys() == [email.idempotency_key, email.idempotency_key]
    assert len(resend.emails) == 1  # Resend sent one email
    assert (email.status, email.attempts) == (OutboxStatus.SENT, 2)
    assert email.provider_message_id == resend.emails[email.idempotency_key]


def test_a_retry_after_resend_failed_sends_the_same_key(resend, two_emails, task_queue):
    email = two_emails[0]
    with responses.RequestsMock() as down:
        down.post(RESEND_EMAILS, status=500, json={"name": "internal_server_error"})
        outbox_send_task.call(email_id=email.pk)
        failed_key = down.calls[0].request.headers["Idempotency-Key"]

    (retry,) = task_queue.enqueued
    retry.task.call(*retry.args, **retry.kwargs)

    email.refresh_from_db()
    assert resend.sent_keys() == [failed_key] == [email.idempotency_key]
    assert (email.status, email.attempts) == (OutboxStatus.SENT, 2)


def test_another_deployment_sends_another_key_for_an_equal_dedupe_key(settings, two_emails):
    email = two_emails[0]
    production = email.idempotency_key

    settings.SITE_URL = "https://staging.mockri.com"

    assert email.idempotency_key != production


def test_email_provider_resend_selects_the_backend_with_idempotency_keys(tmp_path):
    code = (
        "import django, json; django.setup(); from django.conf import settings; "
        "print(json.dumps(settings.MAILERS))"
    )
    result = run_django(
        ["-c", code],
        {
            "DJANGO_SETTINGS_MODULE": "mockri.settings",
            "EMAIL_PROVIDER": "resend",
            "RESEND_API_KEY": API_KEY,
        },
        tmp_path,
    )

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {
        "default": {"BACKEND": "mockri.notifications.resend.EmailBackend"}
    }
