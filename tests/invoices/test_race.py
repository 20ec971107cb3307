"""Ten payments invoiced at the same moment, on PostgreSQL with real connections: the series'
counter row is locked, so the numbers run 1 to 10 with no gap and no repeat."""

import datetime

import pytest
from django.db import connection

from mockri.invoices.models import Invoice
from mockri.invoices.services import invoice_issue
from mockri.payments.enums import PaymentStatus
from mockri.payments.models import Payment
from tests.factories import UserFactory
from tests.fixtures import SLOT, at_once

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="SQLite serialises every write transaction"
    ),
]


def test_invoices_issued_at_once_are_numbered_without_gaps(gst, now, paid_type, profile, book):
    payments = [
        Payment.objects.create(
            booking=book(
                candidate=UserFactory(),
                interview_type=paid_type,
                interviewer=profile,
                starts_at=SLOT + datetime.timedelta(days=day),
                files=[],
            ),
            gateway="test",
            order_ref=f"order_race{day}",
            amount_paise=199_900,
            status=PaymentStatus.CAPTURED,
        )
        for day in range(10)
    ]

    outcomes = at_once([lambda p=p: invoice_issue(payment_id=p.pk) for p in payments])

    assert outcomes == ["done"] * 10
    assert sorted(Invoice.objects.values_list("sequence", flat=True)) == list(range(1, 11))
