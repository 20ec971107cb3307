import datetime
import logging

from anymail.exceptions import AnymailRecipientsRefused
from django.core.mail import EmailMultiAlternatives
from django.db.models import F, Value
from django.db.models.functions import Coalesce
from django.tasks import task
from django.utils import timezone

from mockri.accounts.emails import ACCESS_EMAILS

from .models import OutboxEmail, OutboxStatus
from .services import (
    booking_announce_emails,
    booking_cancelled_emails,
    booking_reassigned_emails,
    meeting_no_link_emails,
    meeting_ready_emails,
    payment_receipt_email,
    reminder_send,
    reminders_plan,
)

logger = logging.getLogger(__name__)
MAX_ATTEMPTS = 5
# Waits before attempts 2, 3, 4 and 5.
BACKOFF = [datetime.timedelta(minutes=m) for m in (1, 5, 30, 120)]
# What stays of an email carrying a one-time link or code (a password reset, an address
# confirmation, a sign-in code) once it is sent or has failed for good: the outbox need not keep
# a key to the account.
ONE_TIME_BODY_REMOVED = "[Removed once sent or given up: it held a one-time link or code.]"
_ONE_TIME_BODY_GONE = {"text_body": ONE_TIME_BODY_REMOVED, "html_body": ""}


@task
def outbox_send_task(*, email_id: int) -> None:
    """Send one queued email. Claiming the row first (queued → sending, in one conditional
    UPDATE) means a second worker or a repeated task finds nothing to send."""
    now = timezone.now()
    claimed = OutboxEmail.objects.filter(pk=email_id, status=OutboxStatus.QUEUED).update(
        status=OutboxStatus.SENDING,
        attempts=F("attempts") + 1,
        claimed_at=now,
        first_tried_at=Coalesce("first_tried_at", Value(now)),
    )
    if not claimed:
        return
    email = OutboxEmail.objects.get(pk=email_id)
    message = EmailMultiAlternatives(
        subject=email.subject, body=email.text_body, to=[email.to_address]
    )
    message.attach_alternative(email.html_body, "text/html")
    # Every attempt at this row carries the same key (Resend's Idempotency-Key header), so a
    # retry after a worker died between Resend's answer and marking the row sends nothing new.
    message.idempotency_key = email.idempotency_key
    for attachment in email.attachments:
        message.attach(attachment["filename"], attachment["content"], attachment["mimetype"])
    try:
        message.send()
    except AnymailRecipientsRefused as error:
        _failed(email, f"Refused: {error}", permanent=True)
        return
    except Exception as error:
        _failed(email, f"{type(error).__name__}: {error}", permanent=False)
        return
    status = getattr(message, "anymail_status", None)
    OutboxEmail.objects.filter(pk=email.pk).update(
        status=OutboxStatus.SENT,
        sent_at=timezone.now(),
        provider_message_id=(getattr(status, "message_id", "") or "")[:100],
        last_error="",
        **_one_time_body_removed(email.kind),
    )


def _one_time_body_removed(kind: str) -> dict:
    """The fields that drop a one-time link or code from a row that will not be sent again
    (sent, or failed for good): the outbox need not keep a key to the account either way."""
    return _ONE_TIME_BODY_GONE if kind in ACCESS_EMAILS else {}


def _failed(email: OutboxEmail, error: str, *, permanent: bool) -> None:
    # Not the error itself: a mail server's refusal quotes the recipient's address. It stays on
    # the row (last_error) for staff.
    logger.warning("Email %s (%s) failed%s", email.pk, email.kind, " for good" if permanent else "")
    give_up = permanent or email.attempts >= MAX_ATTEMPTS
    OutboxEmail.objects.filter(pk=email.pk).update(
        status=OutboxStatus.FAILED if give_up else OutboxStatus.QUEUED,
        last_error=error[:300],
        **(_one_time_body_removed(email.kind) if give_up else {}),
    )
    if not give_up:
        wait = BACKOFF[min(email.attempts, len(BACKOFF)) - 1]
        outbox_send_task.using(run_after=timezone.now() + wait).enqueue(email_id=email.pk)


@task
def reminder_send_task(*, booking_id: int, kind: str, starts_at: str) -> None:
    reminder_send(booking_id=booking_id, kind=kind, starts_at=starts_at)


@task
def booking_announce_emails_task(*, booking_id: int) -> None:
    """Queued MEETING_LINK_WAIT after a confirmation or a change: the announcements that did not
    get their meeting link in time (meeting_ready_emails_task sends them as soon as it is)."""
    booking_announce_emails(booking_id=booking_id)


@task
def booking_cancelled_emails_task(*, booking_id: int) -> None:
    booking_cancelled_emails(booking_id=booking_id)


@task
def booking_reassigned_emails_task(*, booking_id: int) -> None:
    booking_reassigned_emails(booking_id=booking_id)


@task
def reminders_plan_task(*, booking_id: int) -> None:
    reminders_plan(booking_id=booking_id)


@task
def meeting_ready_emails_task(*, booking_id: int) -> None:
    meeting_ready_emails(booking_id=booking_id)


@task
def meeting_no_link_emails_task(*, booking_id: int) -> None:
    meeting_no_link_emails(booking_id=booking_id)


@task
def receipt_email_task(*, receipt_id: int) -> None:
    payment_receipt_email(receipt_id=receipt_id)


STUCK_AFTER = datetime.timedelta(minutes=10)
# Resend keeps an idempotency key 24 hours; an hour's margin for clocks and queues.
IDEMPOTENCY_WINDOW = datetime.timedelta(hours=23)
RECOVER_EVERY = datetime.timedelta(minutes=10)


def outbox_requeue_stuck(*, now) -> int:
    """Emails left "sending" by a worker that died mid-send go back to the queue; the retry
    carries the same idempotency key, so the provider sends it once. After the key's window
    (Resend: 24 hours from the first attempt) a retry could send it twice, so such a row is
    marked failed for staff to check against the provider's log instead."""
    stuck = OutboxEmail.objects.annotate(
        since=Coalesce("claimed_at", "created_at"), first=Coalesce("first_tried_at", "created_at")
    ).filter(status=OutboxStatus.SENDING, since__lte=now - STUCK_AFTER)
    given_up = OutboxEmail.objects.filter(
        pk__in=stuck.filter(first__lte=now - IDEMPOTENCY_WINDOW).values("pk"),
        status=OutboxStatus.SENDING,
    )
    given_up.filter(kind__in=ACCESS_EMAILS).update(**_ONE_TIME_BODY_GONE)
    given_up.update(
        status=OutboxStatus.FAILED,
        last_error="The worker stopped while sending over a day ago: check the provider's log "
        "before sending it again.",
    )
    requeued = 0
    for email_id in stuck.filter(first__gt=now - IDEMPOTENCY_WINDOW).values_list("pk", flat=True):
        if OutboxEmail.objects.filter(pk=email_id, status=OutboxStatus.SENDING).update(
            status=OutboxStatus.QUEUED, last_error="The worker stopped while sending; retried."
        ):
            outbox_send_task.enqueue(email_id=email_id)
            requeued += 1
    return requeued


@task
def outbox_recover_task() -> None:
    """Requeue stuck emails, then come back in 10 minutes (a chain started by
    `manage.py recover_outbox --schedule`)."""
    now = timezone.now()
    try:
        outbox_requeue_stuck(now=now)
    finally:
        outbox_recover_task.using(run_after=now + RECOVER_EVERY).enqueue()
