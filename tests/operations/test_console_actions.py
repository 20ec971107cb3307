"""The console's actions on a booking: each through its service, with the reason kept."""

import datetime

import pytest

from mockri.bookings.enums import BookingStatus, NoShowSide, RefundDecision
from mockri.bookings.models import Booking, BookingEvent
from mockri.meetings.enums import MeetingStatus
from mockri.meetings.models import Meeting
from mockri.notifications.models import OutboxEmail, OutboxStatus
from mockri.payments.enums import PaymentStatus
from mockri.payments.models import Payment, Refund
from tests.fixtures import NOW, SLOT, SLOT_BOTH, past_session

pytestmark = pytest.mark.django_db
HOUR = datetime.timedelta(hours=1)


@pytest.fixture
def as_staff(now, client, staff, two_factor):
    two_factor(staff)
    client.force_login(staff)
    return client


@pytest.fixture
def booking(now, candidate, profile, paid_type):
    return past_session(
        candidate=candidate,
        interviewer=profile,
        interview_type=paid_type,
        starts_at=SLOT,
        status=BookingStatus.CONFIRMED,
    )


@pytest.fixture
def payment(booking):
    return Payment.objects.create(
        booking=booking,
        gateway="test",
        order_ref="order_1",
        payment_ref="pay_1",
        amount_paise=booking.price_paise,
        status=PaymentStatus.CAPTURED,
        captured_at=NOW - HOUR,
    )


def last_event(booking) -> tuple:
    event = BookingEvent.objects.filter(booking=booking).latest("pk")
    return (event.action, event.actor.full_name, event.actor_role, event.detail)


def test_staff_reassign_to_a_free_interviewer_with_the_reason_kept(
    as_staff, booking, paid_type, other_profile, task_queue
):
    paid_type.interviewers.add(other_profile)
    Booking.objects.filter(pk=booking.pk).update(
        starts_at=SLOT_BOTH, ends_at=SLOT_BOTH + HOUR, busy_until=SLOT_BOTH + 2 * HOUR
    )

    response = as_staff.post(
        f"/console/bookings/{booking.reference}/reassign/",
        {"interviewer": other_profile.pk, "reason": "Ananya is ill"},
    )

    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.interviewer == other_profile
    assert last_event(booking) == (
        "reassigned",
        "Mockri Staff",
        "staff",
        "Ananya Iyer -> Sarah Collins: Ananya is ill",
    )
    assert "booking_reassigned_emails_task" in task_queue.names()


def test_reassigning_needs_a_reason_and_a_free_interviewer(
    as_staff, booking, paid_type, other_profile
):
    paid_type.interviewers.add(other_profile)
    url = f"/console/bookings/{booking.reference}/reassign/"

    no_reason = as_staff.post(url, {"interviewer": other_profile.pk, "reason": ""})
    not_offered = as_staff.post(url, {"interviewer": booking.interviewer_id, "reason": "x"})

    assert (no_reason.status_code, not_offered.status_code) == (422, 422)
    booking.refresh_from_db()
    assert booking.interviewer_id != other_profile.pk
    assert BookingEvent.objects.count() == 0


def test_staff_cancel_with_the_policys_full_refund(as_staff, booking, payment, task_queue):
    response = as_staff.post(
        f"/console/bookings/{booking.reference}/cancel/",
        {"refund": "policy", "reason": "Interviewer unavailable"},
    )

    assert response.status_code == 302
    booking.refresh_from_db()
    assert (booking.status, booking.refund_decision) == ("cancelled", RefundDecision.FULL)
    assert last_event(booking) == ("cancelled", "Mockri Staff", "staff", "Interviewer unavailable")


def test_staff_cancel_with_no_refund_overriding_the_policy(as_staff, booking, payment):
    as_staff.post(
        f"/console/bookings/{booking.reference}/cancel/",
        {"refund": "none", "reason": "Candidate asked, abusive chargeback"},
    )

    booking.refresh_from_db()
    assert (booking.status, booking.refund_decision) == ("cancelled", RefundDecision.NONE)
    assert Refund.objects.count() == 0


def test_staff_cancel_with_a_partial_refund_request_that_amount(as_staff, booking, payment):
    as_staff.post(
        f"/console/bookings/{booking.reference}/cancel/",
        {"refund": "partial", "refund_rupees": "500", "reason": "Half the session happened"},
    )

    booking.refresh_from_db()
    assert (booking.status, booking.refund_decision) == ("cancelled", RefundDecision.PARTIAL)
    refund = Refund.objects.get()
    assert (refund.payment, refund.amount_paise) == (payment, 50_000)
    assert refund.reason == "Cancelled by staff: partial refund. Half the session happened"


@pytest.mark.parametrize(
    "data",
    [
        {"refund": "partial", "reason": "x"},
        {"refund": "partial", "refund_rupees": "1999", "reason": "x"},  # the whole price
        {"refund": "policy", "reason": ""},
        {"refund": "everything", "reason": "x"},
    ],
)
def test_a_cancellation_staff_cannot_make_changes_nothing(as_staff, booking, payment, data):
    response = as_staff.post(f"/console/bookings/{booking.reference}/cancel/", data)

    assert response.status_code == 422
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED
    assert Refund.objects.count() == 0


def test_staff_mark_a_no_show_with_the_reason(as_staff, candidate, profile, paid_type):
    started = past_session(
        candidate=candidate,
        interviewer=profile,
        interview_type=paid_type,
        starts_at=NOW - 2 * HOUR,
        status=BookingStatus.CONFIRMED,
    )

    as_staff.post(
        f"/console/bookings/{started.reference}/outcome/",
        {"outcome": NoShowSide.INTERVIEWER, "reason": "Interviewer confirmed by phone"},
    )

    started.refresh_from_db()
    assert (started.status, started.no_show_side) == ("no_show", "interviewer")
    assert last_event(started) == (
        "no_show",
        "Mockri Staff",
        "staff",
        "Interviewer confirmed by phone",
    )


def test_an_outcome_before_the_start_is_refused(as_staff, booking):
    response = as_staff.post(
        f"/console/bookings/{booking.reference}/outcome/", {"outcome": "completed", "reason": "x"}
    )

    assert response.status_code == 422
    assert Booking.objects.get().status == BookingStatus.CONFIRMED


def _email(booking, *, kind="booking_confirmed", status=OutboxStatus.SENT) -> OutboxEmail:
    return OutboxEmail.objects.create(
        kind=kind,
        booking=booking,
        recipient=booking.candidate,
        to_address=booking.candidate.email,
        dedupe_key=f"{kind}:{booking.pk}",
        subject="Mockri: your session",
        text_body="Booked.",
        html_body="<p>Booked.</p>",
        status=status,
        attempts=5 if status == OutboxStatus.FAILED else 1,
    )


def test_a_failed_email_is_queued_again(as_staff, booking, task_queue):
    failed = _email(booking, status=OutboxStatus.FAILED)

    response = as_staff.post(
        f"/console/bookings/{booking.reference}/emails/{failed.pk}/resend/",
        {"reason": "Candidate fixed their inbox"},
    )

    assert response.status_code == 302
    failed.refresh_from_db()
    assert (failed.status, failed.attempts) == ("queued", 0)
    assert task_queue.names() == ["outbox_send_task"]
    assert last_event(booking) == (
        "email_resent",
        "Mockri Staff",
        "staff",
        "booking_confirmed to kavya@example.com: Candidate fixed their inbox",
    )


def test_a_sent_email_is_sent_again_as_a_copy(as_staff, booking, task_queue):
    sent = _email(booking)

    as_staff.post(
        f"/console/bookings/{booking.reference}/emails/{sent.pk}/resend/",
        {"reason": "Not in their inbox"},
    )

    copy = OutboxEmail.objects.exclude(pk=sent.pk).get()
    assert (copy.status, copy.subject, copy.dedupe_key) == (
        "queued",
        sent.subject,
        f"{sent.dedupe_key}:again1",
    )
    assert copy.idempotency_key != sent.idempotency_key


def test_a_one_time_email_cannot_be_sent_again(as_staff, booking):
    reset = _email(booking, kind="password_reset_key")

    response = as_staff.post(
        f"/console/bookings/{booking.reference}/emails/{reset.pk}/resend/", {"reason": "x"}
    )

    assert response.status_code == 422
    assert OutboxEmail.objects.count() == 1
    assert BookingEvent.objects.count() == 0


def test_an_email_of_another_booking_is_404(as_staff, booking, other_candidate, paid_type, profile):
    other = past_session(
        candidate=other_candidate,
        interviewer=profile,
        interview_type=paid_type,
        starts_at=SLOT + 24 * HOUR,
        status=BookingStatus.CONFIRMED,
    )
    theirs = _email(other)

    response = as_staff.post(
        f"/console/bookings/{booking.reference}/emails/{theirs.pk}/resend/", {"reason": "x"}
    )

    assert response.status_code == 404


def test_staff_move_a_session_to_another_open_time_of_its_interviewer(
    as_staff, booking, task_queue
):
    page = as_staff.get(f"/console/bookings/{booking.reference}/")
    choices = [value for value, _ in page.context["move_form"].fields["new_start"].choices if value]
    new_start = datetime.datetime.fromisoformat(choices[0])

    response = as_staff.post(
        f"/console/bookings/{booking.reference}/move/",
        {"new_start": choices[0], "reason": "The candidate asked by phone"},
    )

    assert response.status_code == 302
    booking.refresh_from_db()
    assert (booking.starts_at, booking.reschedule_count) == (new_start, 0)
    action, who, role, detail = last_event(booking)
    assert (action, who, role) == ("rescheduled", "Mockri Staff", "staff")
    assert detail.endswith(": The candidate asked by phone")
    assert "meeting_update_task" in task_queue.names()


def test_a_time_not_offered_is_refused(as_staff, booking):
    taken = (SLOT + datetime.timedelta(minutes=7)).isoformat()

    response = as_staff.post(
        f"/console/bookings/{booking.reference}/move/", {"new_start": taken, "reason": "x"}
    )

    assert response.status_code == 422
    booking.refresh_from_db()
    assert booking.starts_at == SLOT


def test_staff_replace_a_meeting_link_with_another_providers(
    settings, as_staff, booking, task_queue
):
    settings.MEETING_JITSI_OUTSIDE_PRIVACY_POLICY = True
    Meeting.objects.create(
        booking=booking,
        provider="jitsi",
        external_id="old-room",
        url="https://meet.jit.si/old-room",
        status=MeetingStatus.READY,
        synced_version=booking.version,
    )

    response = as_staff.post(
        f"/console/bookings/{booking.reference}/meeting/", {"reason": "The room is broken"}
    )

    assert response.status_code == 302
    meeting = Meeting.objects.get(booking=booking)
    assert meeting.status == MeetingStatus.FAILED_OVER
    assert meeting.url and meeting.url != "https://meet.jit.si/old-room"
    assert last_event(booking) == (
        "meeting_replaced",
        "Mockri Staff",
        "staff",
        "Now jitsi, ready (fallback link): The room is broken",
    )
    assert "meeting_ready_emails_task" in task_queue.names()


def test_staff_check_a_link_and_a_session_without_one_gets_one(
    settings, as_staff, booking, task_queue
):
    settings.MEETING_JITSI_OUTSIDE_PRIVACY_POLICY = True

    response = as_staff.post(
        f"/console/bookings/{booking.reference}/meeting/check/",
        {"check-reason": "The interviewer says there is no link"},
    )

    assert response.status_code == 302
    meeting = Meeting.objects.get(booking=booking)
    assert meeting.url.startswith("https://meet.jit.si/")
    assert last_event(booking) == (
        "meeting_checked",
        "Mockri Staff",
        "staff",
        "jitsi, ready (fallback link): The interviewer says there is no link",
    )


def test_a_cancelled_sessions_link_is_not_checked(as_staff, booking):
    Booking.objects.filter(pk=booking.pk).update(status=BookingStatus.CANCELLED)

    response = as_staff.post(
        f"/console/bookings/{booking.reference}/meeting/check/", {"check-reason": "x"}
    )

    assert response.status_code == 422
    assert not Meeting.objects.exists()
    assert BookingEvent.objects.count() == 0


def test_a_cancelled_sessions_link_is_not_replaced(as_staff, booking):
    Booking.objects.filter(pk=booking.pk).update(status=BookingStatus.CANCELLED)

    response = as_staff.post(f"/console/bookings/{booking.reference}/meeting/", {"reason": "x"})

    assert response.status_code == 422
    assert not Meeting.objects.exists()
    assert BookingEvent.objects.count() == 0
