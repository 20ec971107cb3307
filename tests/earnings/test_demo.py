"""`make run`'s demo shows every screen of the supply side: the application queue, an
interviewer's month of earnings, staff's statements, and enough to make a payout batch."""

import datetime

import pytest
from django.core.management import call_command
from django.urls import reverse

from mockri.accounts.models import User
from mockri.earnings.models import EarningEntry, PayoutBatch
from mockri.interviewers.demo import DEMO_APPLICATIONS
from tests.fixtures import NOW

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(now):
    call_command("seed_demo", stdout=None)


def test_the_demo_staff_see_two_pending_applications_and_every_interviewers_statement(
    client, demo, two_factor
):
    staff = User.objects.get(email="staff@mockri.test")
    two_factor(staff)
    client.force_login(staff)

    queue = client.get(reverse("interviewers:queue")).text
    statements = client.get(reverse("earnings:console_statements")).text

    assert all(spec["full_name"] in queue for spec in DEMO_APPLICATIONS)
    live = User.objects.filter(interviewer_profile__went_live_at__isnull=False)
    assert all(user.interviewer_profile.display_name in statements for user in live)


def test_a_demo_interviewer_has_a_month_of_earnings_on_their_page(client, demo, two_factor):
    sarah = User.objects.get(email="sarah@mockri.test")
    two_factor(sarah)
    client.force_login(sarah)

    page = client.get(reverse("earnings:home"))

    earned = EarningEntry.objects.filter(interviewer__user=sarah).values_list(
        "earned_at", flat=True
    )
    assert NOW - max(earned) < datetime.timedelta(days=7)
    assert NOW - min(earned) > datetime.timedelta(days=30)
    assert page.status_code == 200 and "Waiting to be paid" in page.text
    assert "Payouts go to" in page.text  # the demo's payout details, masked


def test_the_demo_staff_can_make_last_months_payout_batch(client, demo, two_factor):
    staff = User.objects.get(email="staff@mockri.test")
    two_factor(staff)
    client.force_login(staff)

    made = client.post(
        reverse("earnings:console_batches"),
        {"period_start": "2026-11-01", "period_end": "2026-11-30"},
    )

    batch = PayoutBatch.objects.get()
    assert made["Location"] == reverse("earnings:console_batch", args=[batch.pk])
    assert batch.lines.count() == 6  # every live demo interviewer earned over the minimum
