import datetime

import pytest
from anymail.signals import AnymailTrackingEvent, tracking
from django.core import mail
from django.urls import reverse
from icalendar import Calendar

from mockri.bookings.enums import Actor
from mockri.bookings.services import booking_cancel, booking_reschedule
from mockri.notifications.models import OutboxEmail, OutboxStatus
from mockri.notifications.services import booking_announce_emails, reminder_send, reminders_plan
from mockri.notifications.tasks import outbox_requeue_stuck, outbox_send_task
from mockri.payments.gateways.base import Payment as ProviderPayment
from mockri.payments.models import Payment
from mockri.payments.services import payment_record
from tests.fixtures import NOW, SLOT

pytestmark = pytest.mark.django_db
HOUR = datetime.timedelta(hours=1)


@pytest.fixture
def confirmed(
    now, candidate, free_type, profile, book, task_queue, django_capture_on_commit_callbacks
):
    candidate.timezone = "Europe/London"
    candidate.save()
    with django_capture_on_commit_callbacks(execute=True):
        booking = book(candidate=candidate, interview_type=free_type, interviewer=profile)
    return booking


def deliver_all(task_queue, django_capture_on_commit_callbacks):
    """Run queued work, and the sends it queues on commit, but not reminders (they wait for
    their time)."""
    while task_queue.due(excluding=("reminder_send_task",)):
        with django_capture_on_commit_callbacks(execute=True):
            task_queue.run_all_except("reminder_send_task")


def queue_emails(task_queue, django_capture_on_commit_callbacks):
    """Run queued work, and what it queues, until only emails (the test sends them itself) and
    reminders are left."""
    while task_queue.due(excluding=("outbox_send_task", "reminder_send_task")):
        with django_capture_on_commit_callbacks(execute=True):
            task_queue.run_all_except("outbox_send_task", "reminder_send_task")


def test_a_confirmed_booking_emails_both_people_with_an_invitation(
    confirmed, candidate, interviewer, task_queue, django_capture_on_commit_callbacks
):
    deliver_all(task_queue, django_capture_on_commit_callbacks)

    by_recipient = {message.to[0]: message for message in mail.outbox}
    assert set(by_recipient) == {candidate.email, interviewer.email}
    to_candidate = by_recipient[candidate.email]
    assert to_candidate.subject == "Mockri: You're booked: Career chat on Wed 2 Dec"
    # 04:30 UTC is 04:30 in London in December, and 10:00 in India for the interviewer
    assert "4:30 am to 4:50 am GMT (Europe/London)" in to_candidate.body
    assert "10:00 am" in by_recipient[interviewer.email].body
    html, mimetype = to_candidate.alternatives[0]
    assert mimetype == "text/html" and confirmed.reference in html
    (filename, ics, ics_type) = to_candidate.attachments[0]
    event = Calendar.from_ical(ics).walk("VEVENT")[0]
    assert (filename, ics_type) == ("mockri-interview.ics", "text/calendar")
    assert Calendar.from_ical(ics)["METHOD"] == "REQUEST"
    assert (str(event["UID"]), int(event["SEQUENCE"])) == (f"{confirmed.reference}@mockri", 1)
    assert event.decoded("DTSTART") == SLOT
    assert "resume" in by_recipient[interviewer.email].body  # links, never the files
    assert by_recipient[interviewer.email].attachments[0][0].endswith(".ics")


def test_the_same_email_is_never_queued_twice(
    confirmed, task_queue, django_capture_on_commit_callbacks
):
    deliver_all(task_queue, django_capture_on_commit_callbacks)
    booking_announce_emails(booking_id=confirmed.pk)

    assert OutboxEmail.objects.count() == 2


def test_two_workers_claiming_one_email_send_it_once(
    confirmed, task_queue, django_capture_on_commit_callbacks
):
    queue_emails(task_queue, django_capture_on_commit_callbacks)
    email = OutboxEmail.objects.first()

    outbox_send_task.call(email_id=email.pk)
    outbox_send_task.call(email_id=email.pk)

    assert [m.subject for m in mail.outbox] == [email.subject]
    email.refresh_from_db()
    assert (email.status, email.attempts) == (OutboxStatus.SENT, 1)


def test_a_failing_mail_server_is_retried_later(
    confirmed, task_queue, settings, django_capture_on_commit_callbacks
):
    queue_emails(task_queue, django_capture_on_commit_callbacks)
    task_queue.backend.clear()
    email = OutboxEmail.objects.first()
    settings.MAILERS = {"default": {"BACKEND": "tests.notifications.broken.EmailBackend"}}

    outbox_send_task.call(email_id=email.pk)

    email.refresh_from_db()
    assert (email.status, email.attempts) == (OutboxStatus.QUEUED, 1)
    assert "ConnectionRefusedError" in email.last_error
    (retry,) = task_queue.enqueued
    assert retry.task.run_after == NOW + datetime.timedelta(minutes=1)


def test_reminders_are_planned_24_hours_and_1_hour_before(confirmed, task_queue):
    task_queue.backend.clear()

    planned = reminders_plan(booking_id=confirmed.pk, now=NOW)

    assert planned == ["reminder_24h", "reminder_1h"]
    assert [r.task.run_after for r in task_queue.enqueued] == [SLOT - 24 * HOUR, SLOT - HOUR]


def test_a_booking_less_than_24_hours_ahead_gets_only_the_1_hour_reminder(confirmed, task_queue):
    task_queue.backend.clear()

    assert reminders_plan(booking_id=confirmed.pk, now=SLOT - 10 * HOUR) == ["reminder_1h"]


def test_a_reminder_fires_once_and_never_for_an_old_time_or_a_cancelled_session(
    confirmed, candidate, task_queue, django_capture_on_commit_callbacks
):
    at = SLOT.isoformat()
    with django_capture_on_commit_callbacks(execute=True):
        assert reminder_send(booking_id=confirmed.pk, kind="reminder_1h", starts_at=at) == 2
        assert reminder_send(booking_id=confirmed.pk, kind="reminder_1h", starts_at=at) == 0

        moved = booking_reschedule(
            confirmed,
            actor=candidate,
            actor_role=Actor.CANDIDATE,
            new_start=SLOT + 3 * HOUR,
            now=NOW,
        )
        assert reminder_send(booking_id=moved.pk, kind="reminder_24h", starts_at=at) == 0

        booking_cancel(moved, actor=candidate, actor_role=Actor.CANDIDATE, reason="", now=NOW)
        new_at = moved.starts_at.isoformat()
        assert reminder_send(booking_id=moved.pk, kind="reminder_24h", starts_at=new_at) == 0


def test_a_reschedule_and_a_cancellation_update_the_invitation(
    confirmed, candidate, task_queue, django_capture_on_commit_callbacks
):
    deliver_all(task_queue, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        moved = booking_reschedule(
            confirmed,
            actor=candidate,
            actor_role=Actor.CANDIDATE,
            new_start=SLOT + 3 * HOUR,
            now=NOW,
        )
    deliver_all(task_queue, django_capture_on_commit_callbacks)
    moved_ics = Calendar.from_ical(mail.outbox[0].attachments[0][1])
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        booking_cancel(moved, actor=candidate, actor_role=Actor.CANDIDATE, reason="", now=NOW)
    deliver_all(task_queue, django_capture_on_commit_callbacks)
    cancel_ics = Calendar.from_ical(mail.outbox[0].attachments[0][1])

    assert int(moved_ics.walk("VEVENT")[0]["SEQUENCE"]) == 2
    assert moved_ics.walk("VEVENT")[0].decoded("DTSTART") == SLOT + 3 * HOUR
    assert cancel_ics["METHOD"] == "CANCEL"
    assert {m.subject.split(":")[1].strip() for m in mail.outbox} == {"Cancelled"}


def test_a_receipt_is_emailed_to_the_candidate(
    now, candidate, paid_type, profile, book, task_queue, django_capture_on_commit_callbacks
):
    booking = book(candidate=candidate, interview_type=paid_type, interviewer=profile)
    Payment.objects.create(
        booking=booking, gateway="razorpay", order_ref="order_Receipt00001", amount_paise=199_900
    )
    with django_capture_on_commit_callbacks(execute=True):
        payment_record(
            info=ProviderPayment(
                provider_ref="pay_Receipt00001",
                order_ref="order_Receipt00001",
                amount_paise=199_900,
                currency="INR",
                status="captured",
                method="card",
            )
        )
    deliver_all(task_queue, django_capture_on_commit_callbacks)

    receipt_mail = next(m for m in mail.outbox if "Receipt" in m.subject)
    assert receipt_mail.to == [candidate.email]
    assert "₹1,999" in receipt_mail.body and "pay_Receipt00001" in receipt_mail.body


def test_the_booking_page_offers_the_invitation_to_download(client, confirmed, candidate):
    client.force_login(candidate)

    page = client.get(confirmed.get_absolute_url()).content.decode()
    ics = client.get(reverse("notifications:calendar", kwargs={"reference": confirmed.reference}))

    assert "calendar.google.com/calendar/render?action=TEMPLATE" in page
    assert ics["Content-Type"] == "text/calendar; charset=utf-8"
    assert (
        Calendar.from_ical(ics.content).walk("VEVENT")[0]["UID"] == f"{confirmed.reference}@mockri"
    )


def test_someone_else_cannot_download_the_invitation(client, confirmed, other_candidate):
    client.force_login(other_candidate)

    response = client.get(
        reverse("notifications:calendar", kwargs={"reference": confirmed.reference})
    )

    assert response.status_code == 404


def test_the_development_outbox_shows_queued_emails_to_staff_while_debugging(
    client, confirmed, staff, settings, task_queue, django_capture_on_commit_callbacks, two_factor
):
    deliver_all(task_queue, django_capture_on_commit_callbacks)
    two_factor(staff)
    client.force_login(staff)

    settings.DEBUG = False
    hidden = client.get(reverse("notifications:outbox"))
    settings.DEBUG = True
    shown = client.get(reverse("notifications:outbox"))

    assert hidden.status_code == 404
    assert "You&#x27;re booked" in shown.content.decode()


def test_a_bounce_stops_emails_to_that_address_and_the_person_is_told(
    client, confirmed, candidate, task_queue, django_capture_on_commit_callbacks
):
    tracking.send(
        sender=object,
        event=AnymailTrackingEvent(event_type="bounced", recipient=candidate.email.upper()),
        esp_name="Resend",
    )
    OutboxEmail.objects.all().delete()
    booking_announce_emails(booking_id=confirmed.pk)
    client.force_login(candidate)

    candidate.refresh_from_db()
    assert candidate.email_bounced_at is not None
    assert list(OutboxEmail.objects.values_list("to_address", flat=True)) == [
        confirmed.interviewer.user.email
    ]
    assert "are not getting through" in client.get("/").content.decode()


def test_without_a_signing_secret_resends_webhook_is_not_mounted(client):
    response = client.post("/anymail/resend/tracking/", b"{}", content_type="application/json")

    assert response.status_code == 404


def test_an_email_left_sending_by_a_dead_worker_is_sent_again(
    confirmed, task_queue, django_capture_on_commit_callbacks
):
    queue_emails(task_queue, django_capture_on_commit_callbacks)
    task_queue.backend.clear()
    email = OutboxEmail.objects.first()
    OutboxEmail.objects.filter(pk=email.pk).update(status=OutboxStatus.SENDING, attempts=1)

    assert outbox_requeue_stuck(now=NOW) == 0  # not stuck yet: it may still be sending
    assert outbox_requeue_stuck(now=NOW + datetime.timedelta(minutes=11)) == 1
    task_queue.run_all()

    email.refresh_from_db()
    assert (email.status, email.attempts) == (OutboxStatus.SENT, 2)
    assert [m.subject for m in mail.outbox] == [email.subject]


def test_an_email_stuck_past_the_providers_idempotency_window_is_not_retried_blindly(
    confirmed, task_queue, django_capture_on_commit_callbacks
):
    queue_emails(task_queue, django_capture_on_commit_callbacks)
    task_queue.backend.clear()
    email = OutboxEmail.objects.first()
    OutboxEmail.objects.filter(pk=email.pk).update(
        status=OutboxStatus.SENDING, attempts=1, claimed_at=NOW, first_tried_at=NOW
    )

    assert outbox_requeue_stuck(now=NOW + datetime.timedelta(hours=24)) == 0

    email.refresh_from_db()
    assert email.status == OutboxStatus.FAILED
    assert "check the provider's log" in email.last_error
    assert task_queue.enqueued == []


def test_a_retried_email_claimed_just_now_is_not_taken_for_stuck(
    confirmed, task_queue, django_capture_on_commit_callbacks
):
    queue_emails(task_queue, django_capture_on_commit_callbacks)
    task_queue.backend.clear()
    email = OutboxEmail.objects.first()
    later = NOW + datetime.timedelta(hours=2)  # its fourth attempt, two hours on
    OutboxEmail.objects.filter(pk=email.pk).update(
        status=OutboxStatus.SENDING, attempts=4, claimed_at=later, first_tried_at=NOW
    )

    assert outbox_requeue_stuck(now=later + datetime.timedelta(minutes=1)) == 0
    assert outbox_requeue_stuck(now=later + datetime.timedelta(minutes=11)) == 1
