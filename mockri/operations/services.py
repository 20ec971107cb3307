"""The console's actions: each calls the service that owns the change, with the staff member's
reason, and leaves who, what, when and why in the audit trail, in the same transaction as the
change: a booking's history (BookingEvent) for actions on a booking, the person's StaffAction
rows for actions on a person."""

import datetime
from typing import cast

from allauth.account.models import EmailAddress
from django.db import transaction
from django.utils import timezone

from mockri.accounts.models import User
from mockri.accounts.services import user_sessions_end
from mockri.bookings.enums import Actor, BookingStatus, NoShowSide, RefundDecision
from mockri.bookings.models import Booking, BookingEvent
from mockri.bookings.services import (
    booking_cancel,
    booking_reassign,
    booking_record_outcome,
    booking_reschedule,
)
from mockri.catalogue.models import InterviewerProfile
from mockri.lib.errors import NotAllowed, PolicyViolation
from mockri.lib.money import format_inr
from mockri.meetings.models import Meeting
from mockri.meetings.services import meeting_check_before_start, meeting_fall_back
from mockri.notifications.models import OutboxEmail
from mockri.notifications.services import outbox_resend
from mockri.packs.models import PackPurchase
from mockri.payments.enums import PaymentStatus
from mockri.payments.gateways import get_gateway
from mockri.payments.models import Payment, Refund
from mockri.payments.services import refund_check, refund_request, refund_retry
from mockri.privacy.models import Grievance, GrievanceStatus
from mockri.privacy.services import (
    grievance_answer,
    grievance_erasure_start,
    grievance_export_start,
)

from .models import StaffAction

# The refund a console cancellation gives: the policy's, or staff's own choice.
REFUND_POLICY = "policy"


def _check_staff(user: User) -> None:
    if not user.is_staff:
        raise NotAllowed("Only staff can use the console.")


@transaction.atomic
def console_reassign(
    *, booking: Booking, staff_user: User, interviewer: InterviewerProfile, reason: str
) -> Booking:
    """Give the session to another free interviewer.

    Side effects: booking_reassign's (the audit event carries the reason; the emails to the
    candidate and both interviewers and the meeting's update are queued).
    """
    _check_staff(staff_user)
    return booking_reassign(booking, staff_user=staff_user, interviewer=interviewer, reason=reason)


@transaction.atomic
def console_cancel(
    *,
    booking: Booking,
    staff_user: User,
    refund: str,
    reason: str,
    refund_amount_paise: int | None = None,
) -> Booking:
    """Cancel for the candidate or interviewer, with the refund the policy gives (`refund` =
    "policy": in full, for a cancellation by staff) or staff's own: "full", "none", or
    "partial" of `refund_amount_paise`.

    Side effects: booking_cancel's (the audit event, the meeting's cancellation, the emails, a
    full refund's request); a partial refund is requested here, in the same transaction.
    """
    _check_staff(staff_user)
    decision = None if refund == REFUND_POLICY else RefundDecision(refund)
    partial: tuple[Payment, int] | None = None
    if decision == RefundDecision.PARTIAL:
        payment = Payment.objects.filter(booking=booking, status=PaymentStatus.CAPTURED).first()
        if payment is None:
            raise PolicyViolation("This booking has no captured payment to refund part of.")
        if not refund_amount_paise or refund_amount_paise >= payment.amount_paise:
            most = format_inr(payment.amount_paise)
            raise PolicyViolation(f"A partial refund is more than ₹0 and less than {most}.")
        partial = (payment, refund_amount_paise)
    booking = booking_cancel(
        booking,
        actor=staff_user,
        actor_role=Actor.STAFF,
        reason=reason,
        refund_decision=decision,
    )
    if partial is not None:
        payment, amount_paise = partial
        refund_request(
            payment=payment,
            amount_paise=amount_paise,
            reason=f"Cancelled by staff: partial refund. {reason}",
        )
    return booking


@transaction.atomic
def console_record_outcome(
    *, booking: Booking, staff_user: User, no_show_side: NoShowSide | None, reason: str
) -> Booking:
    """Mark a session completed or a no-show by one side.

    Side effects: booking_record_outcome's (the audit event with the reason; on completion the
    interviewer's count and the rating email).
    """
    _check_staff(staff_user)
    return booking_record_outcome(
        booking,
        actor=staff_user,
        actor_role=Actor.STAFF,
        no_show_side=no_show_side,
        reason=reason,
    )


@transaction.atomic
def console_move(
    *, booking: Booking, staff_user: User, new_start: datetime.datetime, reason: str
) -> Booking:
    """Move a confirmed session to another open slot of its interviewer.

    Side effects: booking_reschedule's, as staff (not counted against the candidate's moves;
    the audit event carries the reason; the meeting's update, the emails of the new time and
    the reminders are queued).
    """
    _check_staff(staff_user)
    return booking_reschedule(
        booking, actor=staff_user, actor_role=Actor.STAFF, new_start=new_start, reason=reason
    )


def console_meeting_replace(*, booking: Booking, staff_user: User, reason: str) -> Meeting:
    """Give a confirmed session a new link from another provider, when its own does not work.

    Side effects: meeting_fall_back's (the provider calls, outside any transaction; the new link
    and its emails, or no link and staff alerted; the old provider's meeting cancelled); an
    audit event on the booking saying which link it has now, and why.
    """
    _check_staff(staff_user)
    if booking.status != BookingStatus.CONFIRMED:
        raise PolicyViolation("Only a confirmed session has a meeting link to replace.")
    before = Meeting.objects.filter(booking=booking).first()
    meeting = meeting_fall_back(booking_id=booking.pk, reason=f"Replaced by staff: {reason}")
    if meeting is None:
        raise PolicyViolation("Only a confirmed session has a meeting link to replace.")
    if before is not None and (before.status, before.url) == (meeting.status, meeting.url):
        raise PolicyViolation(
            f"The meeting is {meeting.get_status_display().lower()} and was left as it is: "
            "its fallback link is for the session's current time."
        )
    BookingEvent.objects.create(
        booking=booking,
        actor=staff_user,
        actor_role=Actor.STAFF,
        action="meeting_replaced",
        detail=f"Now {meeting.provider}, {meeting.get_status_display().lower()}: {reason}",
    )
    return meeting


def console_meeting_check(*, booking: Booking, staff_user: User, reason: str) -> Meeting:
    """Re-read a confirmed session's link at its provider, as the check before the session
    does: a meeting the provider says is gone, or no link at all, gets one from another
    provider; a provider that is only unreachable keeps its link.

    Side effects: meeting_check_before_start's (a newer link stored and emailed, or
    meeting_fall_back's); an audit event on the booking saying what the meeting is now, and why.
    """
    _check_staff(staff_user)
    meeting = (
        meeting_check_before_start(booking_id=booking.pk)
        if booking.status == BookingStatus.CONFIRMED
        else None
    )
    if meeting is None:
        raise PolicyViolation("Only a confirmed session has a meeting link to check.")
    BookingEvent.objects.create(
        booking=booking,
        actor=staff_user,
        actor_role=Actor.STAFF,
        action="meeting_checked",
        detail=f"{meeting.provider}, {meeting.get_status_display().lower()}: {reason}",
    )
    return meeting


def _record_for_person(*, person: User, staff_user: User, action: str, reason: str) -> None:
    StaffAction.objects.create(person=person, staff=staff_user, action=action, reason=reason)


def _record_for_refund(*, refund: Refund, staff_user: User, action: str, detail: str) -> None:
    """A booking's refund goes in its history; a pack purchase's on its buyer's page."""
    payment = refund.payment
    if payment.booking_id is not None:
        BookingEvent.objects.create(
            booking_id=payment.booking_id,
            actor=staff_user,
            actor_role=Actor.STAFF,
            action=action,
            detail=detail,
        )
    else:
        # Not a booking's payment, so a pack's (the payment's check constraint).
        purchase = cast(PackPurchase, payment.pack_purchase)
        _record_for_person(
            person=purchase.candidate,
            staff_user=staff_user,
            action=action,
            reason=f"Pack purchase {purchase.reference}: {detail}",
        )


@transaction.atomic
def console_refund_retry(*, refund: Refund, staff_user: User, reason: str) -> Refund:
    """Ask the provider again, as a new refund, for the amount of a refund it failed; returns
    the retry. Submitted twice, it asks once and records once.

    Raises DomainError as refund_retry does (not failed, another refund in progress, the
    payment refunded in full or with less left). Side effects: refund_retry's (the new refund
    and its execute task; once processed, the credit note's email); the audit entry with the
    reason, on the booking's history or the pack buyer's page.
    """
    _check_staff(staff_user)
    retry, asked = refund_retry(failed=refund, reason=reason)
    if asked:
        _record_for_refund(
            refund=refund,
            staff_user=staff_user,
            action="refund_retried",
            detail=f"{format_inr(retry.amount_paise)} asked for again after refund "
            f"{refund.provider_ref or refund.idempotency_key} failed: {reason}",
        )
    return retry


def console_refund_check(*, refund: Refund, staff_user: User, reason: str) -> Refund:
    """Ask the provider where a refund not yet final stands, and record its answer.

    Raises DomainError as refund_check does (a final refund; the provider unreachable).
    Side effects: refund_check's (a provider call outside any transaction; the refund's new
    status, and when processed its payment's refunded total and the credit note); the audit
    entry saying what the provider answered, and why it was asked.
    """
    _check_staff(staff_user)
    before = refund.get_status_display().lower()
    checked = refund_check(refund=refund, gateway=get_gateway())
    after = checked.get_status_display().lower()
    _record_for_refund(
        refund=checked,
        staff_user=staff_user,
        action="refund_checked",
        detail=f"{format_inr(checked.amount_paise)} refund "
        f"{checked.provider_ref or checked.idempotency_key}: {before} -> {after}: {reason}",
    )
    return checked


@transaction.atomic
def console_resend_email(*, email: OutboxEmail, staff_user: User, reason: str) -> OutboxEmail:
    """Send an email again: a failed one is queued again, a sent one copied.

    Side effects: outbox_resend's (the queued row and its send task); the audit entry naming
    the email and the reason, on its booking, or else on its recipient's page.
    """
    _check_staff(staff_user)
    recipient = email.recipient
    if email.booking_id is None and recipient is None:
        raise PolicyViolation("This email has no booking or account to keep the reason on.")
    queued = outbox_resend(email=email)
    what = f"{email.kind} to {email.to_address}: {reason}"
    if email.booking_id is not None:
        BookingEvent.objects.create(
            booking_id=email.booking_id,
            actor=staff_user,
            actor_role=Actor.STAFF,
            action="email_resent",
            detail=what,
        )
    elif recipient is not None:
        _record_for_person(
            person=recipient, staff_user=staff_user, action="email_resent", reason=what
        )
    return queued


@transaction.atomic
def console_verification_resend(*, person: User, staff_user: User, reason: str) -> str:
    """Email the person a new link to confirm their address; returns the address.

    Must run in a request (allauth builds the link from it). Side effects: the confirmation
    email in the outbox (a one-time link: its body is dropped once sent); the StaffAction.
    """
    _check_staff(staff_user)
    address = EmailAddress.objects.filter(user=person, email__iexact=person.email).first()
    if person.erased_at is not None or not person.is_active:
        raise PolicyViolation("This account is closed.")
    if address is not None and address.verified:
        raise PolicyViolation(f"{person.email} is already confirmed.")
    if address is None:
        address = EmailAddress.objects.create(user=person, email=person.email, primary=True)
    address.send_confirmation(signup=False)
    _record_for_person(
        person=person, staff_user=staff_user, action="verification_resent", reason=reason
    )
    return address.email


@transaction.atomic
def console_sessions_end(*, person: User, staff_user: User, reason: str) -> None:
    """Sign the person out on every device. Side effects: user_sessions_end's; the StaffAction."""
    _check_staff(staff_user)
    user_sessions_end(user=person)
    _record_for_person(person=person, staff_user=staff_user, action="sessions_ended", reason=reason)


def _record_for_request(
    *, grievance: Grievance, person: User | None, staff_user: User, action: str, reason: str
) -> None:
    StaffAction.objects.create(
        grievance=grievance,
        person=person,
        staff=staff_user,
        action=action,
        reason=f"{grievance.reference}: {reason}",
    )


def _request_of(*, grievance: Grievance, person: User) -> None:
    # From a person's page: only a request that person made (grievance_from_owner).
    if grievance.user_id != person.pk:
        raise PolicyViolation(f"{grievance.reference} is not this person's request.")


def console_grievance_export(*, grievance: Grievance, staff_user: User, reason: str) -> User:
    """Start the copy of the data an access request asks for, for the account whose owner
    provably made it; returns that account.

    Raises PolicyViolation as grievance_export_start does (the same checks as the admin's).
    Side effects: grievance_export_start's (the export row and its build task; the link goes
    to the person's address when ready); the StaffAction on the request and the person.
    """
    _check_staff(staff_user)
    with transaction.atomic():
        export = grievance_export_start(
            grievance=grievance, requested_by=staff_user, now=timezone.now()
        )
        _record_for_request(
            grievance=grievance,
            person=export.user,
            staff_user=staff_user,
            action="export_started",
            reason=reason,
        )
    return export.user


def console_grievance_erasure(*, grievance: Grievance, staff_user: User, reason: str) -> User:
    """Delete the account whose owner asked for it (or withdrew consent) in this request;
    returns that account.

    Raises PolicyViolation as grievance_erasure_start does (the same checks as the admin's).
    Side effects: grievance_erasure_start's (upcoming sessions cancelled with their emails and
    refunds, the account closed, every session ended, the erasure task); the StaffAction on the
    request and the person, committed with the erasure.
    """
    _check_staff(staff_user)
    with transaction.atomic():
        person = grievance_erasure_start(
            grievance=grievance, requested_by=staff_user, now=timezone.now()
        )
        _record_for_request(
            grievance=grievance,
            person=person,
            staff_user=staff_user,
            action="erasure_started",
            reason=reason,
        )
    return person


def console_export_start(
    *, person: User, staff_user: User, grievance: Grievance, reason: str
) -> None:
    """From the person's page: console_grievance_export for one of their own requests."""
    _check_staff(staff_user)
    _request_of(grievance=grievance, person=person)
    console_grievance_export(grievance=grievance, staff_user=staff_user, reason=reason)


def console_erasure_start(
    *, person: User, staff_user: User, grievance: Grievance, reason: str
) -> None:
    """From the person's page: console_grievance_erasure for one of their own requests."""
    _check_staff(staff_user)
    _request_of(grievance=grievance, person=person)
    console_grievance_erasure(grievance=grievance, staff_user=staff_user, reason=reason)


# The history's name for what an answer did, by the status it left the request in.
_ANSWER_ACTIONS = {
    GrievanceStatus.ANSWERED: "request_answered",
    GrievanceStatus.CLOSED: "request_closed",
    GrievanceStatus.OPEN: "request_reopened",
}


def console_grievance_answer(
    *, grievance: Grievance, staff_user: User, reply: str, status: str
) -> Grievance:
    """Answer a privacy request or grievance, or move its status, as the admin did.

    Side effects: grievance_answer's (the reply and status saved, closed_at when closed, the
    reply emailed through the outbox once per distinct reply); the StaffAction on the request
    (and on its account, if it has one) saying what changed.
    """
    _check_staff(staff_user)
    with transaction.atomic():
        grievance = Grievance.objects.select_for_update().get(pk=grievance.pk)
        new_reply = bool(reply.strip()) and reply != grievance.reply
        grievance_answer(grievance=grievance, reply=reply, status=status, now=timezone.now())
        label = GrievanceStatus(status).label.lower()
        _record_for_request(
            grievance=grievance,
            person=grievance.user,
            staff_user=staff_user,
            action=_ANSWER_ACTIONS[GrievanceStatus(status)],
            reason=f"reply emailed; {label}" if new_reply else f"no new reply; {label}",
        )
    return grievance
