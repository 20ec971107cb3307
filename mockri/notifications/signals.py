from allauth.account.signals import email_confirmed
from anymail.signals import tracking
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils import timezone

from mockri.accounts.emails import account_email
from mockri.accounts.models import User
from mockri.bookings.signals import booking_cancelled, booking_changed, booking_confirmed
from mockri.meetings.signals import meeting_link_missing, meeting_ready

from .services import MEETING_LINK_WAIT, email_queue_rendered
from .tasks import (
    booking_announce_emails_task,
    booking_cancelled_emails_task,
    booking_reassigned_emails_task,
    meeting_no_link_emails_task,
    meeting_ready_emails_task,
    receipt_email_task,
    reminders_plan_task,
)


# The receivers of the booking's lifecycle only queue tasks: the table in bookings/signals.py.
# A confirmation or a change is announced once its meeting link is ready (meeting_ready), or
# without it when MEETING_LINK_WAIT has passed, whichever comes first.
@receiver(booking_confirmed)
def email_a_confirmation(sender, booking, **kwargs):
    booking_announce_emails_task.using(run_after=timezone.now() + MEETING_LINK_WAIT).enqueue(
        booking_id=booking.pk
    )
    reminders_plan_task.enqueue(booking_id=booking.pk)


@receiver(booking_changed)
def email_a_change(sender, booking, **kwargs):
    booking_announce_emails_task.using(run_after=timezone.now() + MEETING_LINK_WAIT).enqueue(
        booking_id=booking.pk
    )
    reminders_plan_task.enqueue(booking_id=booking.pk)
    # A former interviewer (the change may be a reassignment) need not wait for a meeting link.
    booking_reassigned_emails_task.enqueue(booking_id=booking.pk)


@receiver(meeting_ready)
def email_the_meeting_link(sender, meeting, **kwargs):
    meeting_ready_emails_task.enqueue(booking_id=meeting.booking_id)


@receiver(meeting_link_missing)
def alert_staff_to_a_missing_link(sender, meeting, **kwargs):
    meeting_no_link_emails_task.enqueue(booking_id=meeting.booking_id)


@receiver(booking_cancelled)
def email_a_cancellation(sender, booking, **kwargs):
    booking_cancelled_emails_task.enqueue(booking_id=booking.pk)


@receiver(post_save, sender="payments.Receipt")
def email_a_receipt(sender, instance, created, **kwargs):
    if created:
        receipt_email_task.enqueue(receipt_id=instance.pk)


@receiver(account_email)
def queue_an_account_email(sender, signal, *, kind, **email):
    """The accounts app's emails (allauth's and its own) go out through the outbox too."""
    return email_queue_rendered(kind, **email)


@receiver(tracking)
def stop_emailing_an_address_that_bounces(sender, event, esp_name, **kwargs):
    """Resend (through Anymail) reports a bounce or a complaint: stop emailing that address
    until its owner changes or re-confirms it (they are asked to in the app)."""
    if event.event_type in ("bounced", "complained") and event.recipient:
        User.objects.filter(email__iexact=event.recipient).update(email_bounced_at=timezone.now())


@receiver(email_confirmed)
def a_confirmed_address_is_deliverable_again(sender, request, email_address, **kwargs):
    User.objects.filter(pk=email_address.user_id).update(email_bounced_at=None)
