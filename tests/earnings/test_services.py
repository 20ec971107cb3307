"""The ledger: credits at the rate in force, reversals after refunds, payout batches that settle
entries for good, and payout details."""

import datetime

import pytest
from django.db import IntegrityError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mockri.bookings.enums import BookingStatus, NoShowSide
from mockri.earnings.enums import EntryKind, PayoutMethod, RateKind, ReportStatus
from mockri.earnings.models import (
    EarningEntry,
    EarningRate,
    NoShowReport,
    PayoutDetails,
    PayoutLine,
)
from mockri.earnings.selectors import ledger_balance
from mockri.earnings.services import (
    earning_credit,
    earning_rate_add,
    earning_rate_delete,
    earning_reverse_refunds,
    payout_batch_create,
    payout_batch_discard,
    payout_details_done,
    payout_details_save,
    payout_line_mark_paid,
    rate_in_force,
)
from mockri.lib.errors import NotAllowed, PolicyViolation
from mockri.payments.models import Payment
from mockri.payments.services import refund_request
from tests.factories import InterviewerProfileFactory, InterviewTypeFactory
from tests.fixtures import NOW, past_session

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)
HOUR = datetime.timedelta(hours=1)
NOV_1 = datetime.date(2026, 11, 1)
NOV_30 = datetime.date(2026, 11, 30)


def credits(profile) -> list[tuple[str, int]]:
    return list(
        EarningEntry.objects.filter(interviewer=profile).values_list("kind", "amount_paise")
    )


# --- Credits ----------------------------------------------------------------------------------


def test_a_completed_session_credits_the_default_share_when_no_rate_is_set(session, profile):
    booking = session()

    entry = earning_credit(booking_id=booking.pk)

    assert (entry.kind, entry.amount_paise, entry.rate) == (EntryKind.SESSION, 139_930, None)
    assert entry.description == f"{booking.reference} System Design: 70% of ₹1,999"
    assert entry.earned_at == booking.starts_at


def test_crediting_twice_makes_one_entry(session, profile):
    booking = session()

    first = earning_credit(booking_id=booking.pk)
    second = earning_credit(booking_id=booking.pk)

    assert first == second
    assert credits(profile) == [(EntryKind.SESSION, 139_930)]


def test_the_database_refuses_a_second_credit_for_a_booking(session, profile):
    entry = earning_credit(booking_id=session().pk)

    with pytest.raises(IntegrityError):
        EarningEntry.objects.create(
            interviewer=profile,
            booking=entry.booking,
            kind=EntryKind.CANDIDATE_NO_SHOW,
            amount_paise=1,
            earned_at=NOW,
            description="again",
        )


def test_the_rate_in_force_when_the_session_started_is_kept(session, staff, paid_type):
    earning_rate_add(
        staff_user=staff,
        interview_type=paid_type,
        kind=RateKind.FIXED,
        amount_paise=120_000,
        effective_from=NOW - 10 * DAY,
        now=NOW - 10 * DAY,
    )
    later = earning_rate_add(
        staff_user=staff,
        interview_type=paid_type,
        kind=RateKind.PERCENT,
        share_percent=80,
        effective_from=NOW - DAY,
        now=NOW - DAY,
    )
    before, after = session(starts_at=NOW - 2 * DAY), session(starts_at=NOW - DAY / 2)

    assert earning_credit(booking_id=before.pk).amount_paise == 120_000
    assert earning_credit(booking_id=after.pk).amount_paise == 159_920
    assert EarningEntry.objects.get(booking=after).rate == later


def test_a_types_own_rate_wins_over_the_rate_for_every_type(staff, paid_type):
    everyone = earning_rate_add(
        staff_user=staff,
        interview_type=None,
        kind=RateKind.PERCENT,
        share_percent=60,
        effective_from=NOW,
    )
    assert rate_in_force(interview_type_id=paid_type.pk, at=NOW) == everyone
    own = earning_rate_add(
        staff_user=staff,
        interview_type=paid_type,
        kind=RateKind.PERCENT,
        share_percent=75,
        effective_from=NOW + DAY,
    )

    assert rate_in_force(interview_type_id=paid_type.pk, at=NOW + DAY) == own
    other = InterviewTypeFactory()
    assert rate_in_force(interview_type_id=other.pk, at=NOW + DAY) == everyone


def test_a_rate_cannot_start_in_the_past_nor_be_added_by_others(staff, candidate, paid_type):
    with pytest.raises(PolicyViolation):
        earning_rate_add(
            staff_user=staff,
            interview_type=paid_type,
            kind=RateKind.FIXED,
            amount_paise=1,
            effective_from=NOW - DAY,
        )
    with pytest.raises(NotAllowed):
        earning_rate_add(
            staff_user=candidate,
            interview_type=paid_type,
            kind=RateKind.FIXED,
            amount_paise=1,
            effective_from=NOW,
        )


def test_a_candidates_no_show_credits_the_configured_part_of_the_share(session, settings):
    settings.EARNINGS_CANDIDATE_NO_SHOW_PERCENT = 50
    booking = session(status=BookingStatus.NO_SHOW, no_show_side=NoShowSide.CANDIDATE)

    entry = earning_credit(booking_id=booking.pk)

    assert (entry.kind, entry.amount_paise) == (EntryKind.CANDIDATE_NO_SHOW, 69_965)


@pytest.mark.parametrize(
    "outcome",
    [
        {"status": BookingStatus.NO_SHOW, "no_show_side": NoShowSide.INTERVIEWER},
        {"status": BookingStatus.CANCELLED},
        {"status": BookingStatus.CONFIRMED},
    ],
)
def test_an_interviewers_no_show_or_a_cancellation_credits_nothing(session, profile, outcome):
    booking = session(**outcome)

    assert earning_credit(booking_id=booking.pk) is None
    assert credits(profile) == []


def test_a_confirmed_no_show_report_stops_the_credit(session, profile):
    booking = session()
    NoShowReport.objects.create(booking=booking, status=ReportStatus.CONFIRMED, reported_at=NOW)

    assert earning_credit(booking_id=booking.pk) is None


# --- Reversals --------------------------------------------------------------------------------


def test_a_full_refund_after_the_session_reverses_the_whole_credit(session, profile):
    booking = session()
    credit = earning_credit(booking_id=booking.pk)
    refund = refund_request(payment=booking.payments.get(), amount_paise=199_900, reason="Sorry")

    (reversal,) = earning_reverse_refunds(booking_id=booking.pk)

    assert (reversal.kind, reversal.amount_paise) == (EntryKind.REVERSAL, -139_930)
    assert (reversal.reverses, reversal.refund) == (credit, refund)
    assert EarningEntry.objects.get(pk=credit.pk).amount_paise == 139_930  # never edited
    assert ledger_balance(interviewer=profile).total_paise == 0


def test_a_partial_refund_reverses_the_same_part_and_repeats_change_nothing(session, profile):
    booking = session()
    earning_credit(booking_id=booking.pk)
    refund_request(payment=booking.payments.get(), amount_paise=99_950, reason="Half")

    earning_reverse_refunds(booking_id=booking.pk)
    earning_reverse_refunds(booking_id=booking.pk)

    assert credits(profile) == [(EntryKind.SESSION, 139_930), (EntryKind.REVERSAL, -69_965)]


def test_a_refund_before_the_credit_is_reversed_when_the_credit_comes(session, profile):
    booking = session()
    refund_request(payment=booking.payments.get(), amount_paise=199_900, reason="Goodwill")

    earning_credit(booking_id=booking.pk)

    assert ledger_balance(interviewer=profile).total_paise == 0


def test_entries_are_never_edited_or_deleted(session):
    entry = earning_credit(booking_id=session().pk)

    with pytest.raises(PolicyViolation):
        entry.save()
    with pytest.raises(PolicyViolation):
        entry.delete()


# --- Payout batches ---------------------------------------------------------------------------


@pytest.fixture
def two_sessions(session, profile):
    for day in (3, 4):
        earning_credit(booking_id=session(starts_at=NOW - day * DAY).pk)
    return profile


def test_a_batch_pays_each_interviewer_their_unsettled_total_above_the_minimum(
    two_sessions, staff, settings, other_interviewer, session
):
    settings.PAYOUT_MINIMUM_PAISE = 200_000
    small = session(starts_at=NOW - 5 * DAY, interviewer=other_interviewer.interviewer_profile)
    earning_credit(booking_id=small.pk)
    payout_details_save(
        profile=two_sessions,
        by=two_sessions.user,
        method=PayoutMethod.UPI,
        holder_name="Ananya Iyer",
        upi_id="ananya@okhdfcbank",
    )

    batch = payout_batch_create(staff_user=staff, period_start=NOV_1, period_end=NOV_30)

    (line,) = batch.lines.all()
    assert (line.interviewer, line.amount_paise) == (two_sessions, 279_860)
    assert (line.payee_name, line.destination_masked) == ("Ananya Iyer", "UPI ••••bank")
    assert EarningEntry.objects.filter(payout_line=line).count() == 2
    assert EarningEntry.objects.get(booking=small).payout_line is None  # waits: below minimum


def test_a_batch_only_takes_periods_that_ended(staff):
    with pytest.raises(PolicyViolation):
        payout_batch_create(
            staff_user=staff, period_start=NOV_1, period_end=datetime.date(2026, 12, 31)
        )


def test_marking_a_line_paid_settles_its_entries_for_good(two_sessions, staff):
    batch = payout_batch_create(staff_user=staff, period_start=NOV_1, period_end=NOV_30)
    line = batch.lines.get()

    payout_line_mark_paid(line=line, staff_user=staff, reference="UTR123")

    assert set(EarningEntry.objects.values_list("settled_at", flat=True)) == {NOW}
    assert ledger_balance(interviewer=two_sessions).unsettled_paise == 0
    with pytest.raises(PolicyViolation):
        payout_line_mark_paid(line=line, staff_user=staff, reference="UTR999")
    with pytest.raises(PolicyViolation):
        payout_batch_discard(batch=batch, staff_user=staff)
    assert PayoutLine.objects.get(pk=line.pk).reference == "UTR123"


def test_a_settled_entry_is_not_taken_by_a_second_batch_and_a_refund_adds_a_reversal(
    two_sessions, staff
):
    line = payout_batch_create(staff_user=staff, period_start=NOV_1, period_end=NOV_30).lines.get()
    payout_line_mark_paid(line=line, staff_user=staff, reference="UTR123")
    booking = EarningEntry.objects.first().booking
    refund_request(payment=booking.payments.get(), amount_paise=199_900, reason="Refund")

    earning_reverse_refunds(booking_id=booking.pk)
    again = payout_batch_create(staff_user=staff, period_start=NOV_1, period_end=NOV_30)

    assert again.lines.count() == 0  # the reversal alone is negative: nothing to pay
    balance = ledger_balance(interviewer=two_sessions)
    assert (balance.settled_paise, balance.unsettled_paise) == (279_860, -139_930)


def test_a_line_needs_a_reference_and_only_staff_mark_it(two_sessions, staff, interviewer):
    line = payout_batch_create(staff_user=staff, period_start=NOV_1, period_end=NOV_30).lines.get()

    with pytest.raises(PolicyViolation):
        payout_line_mark_paid(line=line, staff_user=staff, reference="  ")
    with pytest.raises(NotAllowed):
        payout_line_mark_paid(line=line, staff_user=interviewer, reference="UTR1")


def test_discarding_an_unpaid_batch_frees_its_entries(two_sessions, staff):
    batch = payout_batch_create(staff_user=staff, period_start=NOV_1, period_end=NOV_30)

    payout_batch_discard(batch=batch, staff_user=staff)

    assert not EarningEntry.objects.exclude(payout_line=None).exists()
    assert not PayoutLine.objects.exists()


# --- Property tests ---------------------------------------------------------------------------

OPERATION = st.one_of(
    st.tuples(st.just("session"), st.integers(min_value=0, max_value=500_000)),
    st.tuples(st.just("refund"), st.integers(min_value=1, max_value=100)),
    st.tuples(st.just("batch"), st.booleans()),
)


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(operations=st.lists(OPERATION, max_size=8))
def test_the_ledger_total_is_always_settled_plus_unsettled(now, candidate, staff, operations):
    profile = InterviewerProfileFactory()
    for operation, value in operations:
        if operation == "session":
            kind = InterviewTypeFactory(price_paise=value, interviewers=[profile])
            _credited(candidate, profile, kind)
        elif operation == "refund" and (payment := _a_paid_session(profile)):
            left = payment.amount_paise - sum(r.amount_paise for r in payment.refunds.all())
            if left > 0:
                refund_request(payment=payment, amount_paise=max(1, left * value // 100), reason="")
                earning_reverse_refunds(booking_id=payment.booking_id)
        elif operation == "batch":
            batch = payout_batch_create(staff_user=staff, period_start=NOV_1, period_end=NOV_30)
            for line in batch.lines.all():
                if value:
                    payout_line_mark_paid(line=line, staff_user=staff, reference="UTR")
            if not value:
                payout_batch_discard(batch=batch, staff_user=staff)

    entries = EarningEntry.objects.filter(interviewer=profile)
    total = sum(e.amount_paise for e in entries)
    unsettled = sum(e.amount_paise for e in entries if e.settled_at is None)
    paid = PayoutLine.objects.filter(interviewer=profile).exclude(paid_at=None)
    assert total == sum(line.amount_paise for line in paid) + unsettled
    assert ledger_balance(interviewer=profile).total_paise == total


def _credited(candidate, profile, kind):
    booking = past_session(
        candidate=candidate,
        interviewer=profile,
        interview_type=kind,
        starts_at=NOW - 3 * DAY,
        status=BookingStatus.COMPLETED,
    )
    if booking.price_paise:
        Payment.objects.create(
            booking=booking,
            gateway="test",
            order_ref=f"o_{booking.reference}",
            amount_paise=booking.price_paise,
            status="captured",
        )
    return earning_credit(booking_id=booking.pk)


def _a_paid_session(profile):
    return Payment.objects.filter(booking__interviewer=profile).order_by("?").first()


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    price=st.integers(min_value=1, max_value=1_000_000),
    parts=st.lists(st.integers(min_value=1, max_value=100), min_size=1, max_size=4),
    percent=st.integers(min_value=0, max_value=100),
)
def test_refunding_the_whole_price_restores_the_balance(
    now, candidate, settings, price, parts, percent
):
    settings.EARNINGS_DEFAULT_SHARE_PERCENT = percent
    profile = InterviewerProfileFactory()
    before = ledger_balance(interviewer=profile).total_paise
    kind = InterviewTypeFactory(price_paise=price, interviewers=[profile])
    payment = _credited(candidate, profile, kind).booking.payments.get()

    left = price
    for share in parts:  # refunded in parts; whatever is left goes last
        amount = min(left, max(1, price * share // 100))
        if amount > 0:
            refund_request(payment=payment, amount_paise=amount, reason="")
            left -= amount
        earning_reverse_refunds(booking_id=payment.booking_id)
    if left:
        refund_request(payment=payment, amount_paise=left, reason="")
        earning_reverse_refunds(booking_id=payment.booking_id)

    assert ledger_balance(interviewer=profile).total_paise == before
    assert all(e.amount_paise <= 0 for e in EarningEntry.objects.filter(kind=EntryKind.REVERSAL))


# --- Payout details ---------------------------------------------------------------------------


def test_payout_details_keep_only_the_chosen_methods_fields_and_mask_them(profile, interviewer):
    assert payout_details_done(profile) is False

    details = payout_details_save(
        profile=profile,
        by=interviewer,
        method=PayoutMethod.BANK,
        holder_name=" Ananya Iyer ",
        account_number="123456789012",
        ifsc="hdfc0001234",
        upi_id="ignored@upi",
    )

    assert (details.holder_name, details.ifsc, details.upi_id) == ("Ananya Iyer", "HDFC0001234", "")
    assert details.masked == "A/c ••••9012, HDFC0001234"
    assert payout_details_done(profile) is True


def test_only_the_interviewer_and_staff_set_payout_details(profile, other_interviewer, staff):
    with pytest.raises(NotAllowed):
        payout_details_save(
            profile=profile,
            by=other_interviewer,
            method=PayoutMethod.UPI,
            holder_name="X",
            upi_id="x@upi",
        )
    payout_details_save(
        profile=profile, by=staff, method=PayoutMethod.UPI, holder_name="A", upi_id="a@upi"
    )
    assert PayoutDetails.objects.get(profile=profile).upi_id == "a@upi"


def test_a_paid_line_keeps_the_payee_it_was_paid_to(two_sessions, staff):
    line = payout_batch_create(staff_user=staff, period_start=NOV_1, period_end=NOV_30).lines.get()
    assert line.destination_masked == ""  # no details when the batch was made
    payout_details_save(
        profile=two_sessions,
        by=two_sessions.user,
        method=PayoutMethod.UPI,
        holder_name="Ananya Iyer",
        upi_id="ananya@okaxis",
    )

    paid = payout_line_mark_paid(line=line, staff_user=staff, reference="UTR7")

    assert (paid.payee_name, paid.method, paid.destination_masked) == (
        "Ananya Iyer",
        PayoutMethod.UPI,
        "UPI ••••axis",
    )


def test_a_rate_that_starts_while_the_page_is_open_is_not_deleted(staff, paid_type):
    rate = earning_rate_add(
        staff_user=staff,
        interview_type=paid_type,
        kind=RateKind.FIXED,
        amount_paise=100_000,
        effective_from=NOW + HOUR,
    )

    with pytest.raises(PolicyViolation, match="has started"):
        earning_rate_delete(rate=rate, staff_user=staff, now=NOW + HOUR)
    earning_rate_delete(rate=rate, staff_user=staff, now=NOW)
    with pytest.raises(PolicyViolation, match="deleted already"):
        earning_rate_delete(rate=rate, staff_user=staff, now=NOW)


def test_only_staff_delete_rates(interviewer, staff, paid_type):
    rate = earning_rate_add(
        staff_user=staff,
        interview_type=None,
        kind=RateKind.PERCENT,
        share_percent=50,
        effective_from=NOW + DAY,
    )

    with pytest.raises(NotAllowed):
        earning_rate_delete(rate=rate, staff_user=interviewer, now=NOW)
    assert EarningRate.objects.exists()
