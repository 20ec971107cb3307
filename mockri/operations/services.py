"""The console's actions: each calls the service that owns the change, with the staff member's
reason, and leaves who, what, when and why in the audit trail, in the same transaction as the
change: a booking's history (BookingEvent) for actions on a booking, the person's StaffAction
rows for actions on a person."""

import datetime

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
from mockri.meetings.services import meeting_fall_back
from mockri.notifications.models import OutboxEmail
from mockri.notifications.services import outbox_resend
from mockri.payments.enums import PaymentStatus
from mockri.payments.models import Payment
from mockri.payments.services import refund_request
from mockri.privacy.erasure import account_erase, consent_withdraw
from mockri.privacy.exports import data_export_request
from mockri.privacy.models import Grievance, GrievanceKind
from mockri.privacy.selectors import grievance_from_owner, grievance_requester

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


def _record_for_person(*, person: User, staff_user: User, action: str, reason: str) -> None:
    StaffAction.objects.create(person=person, staff=staff_user, action=action, reason=reason)


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


def _requester_checked(*, grievance: Grievance, person: User, kinds: set[str]) -> None:
    """Staff act on an account only for a request of the right kind that its owner provably
    made (signed in, or confirmed through the link emailed to the account's address)."""
    if grievance.kind not in kinds:
        raise PolicyViolation(f"{grievance.reference} is not a request of this kind.")
    requester = grievance_requester(grievance=grievance)
    if requester is None or requester.pk != person.pk:
        raise PolicyViolation(f"{grievance.reference} does not name this account's address.")
    if not grievance_from_owner(grievance=grievance, user=person):
        raise PolicyViolation(
            f"{grievance.reference} is not confirmed by the account's owner yet: act once "
            "they follow the link emailed to them, or send the request signed in."
        )


def console_export_start(
    *, person: User, staff_user: User, grievance: Grievance, reason: str
) -> None:
    """Start the copy of the person's data their confirmed access request asks for.

    Side effects: data_export_request's (the export row and its build task; the link goes to
    the person's address when ready); the StaffAction naming the request.
    """
    _check_staff(staff_user)
    _requester_checked(grievance=grievance, person=person, kinds={GrievanceKind.ACCESS})
    with transaction.atomic():
        data_export_request(user=person, requested_by=staff_user, now=timezone.now())
        _record_for_person(
            person=person,
            staff_user=staff_user,
            action="export_started",
            reason=f"{grievance.reference}: {reason}",
        )


def console_erasure_start(
    *, person: User, staff_user: User, grievance: Grievance, reason: str
) -> None:
    """Delete the account whose owner asked for it (or withdrew consent) in a confirmed request.

    Side effects: account_erase's or consent_withdraw's (upcoming sessions cancelled with their
    emails and refunds, the account closed, every session ended, the erasure task); the
    StaffAction naming the request, written first so it commits with the erasure.
    """
    _check_staff(staff_user)
    _requester_checked(
        grievance=grievance,
        person=person,
        kinds={GrievanceKind.ERASURE, GrievanceKind.WITHDRAW_CONSENT},
    )
    erase = consent_withdraw if grievance.kind == GrievanceKind.WITHDRAW_CONSENT else account_erase
    with transaction.atomic():
        _record_for_person(
            person=person,
            staff_user=staff_user,
            action="erasure_started",
            reason=f"{grievance.reference}: {reason}",
        )
        erase(
            user=person,
            requested_by=staff_user,
            reason=f"At your written request {grievance.reference}.",
            now=timezone.now(),
        )
