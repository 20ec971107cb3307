"""The console's demo data: page views for the conversion figures and one failed email."""

import pytest
from django.core.management import call_command

from mockri.notifications.models import OutboxEmail, OutboxStatus
from mockri.operations.models import FunnelDay
from mockri.operations.selectors import attention_grievances, attention_refunds
from mockri.payments.enums import RefundStatus
from mockri.payments.gateways import get_gateway
from mockri.payments.models import Refund
from mockri.payments.services import refund_retry, refund_send
from mockri.privacy.models import Grievance

pytestmark = pytest.mark.django_db


def test_seed_demo_gives_the_console_a_fortnight_of_page_views_and_a_failed_email(now):
    call_command("seed_demo", stdout=None)
    call_command("seed_demo", stdout=None)

    assert FunnelDay.objects.count() == 28
    failed = OutboxEmail.objects.get(status=OutboxStatus.FAILED)
    assert failed.to_address == "candidate@mockri.test"
    request = Grievance.objects.get(reference="GRV-DEMO01")
    assert (request.email, request.verified_at is not None) == ("candidate@mockri.test", True)
    assert [item.url for item in attention_grievances(now=now)] == [
        "/console/grievances/GRV-DEMO01/"
    ]


def test_seed_demo_gives_the_console_a_failed_refund_to_retry(now):
    call_command("seed_demo", stdout=None)
    call_command("seed_demo", stdout=None)

    refund = Refund.objects.get(status=RefundStatus.FAILED)
    assert (refund.amount_paise, refund.payment.gateway) == (20_000, "test")
    buyer = refund.payment.pack_purchase.candidate  # no invoiced session without a GSTIN
    assert [item.url for item in attention_refunds(now=now)] == [
        f"/console/people/{buyer.pk}/#refund-{refund.pk}"
    ]
    # The test gateway's books hold the payment: a retry is refunded.
    retry, _ = refund_retry(failed=refund, reason="Demo")
    assert refund_send(refund=retry, gateway=get_gateway()).status == RefundStatus.PROCESSED
