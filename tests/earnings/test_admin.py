"""Staff read the money records in the admin; nobody adds, changes or deletes them there, and
payout details show masked, as on every page."""

import datetime

import pytest
from django.urls import reverse

from mockri.earnings.enums import PayoutMethod, RateKind
from mockri.earnings.models import EarningEntry, EarningRate, PayoutBatch, PayoutDetails, PayoutLine
from mockri.earnings.services import (
    earning_credit,
    earning_rate_add,
    payout_batch_create,
    payout_details_save,
    payout_line_mark_paid,
)
from tests.fixtures import NOW

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)
MODELS = [
    "earningentry",
    "earningrate",
    "payoutbatch",
    "payoutline",
    "payoutdetails",
    "noshowreport",
    "reliabilitypause",
]


@pytest.fixture
def paid_out(session, profile, interviewer, staff):
    """An entry credited, paid in a batch to a bank account, and a rate to come."""
    entry = earning_credit(booking_id=session(starts_at=NOW - 3 * DAY).pk)
    payout_details_save(
        profile=profile,
        by=interviewer,
        method=PayoutMethod.BANK,
        holder_name="Ananya Iyer",
        account_number="123456789012",
        ifsc="HDFC0001234",
    )
    batch = payout_batch_create(
        staff_user=staff, period_start=datetime.date(2026, 11, 1), period_end=NOW.date() - DAY
    )
    payout_line_mark_paid(line=batch.lines.get(), staff_user=staff, reference="UTR0001")
    earning_rate_add(
        staff_user=staff,
        interview_type=None,
        kind=RateKind.PERCENT,
        share_percent=60,
        effective_from=NOW + DAY,
    )
    return entry


@pytest.fixture
def as_admin(client, staff, two_factor):
    """A superuser: the admin would let them do anything the ModelAdmin allows."""
    staff.is_superuser = True
    staff.save()
    two_factor(staff)
    client.force_login(staff)
    return client


def test_staff_read_every_earnings_list_and_record(client, staff, two_factor, paid_out):
    two_factor(staff)
    client.force_login(staff)
    records = {
        "earningentry": EarningEntry.objects.get().pk,
        "earningrate": EarningRate.objects.get().pk,
        "payoutbatch": PayoutBatch.objects.get().pk,
        "payoutline": PayoutLine.objects.get().pk,
        "payoutdetails": PayoutDetails.objects.get().pk,
    }

    lists = [client.get(reverse(f"admin:earnings_{model}_changelist")) for model in MODELS]
    pages = {
        model: client.get(reverse(f"admin:earnings_{model}_change", args=[pk]))
        for model, pk in records.items()
    }

    assert [page.status_code for page in lists] == [200] * len(MODELS)
    assert [page.status_code for page in pages.values()] == [200] * len(records)
    assert "₹1,399.30" in lists[0].text and paid_out.booking.reference in lists[0].text
    assert "60% of the price" in lists[1].text
    assert "UTR0001" in pages["payoutbatch"].text  # its lines, inline
    assert "UTR0001" in lists[3].text and "A/c ••••9012" in lists[3].text


def test_payout_details_show_masked_in_the_admin(as_admin, paid_out):
    details = PayoutDetails.objects.get()

    listed = as_admin.get(reverse("admin:earnings_payoutdetails_changelist")).text
    shown = as_admin.get(reverse("admin:earnings_payoutdetails_change", args=[details.pk])).text

    for page in (listed, shown):
        assert "A/c ••••9012, HDFC0001234" in page
        assert "123456789012" not in page


@pytest.mark.parametrize("model", MODELS)
def test_nobody_adds_or_deletes_earnings_records_in_the_admin(as_admin, paid_out, model):
    assert as_admin.get(reverse(f"admin:earnings_{model}_add")).status_code == 403


def test_the_ledger_and_payouts_do_not_change_in_the_admin(as_admin, paid_out):
    entry, line = EarningEntry.objects.get(), PayoutLine.objects.get()

    change = as_admin.post(
        reverse("admin:earnings_earningentry_change", args=[entry.pk]), {"amount_paise": "1"}
    )
    delete = as_admin.post(
        reverse("admin:earnings_earningentry_delete", args=[entry.pk]), {"post": "yes"}
    )
    unpay = as_admin.post(
        reverse("admin:earnings_payoutline_change", args=[line.pk]), {"reference": ""}
    )
    drop_rate = as_admin.post(
        reverse("admin:earnings_earningrate_delete", args=[EarningRate.objects.get().pk]),
        {"post": "yes"},
    )

    assert [r.status_code for r in (change, delete, unpay, drop_rate)] == [403] * 4
    assert EarningEntry.objects.get().amount_paise == 139_930
    assert PayoutLine.objects.get().reference == "UTR0001"
    assert EarningRate.objects.exists()
