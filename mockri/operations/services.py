"""The console's actions: each calls the service that owns the change, with the staff member's
reason, and leaves who, what, when and why in the booking's audit trail (BookingEvent), in
the same transaction as the change."""

from django.db import transaction

from mockri.accounts.models import User
from mockri.bookings.enums import Actor, NoShowSide, RefundDecision
from mockri.bookings.models import Booking, BookingEvent
from mockri.bookings.services import booking_cancel, booking_reassign, booking_record_outcome
from mockri.catalogue.models import InterviewerProfile
from mockri.lib.errors import NotAllowed, PolicyViolation
from mockri.lib.money import format_inr
from mockri.notifications.models import OutboxEmail
from mockri.notifications.services import outbox_resend
from mockri.payments.enums import PaymentStatus
from mockri.payments.models import Payment
from mockri.payments.services import refund_request

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
def console_resend_email(*, email: OutboxEmail, staff_user: User, reason: str) -> OutboxEmail:
    """Send a booking's email again.

    Side effects: outbox_resend's (the queued row and its send task); an audit event on the
    email's booking naming the email and the reason.
    """
    _check_staff(staff_user)
    if email.booking_id is None:
        raise PolicyViolation("Only a booking's emails can be sent again from here.")
    queued = outbox_resend(email=email)
    BookingEvent.objects.create(
        booking_id=email.booking_id,
        actor=staff_user,
        actor_role=Actor.STAFF,
        action="email_resent",
        detail=f"{email.kind} to {email.to_address}: {reason}",
    )
    return queued
