"""Export and erasure of payout details, earnings and no-show reports."""

import datetime

import pytest

from mockri.bookings.enums import BookingStatus
from mockri.earnings import personal_data
from mockri.earnings.enums import PayoutMethod
from mockri.earnings.models import EarningEntry, NoShowReport, PayoutDetails, PayoutLine
from mockri.earnings.reliability import no_show_report_file
from mockri.earnings.services import (
    earning_credit,
    payout_batch_create,
    payout_details_save,
    payout_line_mark_paid,
)
from mockri.privacy.registry import ExportArchive
from tests.fixtures import NOW

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


@pytest.fixture
def paid_out(session, profile, interviewer, staff):
    earning_credit(booking_id=session(starts_at=NOW - 3 * DAY).pk)
    payout_details_save(
        profile=profile,
        by=interviewer,
        method=PayoutMethod.UPI,
        holder_name="Ananya Iyer",
        upi_id="ananya@okhdfcbank",
    )
    batch = payout_batch_create(
        staff_user=staff,
        period_start=datetime.date(2026, 11, 1),
        period_end=datetime.date(2026, 11, 30),
    )
    payout_line_mark_paid(line=batch.lines.get(), staff_user=staff, reference="UTR1")
    return profile


def test_the_export_holds_the_payout_details_in_full_and_the_ledger(paid_out, interviewer):
    data = personal_data.export(user=interviewer, archive=ExportArchive())

    assert data["payout_details"]["upi_id"] == "ananya@okhdfcbank"
    assert [e["amount_paise"] for e in data["earnings"]] == [139_930]
    assert data["payouts"][0]["reference"] == "UTR1"


def test_erasure_deletes_the_details_and_keeps_the_accounting_records(paid_out, interviewer):
    personal_data.erase(user=interviewer, now=NOW)

    assert not PayoutDetails.objects.exists()
    assert EarningEntry.objects.count() == 1
    line = PayoutLine.objects.get()
    assert (line.amount_paise, line.reference, line.payee_name) == (139_930, "UTR1", "Ananya Iyer")


def test_erasure_removes_the_candidates_words_from_their_reports(session, candidate):
    booking = session(starts_at=NOW - datetime.timedelta(hours=1), status=BookingStatus.CONFIRMED)
    no_show_report_file(booking=booking, user=candidate, note="I waited alone.")
    assert (
        personal_data.export(user=candidate, archive=ExportArchive())["no_show_reports"][0]["note"]
        == "I waited alone."
    )

    personal_data.erase(user=candidate, now=NOW)

    assert NoShowReport.objects.get().note == ""
