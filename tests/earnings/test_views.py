"""The interviewer's earnings pages, payout details and the candidate's no-show button."""

import datetime

import pytest
from django.urls import reverse

from mockri.bookings.enums import BookingStatus
from mockri.earnings.enums import PayoutMethod
from mockri.earnings.models import NoShowReport, PayoutDetails
from mockri.earnings.services import earning_credit, payout_details_save
from mockri.lib.money import format_inr
from tests.fixtures import NOW

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)
HOME = reverse("earnings:home")
DETAILS = reverse("earnings:payout_details")
NOVEMBER = reverse("earnings:statement", kwargs={"year": 2026, "month": 11})
NOVEMBER_CSV = reverse("earnings:statement_csv", kwargs={"year": 2026, "month": 11})


@pytest.fixture
def credited(session):
    def make(count):
        return [
            earning_credit(booking_id=session(starts_at=NOW - (i + 2) * DAY).pk)
            for i in range(count)
        ]

    return make


@pytest.mark.parametrize("count", [1, 3])
def test_the_earnings_page_shows_the_balance_and_the_months_entries(
    as_interviewer, credited, count, django_assert_max_num_queries
):
    entries = credited(count)

    with django_assert_max_num_queries(16):
        response = as_interviewer.get(HOME)

    assert response.status_code == 200
    assert "Earnings and payouts" in response.text
    with django_assert_max_num_queries(12):
        page = as_interviewer.get(NOVEMBER)
    for entry in entries:
        assert entry.description in page.text
    assert format_inr(139_930 * count) in page.text


def test_the_statement_csv_lists_each_entry_in_paise(as_interviewer, credited):
    (entry,) = credited(1)

    response = as_interviewer.get(NOVEMBER_CSV)

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = response.content.decode().splitlines()
    assert rows[0] == "date,kind,description,amount_paise,settled"
    assert rows[2] == f'2026-11-29,session,"{entry.description}",139930,no'
    assert rows[-1] == ",closing,Owed at the month's end,139930,"


@pytest.mark.parametrize("url", [HOME, DETAILS, NOVEMBER, NOVEMBER_CSV])
def test_candidates_and_signed_out_visitors_never_see_earnings(client, candidate, url):
    assert client.get(url).status_code == 302  # to sign in
    client.force_login(candidate)
    assert client.get(url).status_code == 404


def test_a_month_that_does_not_exist_is_404(as_interviewer):
    assert as_interviewer.get("/interviewer/earnings/2026-13/").status_code == 404


def test_payout_details_are_saved_and_shown_masked_never_in_full(as_interviewer, profile):
    response = as_interviewer.post(
        DETAILS,
        {
            "method": "bank",
            "holder_name": "Ananya Iyer",
            "account_number": "1234 5678 9012",
            "ifsc": "hdfc0001234",
        },
    )

    assert response.status_code == 302
    details = PayoutDetails.objects.get(profile=profile)
    assert (details.account_number, details.ifsc) == ("123456789012", "HDFC0001234")
    page = as_interviewer.get(DETAILS).text
    assert "A/c ••••9012, HDFC0001234" in page
    assert "123456789012" not in page


@pytest.mark.parametrize(
    ("data", "field"),
    [
        (
            {"method": "bank", "holder_name": "A", "account_number": "12", "ifsc": "HDFC0001234"},
            "account_number",
        ),
        (
            {"method": "bank", "holder_name": "A", "account_number": "123456789", "ifsc": "X1"},
            "ifsc",
        ),
        ({"method": "upi", "holder_name": "A", "upi_id": "not-an-id"}, "upi_id"),
    ],
)
def test_bad_payout_details_are_refused_with_the_fields_error(as_interviewer, data, field):
    response = as_interviewer.post(DETAILS, data)

    assert response.status_code == 422
    assert field in response.context["form"].errors
    assert not PayoutDetails.objects.exists()


def test_the_earnings_page_says_where_payouts_go(as_interviewer, profile, interviewer):
    payout_details_save(
        profile=profile,
        by=interviewer,
        method=PayoutMethod.UPI,
        holder_name="Ananya Iyer",
        upi_id="ananya@okhdfcbank",
    )

    assert "UPI ••••bank" in as_interviewer.get(HOME).text


# --- The candidate's button -------------------------------------------------------------------


def test_the_candidate_sees_the_no_show_button_after_the_start_and_can_report(
    client, candidate, session
):
    booking = session(starts_at=NOW - datetime.timedelta(hours=1), status=BookingStatus.CONFIRMED)
    client.force_login(candidate)

    page = client.get(booking.get_absolute_url()).text
    assert "My interviewer did not show" in page
    response = client.post(
        reverse("earnings:report_no_show", args=[booking.reference]), {"note": "Nobody came."}
    )

    assert response.status_code == 302
    assert NoShowReport.objects.get().note == "Nobody came."
    assert "Waiting for staff" in client.get(booking.get_absolute_url()).text


def test_no_button_before_the_start(client, candidate, session):
    booking = session(starts_at=NOW + DAY, status=BookingStatus.CONFIRMED)
    client.force_login(candidate)

    assert "did not show" not in client.get(booking.get_absolute_url()).text


def test_someone_elses_booking_cannot_be_reported(client, other_candidate, session):
    booking = session(starts_at=NOW - datetime.timedelta(hours=1), status=BookingStatus.CONFIRMED)
    client.force_login(other_candidate)

    response = client.post(reverse("earnings:report_no_show", args=[booking.reference]), {})

    assert response.status_code == 404
    assert not NoShowReport.objects.exists()
