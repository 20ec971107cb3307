"""The console's "needs attention" queue: each kind of risk appears, and goes once fixed."""

import datetime

import pytest
from django.utils import timezone

from mockri.bookings.enums import BookingStatus
from mockri.bookings.models import Booking
from mockri.feedback.enums import HireSignal
from mockri.feedback.models import Feedback
from mockri.interviewers.enums import ApplicationStatus
from mockri.interviewers.models import InterviewerApplication
from mockri.interviewers.services import application_submit
from mockri.meetings.enums import MeetingStatus
from mockri.meetings.models import Meeting
from mockri.notifications.models import OutboxEmail, OutboxStatus
from mockri.operations import selectors
from mockri.payments.enums import PaymentStatus, RefundStatus
from mockri.payments.models import Payment, Refund
from mockri.privacy.models import Grievance, GrievanceStatus
from tests.fixtures import NOW, past_session
from tests.interviewers.conftest import details

pytestmark = pytest.mark.django_db
HOUR = datetime.timedelta(hours=1)


@pytest.fixture
def session(now, candidate, profile, paid_type):
    def make(*, starts_at, status=BookingStatus.CONFIRMED):
        return past_session(
            candidate=candidate,
            interviewer=profile,
            interview_type=paid_type,
            starts_at=starts_at,
            status=status,
        )

    return make


def kinds(select) -> list[str]:
    return [item.reference or item.title for item in select(now=NOW)]


def test_a_session_within_24_hours_without_a_working_link_needs_attention_until_it_has_one(
    session,
):
    soon = session(starts_at=NOW + 3 * HOUR)
    session(starts_at=NOW + 30 * HOUR)  # not yet within 24 hours
    meeting = Meeting.objects.create(booking=soon, provider="calcom", status=MeetingStatus.NO_LINK)

    assert kinds(selectors.attention_missing_links) == [soon.reference]

    meeting.status = MeetingStatus.READY
    meeting.save()
    assert kinds(selectors.attention_missing_links) == []


def test_a_session_within_24_hours_with_no_meeting_row_at_all_needs_attention(session):
    soon = session(starts_at=NOW + 3 * HOUR)

    (item,) = selectors.attention_missing_links(now=NOW)

    assert (item.reference, item.detail) == (soon.reference, "System Design; meeting: no meeting")
    assert item.url == f"/console/bookings/{soon.reference}/#meeting"


def test_a_fallback_link_needs_attention_until_the_session_is_over(session):
    booking = session(starts_at=NOW + 3 * HOUR)
    Meeting.objects.create(
        booking=booking,
        provider="jitsi",
        status=MeetingStatus.FAILED_OVER,
        last_error="Cal.com: 503",
    )

    (item,) = selectors.attention_fallbacks(now=NOW)
    assert (item.reference, item.detail) == (booking.reference, "Cal.com: 503")

    assert selectors.attention_fallbacks(now=booking.ends_at) == []


def test_a_captured_payment_whose_booking_is_not_confirmed_needs_attention_until_refunded(
    session,
):
    booking = session(starts_at=NOW + 30 * HOUR, status=BookingStatus.EXPIRED)
    payment = Payment.objects.create(
        booking=booking,
        gateway="test",
        order_ref="order_A",
        payment_ref="pay_A",
        amount_paise=199_900,
        status=PaymentStatus.CAPTURED,
        captured_at=NOW - HOUR,
    )

    assert kinds(selectors.attention_unconfirmed_payments) == [booking.reference]

    Refund.objects.create(payment=payment, idempotency_key="r1", amount_paise=199_900)
    assert kinds(selectors.attention_unconfirmed_payments) == []


def test_a_payment_captured_a_moment_ago_is_given_time_to_confirm(session):
    booking = session(starts_at=NOW + 30 * HOUR, status=BookingStatus.PENDING_PAYMENT)
    Payment.objects.create(
        booking=booking,
        gateway="test",
        order_ref="order_B",
        amount_paise=199_900,
        status=PaymentStatus.CAPTURED,
        captured_at=NOW - datetime.timedelta(minutes=1),
    )

    assert kinds(selectors.attention_unconfirmed_payments) == []


@pytest.mark.parametrize(
    "status", [RefundStatus.REQUESTED, RefundStatus.PENDING, RefundStatus.FAILED]
)
def test_a_refund_not_yet_processed_needs_attention_until_processed(session, status):
    booking = session(starts_at=NOW + 30 * HOUR, status=BookingStatus.CANCELLED)
    payment = Payment.objects.create(
        booking=booking, gateway="test", order_ref="order_C", amount_paise=199_900
    )
    refund = Refund.objects.create(
        payment=payment, idempotency_key="r2", amount_paise=199_900, status=status
    )

    assert kinds(selectors.attention_refunds) == [booking.reference]

    Refund.objects.filter(pk=refund.pk).update(status=RefundStatus.PROCESSED)
    assert kinds(selectors.attention_refunds) == []


def test_a_failed_email_needs_attention_until_sent(session, candidate):
    booking = session(starts_at=NOW + 30 * HOUR)
    email = OutboxEmail.objects.create(
        kind="booking_confirmed",
        booking=booking,
        recipient=candidate,
        to_address=candidate.email,
        dedupe_key="k1",
        subject="s",
        text_body="t",
        html_body="<p>t</p>",
        status=OutboxStatus.FAILED,
        last_error="Refused: mailbox full",
    )

    (item,) = selectors.attention_failed_emails(now=NOW)
    assert (item.reference, item.detail) == (booking.reference, "Refused: mailbox full")
    assert item.url == f"/console/bookings/{booking.reference}/#email-{email.pk}"

    OutboxEmail.objects.filter(pk=email.pk).update(status=OutboxStatus.SENT)
    assert selectors.attention_failed_emails(now=NOW) == []


def test_a_bouncing_address_needs_attention_until_it_works_again(candidate):
    candidate.email_bounced_at = NOW - HOUR
    candidate.save()

    assert kinds(selectors.attention_bounced_addresses) == ["Emails bounce: kavya@example.com"]

    candidate.email_bounced_at = None
    candidate.save()
    assert kinds(selectors.attention_bounced_addresses) == []


def test_a_hold_past_its_time_that_nothing_expired_needs_attention_until_expired(session):
    booking = session(starts_at=NOW + 30 * HOUR, status=BookingStatus.PENDING_PAYMENT)
    Booking.objects.filter(pk=booking.pk).update(hold_expires_at=NOW - HOUR)

    assert kinds(selectors.attention_stuck_holds) == [booking.reference]

    Booking.objects.filter(pk=booking.pk).update(status=BookingStatus.EXPIRED)
    assert kinds(selectors.attention_stuck_holds) == []


def test_a_session_long_over_with_no_outcome_needs_attention_until_marked(session):
    over = session(starts_at=NOW - 4 * HOUR)
    session(starts_at=NOW - 2 * HOUR)  # ended an hour ago: the interviewer has time yet

    assert kinds(selectors.attention_missing_outcomes) == [over.reference]

    Booking.objects.filter(pk=over.pk).update(status=BookingStatus.COMPLETED)
    assert kinds(selectors.attention_missing_outcomes) == []


def test_feedback_not_written_48_hours_after_the_session_needs_attention_until_written(session):
    late = session(starts_at=NOW - 50 * HOUR, status=BookingStatus.COMPLETED)
    session(starts_at=NOW - 10 * HOUR, status=BookingStatus.COMPLETED)

    assert kinds(selectors.attention_overdue_feedback) == [late.reference]

    Feedback.objects.create(
        booking=late,
        hire_signal=HireSignal.YES,
        strengths="Clear",
        areas_to_improve="Pace",
        submitted_at=NOW,
    )
    assert kinds(selectors.attention_overdue_feedback) == []


def test_a_grievance_due_within_a_week_needs_attention_until_answered(now):
    grievance = Grievance.objects.create(
        reference="GR-ABC",
        name="Kavya",
        email="kavya@example.com",
        kind="access",
        message="A copy please",
        due_at=NOW + 6 * 24 * HOUR,
    )
    Grievance.objects.create(
        reference="GR-LATER",
        name="Rahul",
        email="rahul@example.com",
        kind="access",
        message="A copy please",
        due_at=NOW + 20 * 24 * HOUR,
    )

    assert kinds(selectors.attention_grievances) == ["Grievance GR-ABC: answer due"]

    Grievance.objects.filter(pk=grievance.pk).update(status=GrievanceStatus.ANSWERED)
    assert kinds(selectors.attention_grievances) == []


def test_the_queue_puts_the_newest_risk_first(session, candidate):
    over = session(starts_at=NOW - 4 * HOUR)  # risk since 1 h ago (end + 2 h grace)
    soon = session(starts_at=NOW + 3 * HOUR)  # risk since 21 h ago (24 h before the start)
    candidate.email_bounced_at = NOW - 5 * HOUR
    candidate.save()

    queue = selectors.needs_attention(now=NOW)

    assert [(item.kind, item.reference) for item in queue] == [
        ("missing_outcome", over.reference),
        ("bounced_address", ""),
        ("missing_link", soon.reference),
    ]


def test_the_queue_takes_one_query_per_kind_whatever_the_rows(session, django_assert_num_queries):
    for hours in (3, 5, 7):
        session(starts_at=NOW + hours * HOUR)
        session(starts_at=NOW - (hours + 10) * HOUR)

    with django_assert_num_queries(len(selectors.ATTENTION_KINDS)):
        queue = selectors.needs_attention(now=timezone.now())

    assert len(queue) == 6


def test_an_interviewer_application_needs_attention_until_decided(now):
    application = application_submit(details=details(), ip_address="203.0.113.9", now=NOW)

    items = selectors.attention_applications(now=NOW)

    assert [(item.title, item.url) for item in items] == [
        (
            "Interviewer application: Meera Krishnan",
            f"/console/applications/{application.pk}/",
        )
    ]
    InterviewerApplication.objects.filter(pk=application.pk).update(
        status=ApplicationStatus.DECLINED, decided_at=NOW
    )
    assert selectors.attention_applications(now=NOW) == []
