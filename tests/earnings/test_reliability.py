"""Reliability: what counts against an interviewer over 90 days, the automatic pause, and the
candidate's "my interviewer did not show" report that staff confirm or dismiss."""

import datetime

import pytest

from mockri.bookings.enums import Actor, BookingStatus, NoShowSide
from mockri.bookings.models import Booking, BookingEvent
from mockri.catalogue.models import Hold
from mockri.earnings.enums import EntryKind, IncidentKind, ReportStatus
from mockri.earnings.models import EarningEntry, NoShowReport, ReliabilityPause
from mockri.earnings.reliability import (
    no_show_report_confirm,
    no_show_report_dismiss,
    no_show_report_file,
    reliability_review,
    reliability_review_all,
)
from mockri.earnings.selectors import (
    RELIABLE_AFTER_SESSIONS,
    reliability_incidents,
    reliability_table,
    reliable_interviewer_ids,
)
from mockri.earnings.services import earning_credit, earning_reverse_refunds
from mockri.feedback.models import Feedback
from mockri.interviewers.models import StatusChange
from mockri.interviewers.services import interviewer_resume
from mockri.lib.errors import NotAllowed, PolicyViolation
from mockri.notifications.models import OutboxEmail
from mockri.payments.models import Refund
from tests.fixtures import NOW

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)
HOUR = datetime.timedelta(hours=1)


def kinds(profile):
    return sorted(i.kind for i in reliability_incidents(interviewer=profile, now=NOW))


def test_no_shows_late_cancellations_and_late_feedback_count_within_90_days(session, profile):
    session(status=BookingStatus.NO_SHOW, no_show_side=NoShowSide.INTERVIEWER)
    session(status=BookingStatus.NO_SHOW, no_show_side=NoShowSide.CANDIDATE)  # not theirs
    session(
        status=BookingStatus.NO_SHOW, no_show_side=NoShowSide.INTERVIEWER, starts_at=NOW - 91 * DAY
    )
    session(
        starts_at=NOW + 10 * HOUR,
        status=BookingStatus.CANCELLED,
        cancelled_by=Actor.INTERVIEWER,
        cancelled_at=NOW - HOUR,
    )
    session(
        starts_at=NOW + 3 * DAY,
        status=BookingStatus.CANCELLED,
        cancelled_by=Actor.INTERVIEWER,
        cancelled_at=NOW - HOUR,
    )  # two days' notice: fine
    session(starts_at=NOW - 5 * DAY)  # completed, no feedback after 48 h: late
    on_time = session(starts_at=NOW - 6 * DAY)
    Feedback.objects.create(booking=on_time, submitted_at=on_time.ends_at + HOUR)

    assert kinds(profile) == [
        IncidentKind.LATE_CANCELLATION,
        IncidentKind.LATE_FEEDBACK,
        IncidentKind.NO_SHOW,
    ]
    (row,) = reliability_table(now=NOW)
    assert (row.no_shows, row.late_cancellations, row.late_feedback) == (1, 1, 1)


def test_reaching_the_threshold_unlists_the_interviewer_and_emails_staff(
    session, profile, staff, settings
):
    settings.RELIABILITY_PAUSE_THRESHOLD = 2
    for day in (2, 3):
        session(
            starts_at=NOW - day * DAY,
            status=BookingStatus.NO_SHOW,
            no_show_side=NoShowSide.INTERVIEWER,
        )

    pause = reliability_review(interviewer_id=profile.pk, now=NOW)

    profile.refresh_from_db()
    assert (profile.hold, pause.incidents) == (Hold.PAUSED, 2)
    assert StatusChange.objects.get().by is None  # paused automatically, recorded
    email = OutboxEmail.objects.get(kind="reliability_paused")
    assert (email.to_address, email.subject) == (
        staff.email,
        "Mockri: Ananya Iyer is paused: 2 reliability incidents in 90 days",
    )
    assert "resume them from the console when it is settled:\nhttp" in email.text_body
    assert "/console/interviewers/\n" in email.text_body


def test_the_automatic_pause_emails_the_interviewer_what_was_counted(
    session, profile, interviewer, settings
):
    settings.RELIABILITY_PAUSE_THRESHOLD = 2
    missed = [
        session(
            starts_at=NOW - day * DAY,
            status=BookingStatus.NO_SHOW,
            no_show_side=NoShowSide.INTERVIEWER,
        )
        for day in (2, 3)
    ]

    reliability_review(interviewer_id=profile.pk, now=NOW)

    email = OutboxEmail.objects.get(kind="interviewer_paused")
    assert (email.to_address, email.subject) == (
        interviewer.email,
        "Mockri: Your profile is paused after missed sessions",
    )
    assert "paused your interviewer profile automatically" in email.text_body
    assert "when 2 or more no-shows" in email.text_body
    assert all(booking.reference in email.text_body for booking in missed)
    assert "The sessions already booked stay as they are" in email.text_body


def test_staff_listing_them_again_sticks_until_a_new_incident(session, profile, settings, staff):
    settings.RELIABILITY_PAUSE_THRESHOLD = 2
    profile.went_live_at = NOW - 30 * DAY  # resuming lists again only someone who went live
    profile.save()
    for day in (2, 3):
        session(
            starts_at=NOW - day * DAY,
            status=BookingStatus.NO_SHOW,
            no_show_side=NoShowSide.INTERVIEWER,
        )
    reliability_review(interviewer_id=profile.pk, now=NOW)
    interviewer_resume(profile, reason="Talked it through.", by=staff)

    assert reliability_review_all(now=NOW + HOUR) == 0
    session(
        starts_at=NOW + 2 * HOUR, status=BookingStatus.NO_SHOW, no_show_side=NoShowSide.INTERVIEWER
    )
    assert reliability_review_all(now=NOW + 3 * HOUR) == 1
    assert ReliabilityPause.objects.count() == 2


def test_below_the_threshold_nothing_happens(session, profile):
    session(status=BookingStatus.NO_SHOW, no_show_side=NoShowSide.INTERVIEWER)

    assert reliability_review(interviewer_id=profile.pk, now=NOW) is None
    profile.refresh_from_db()
    assert profile.hold == ""


# --- "My interviewer did not show" ------------------------------------------------------------


@pytest.fixture
def started(session):
    return session(starts_at=NOW - HOUR, status=BookingStatus.CONFIRMED)


def test_the_candidate_reports_within_the_window_and_staff_are_emailed(started, candidate, staff):
    report = no_show_report_file(booking=started, user=candidate, note="Waited 20 minutes.")

    assert (report.status, report.note) == (ReportStatus.OPEN, "Waited 20 minutes.")
    assert OutboxEmail.objects.get(kind="no_show_reported").to_address == staff.email


@pytest.mark.parametrize(
    ("moment", "who"),
    [
        (NOW - 2 * HOUR, "candidate"),  # before the start
        (NOW + 24 * HOUR, "candidate"),  # the window closed (started an hour before NOW)
        (NOW, "other_candidate"),
    ],
)
def test_a_report_outside_the_window_or_by_someone_else_is_refused(started, request, moment, who):
    with pytest.raises(PolicyViolation):
        no_show_report_file(booking=started, user=request.getfixturevalue(who), note="", now=moment)


def test_a_second_report_is_refused(started, candidate):
    no_show_report_file(booking=started, user=candidate, note="")

    with pytest.raises(PolicyViolation):
        no_show_report_file(booking=started, user=candidate, note="")


def test_confirming_records_the_no_show_and_refunds_in_full(started, candidate, staff, task_queue):
    report = no_show_report_file(booking=started, user=candidate, note="")

    no_show_report_confirm(report=report, staff_user=staff, note="Interviewer admitted it.")

    started.refresh_from_db()
    assert (started.status, started.no_show_side) == (
        BookingStatus.NO_SHOW,
        NoShowSide.INTERVIEWER,
    )
    refund = Refund.objects.get()
    assert (refund.amount_paise, refund.idempotency_key) == (
        199_900,
        f"mockri-refund-{refund.payment_id}-1",
    )
    assert NoShowReport.objects.get().refund == refund
    assert "refund_execute_task" in task_queue.names()
    assert "reliability_review_task" in task_queue.names()
    candidate_email = OutboxEmail.objects.get(kind="no_show_decided")
    assert candidate_email.subject == f"Mockri: Your full refund for session {started.reference}"
    assert earning_credit(booking_id=started.pk) is None


def test_confirming_on_a_session_marked_completed_reverses_its_credit(
    session, candidate, staff, profile
):
    booking = session(starts_at=NOW - HOUR)
    earning_credit(booking_id=booking.pk)
    report = no_show_report_file(booking=booking, user=candidate, note="")

    no_show_report_confirm(report=report, staff_user=staff)
    earning_reverse_refunds(booking_id=booking.pk)

    assert Booking.objects.get(pk=booking.pk).status == BookingStatus.COMPLETED
    assert BookingEvent.objects.filter(action="interviewer_no_show_confirmed").count() == 1
    assert sorted(EarningEntry.objects.values_list("kind", "amount_paise")) == [
        (EntryKind.REVERSAL, -139_930),
        (EntryKind.SESSION, 139_930),
    ]
    assert kinds(profile) == [IncidentKind.NO_SHOW]


def test_a_report_is_decided_once_and_only_by_staff(started, candidate, staff):
    report = no_show_report_file(booking=started, user=candidate, note="")

    with pytest.raises(NotAllowed):
        no_show_report_confirm(report=report, staff_user=candidate)
    with pytest.raises(PolicyViolation):
        no_show_report_dismiss(report=report, staff_user=staff, note="")  # needs a reason
    no_show_report_dismiss(report=report, staff_user=staff, note="The call log shows 55 min.")
    with pytest.raises(PolicyViolation):
        no_show_report_confirm(report=report, staff_user=staff)

    assert not Refund.objects.exists()
    started.refresh_from_db()
    assert started.status == BookingStatus.CONFIRMED


def test_a_session_marked_as_the_candidates_no_show_can_be_reported_and_its_credit_reversed(
    session, candidate, staff, profile
):
    booking = session(
        starts_at=NOW - HOUR, status=BookingStatus.NO_SHOW, no_show_side=NoShowSide.CANDIDATE
    )
    earning_credit(booking_id=booking.pk)
    report = no_show_report_file(booking=booking, user=candidate, note="I was there.")

    no_show_report_confirm(report=report, staff_user=staff)
    earning_reverse_refunds(booking_id=booking.pk)

    assert sum(EarningEntry.objects.values_list("amount_paise", flat=True)) == 0
    assert kinds(profile) == [IncidentKind.NO_SHOW]


def test_late_feedback_does_not_cost_the_reliable_badge_and_one_query_reads_any_number(
    session, profile, django_assert_num_queries
):
    profile.sessions_given = RELIABLE_AFTER_SESSIONS
    session(
        starts_at=NOW - 5 * DAY
    )  # completed, feedback overdue: staff's concern, not candidates'

    with django_assert_num_queries(1):
        assert reliable_interviewer_ids([profile], now=NOW) == {profile.pk}
    session(status=BookingStatus.NO_SHOW, no_show_side=NoShowSide.INTERVIEWER)
    assert reliable_interviewer_ids([profile], now=NOW) == set()
