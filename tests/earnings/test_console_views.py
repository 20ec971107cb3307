"""Staff pages under /console/: reliability, reports, rates, statements and payout batches."""

import datetime

import pytest
from django.urls import reverse

from mockri.bookings.enums import BookingStatus, NoShowSide
from mockri.earnings.enums import PayoutMethod, RateKind, ReportStatus
from mockri.earnings.models import EarningRate, NoShowReport, PayoutBatch, PayoutLine
from mockri.earnings.reliability import no_show_report_file
from mockri.earnings.services import earning_credit, earning_rate_add, payout_details_save
from mockri.operations.selectors import ATTENTION_KINDS
from mockri.payments.models import Refund
from tests.factories import InterviewerProfileFactory
from tests.fixtures import NOW

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)
PAGES = [
    reverse("earnings:console_reliability"),
    reverse("earnings:console_reports"),
    reverse("earnings:console_rates"),
    reverse("earnings:console_statements"),
    reverse("earnings:console_batches"),
]


@pytest.mark.parametrize("url", PAGES)
def test_console_pages_are_404_for_everyone_but_staff(client, interviewer, two_factor, url):
    two_factor(interviewer)
    client.force_login(interviewer)

    assert client.get(url).status_code == 404


@pytest.mark.parametrize("count", [1, 3])
def test_the_reliability_list_counts_each_interviewers_incidents(
    as_staff, session, profile, count, django_assert_num_queries
):
    for n in range(count):
        other = InterviewerProfileFactory()
        session(
            interviewer=other,
            status=BookingStatus.NO_SHOW,
            no_show_side=NoShowSide.INTERVIEWER,
            starts_at=NOW - (n + 2) * DAY,
        )

    with django_assert_num_queries(11 + len(ATTENTION_KINDS)):  # the console's navigation
        response = as_staff.get(reverse("earnings:console_reliability"))

    rows = response.context["rows"]
    assert [row.no_shows for row in rows] == [1] * count + [0]


@pytest.mark.parametrize("count", [1, 3])
def test_the_statements_list_has_a_row_per_interviewer_with_earnings(
    as_staff, session, count, django_assert_max_num_queries
):
    for n in range(count):
        booking = session(interviewer=InterviewerProfileFactory(), starts_at=NOW - (n + 2) * DAY)
        earning_credit(booking_id=booking.pk)

    # a balance per interviewer; the console's navigation counts what needs attention
    with django_assert_max_num_queries(9 + count + len(ATTENTION_KINDS)):
        response = as_staff.get(reverse("earnings:console_statements"))

    assert len(response.context["rows"]) == count


def test_staff_confirm_a_report_from_the_console_and_the_candidate_is_refunded(
    as_staff, session, candidate
):
    booking = session(starts_at=NOW - datetime.timedelta(hours=1), status=BookingStatus.CONFIRMED)
    report = no_show_report_file(booking=booking, user=candidate, note="")
    assert booking.reference in as_staff.get(reverse("earnings:console_reports")).text

    response = as_staff.post(
        reverse("earnings:console_report_decide", args=[report.pk, "confirm"]), {"note": ""}
    )

    assert response.status_code == 302
    assert NoShowReport.objects.get().status == ReportStatus.CONFIRMED
    assert Refund.objects.get().amount_paise == 199_900


def test_an_unknown_decision_is_404(as_staff, session, candidate):
    booking = session(starts_at=NOW - datetime.timedelta(hours=1), status=BookingStatus.CONFIRMED)
    report = no_show_report_file(booking=booking, user=candidate, note="")

    response = as_staff.post(reverse("earnings:console_report_decide", args=[report.pk, "x"]))

    assert response.status_code == 404


def test_staff_add_a_rate(as_staff, paid_type):
    response = as_staff.post(
        reverse("earnings:console_rates"),
        {
            "interview_type": paid_type.pk,
            "kind": "percent",
            "share_percent": 75,
            "effective_from": "2026-12-02T09:00",
        },
    )

    assert response.status_code == 302
    rate = EarningRate.objects.get()
    assert (rate.share_percent, rate.effective_from) == (
        75,
        datetime.datetime(2026, 12, 2, 3, 30, tzinfo=datetime.UTC),
    )


def test_a_rate_in_the_past_is_refused_on_the_form(as_staff, paid_type):
    response = as_staff.post(
        reverse("earnings:console_rates"),
        {
            "interview_type": "",
            "kind": "fixed",
            "amount_rupees": "1200",
            "effective_from": "2026-11-01T09:00",
        },
    )

    assert response.status_code == 422
    assert not EarningRate.objects.exists()


def test_a_batch_from_make_to_csv_to_paid(as_staff, session, profile, interviewer):
    earning_credit(booking_id=session(starts_at=NOW - 3 * DAY).pk)
    payout_details_save(
        profile=profile,
        by=interviewer,
        method=PayoutMethod.BANK,
        holder_name="=Ananya Iyer",
        account_number="123456789012",
        ifsc="HDFC0001234",
    )

    made = as_staff.post(
        reverse("earnings:console_batches"),
        {"period_start": "2026-11-01", "period_end": "2026-11-30"},
    )
    batch = PayoutBatch.objects.get()
    assert made["Location"] == reverse("earnings:console_batch", args=[batch.pk])
    page = as_staff.get(made["Location"]).text
    assert "A/c ••••9012" in page and "123456789012" not in page
    line = PayoutLine.objects.get()
    rows = as_staff.get(reverse("earnings:console_batch_csv", args=[batch.pk])).content.decode()
    assert rows.splitlines()[1] == f"{line.pk},'=Ananya Iyer,bank,123456789012,HDFC0001234,,1399.30"

    as_staff.post(
        reverse("earnings:console_line_paid", args=[batch.pk, line.pk]), {"reference": "UTR0001"}
    )

    line.refresh_from_db()
    assert (line.reference, line.paid_at) == ("UTR0001", NOW)
    csv_after = as_staff.get(reverse("earnings:console_batch_csv", args=[batch.pk]))
    assert len(csv_after.content.decode().splitlines()) == 1  # paid lines leave the file


def test_a_batch_for_a_period_not_ended_is_refused_on_the_form(as_staff):
    response = as_staff.post(
        reverse("earnings:console_batches"),
        {"period_start": "2026-12-01", "period_end": "2026-12-31"},
    )

    assert response.status_code == 422
    assert not PayoutBatch.objects.exists()


def test_staff_see_an_interviewers_statement(as_staff, session, profile):
    entry = earning_credit(booking_id=session(starts_at=NOW - 3 * DAY).pk)

    response = as_staff.get(reverse("earnings:console_statement", args=[profile.pk, 2026, 11]))

    assert entry.description in response.text


def test_staff_delete_a_rate_that_has_not_started(as_staff, staff, paid_type):
    later = earning_rate_add(
        staff_user=staff,
        interview_type=paid_type,
        kind=RateKind.PERCENT,
        share_percent=80,
        effective_from=NOW + DAY,
    )
    page = as_staff.get(reverse("earnings:console_rates")).text
    assert reverse("earnings:console_rate_delete", args=[later.pk]) in page

    response = as_staff.post(reverse("earnings:console_rate_delete", args=[later.pk]), follow=True)

    assert not EarningRate.objects.exists()
    assert "The rate of 80% of the price that was to start on 2 Dec 2026, 9:00 AM is deleted." in (
        response.text
    )


def test_a_started_rate_cannot_be_deleted_and_staff_are_told_why(as_staff, staff, paid_type):
    started = earning_rate_add(
        staff_user=staff,
        interview_type=paid_type,
        kind=RateKind.PERCENT,
        share_percent=80,
        effective_from=NOW,
    )
    page = as_staff.get(reverse("earnings:console_rates")).text
    assert reverse("earnings:console_rate_delete", args=[started.pk]) not in page
    assert "Started: kept" in page

    response = as_staff.post(
        reverse("earnings:console_rate_delete", args=[started.pk]), follow=True
    )

    assert EarningRate.objects.get() == started
    assert "This rate has started, so it stays" in response.text


def test_deleting_a_rate_is_404_for_everyone_but_staff(client, interviewer, two_factor, staff):
    rate = earning_rate_add(
        staff_user=staff,
        interview_type=None,
        kind=RateKind.PERCENT,
        share_percent=50,
        effective_from=NOW + DAY,
    )
    two_factor(interviewer)
    client.force_login(interviewer)

    response = client.post(reverse("earnings:console_rate_delete", args=[rate.pk]))

    assert response.status_code == 404
    assert EarningRate.objects.exists()
