"""The console's demo data: page views for the conversion figures and one failed email."""

import pytest
from django.core.management import call_command

from mockri.notifications.models import OutboxEmail, OutboxStatus
from mockri.operations.models import FunnelDay

pytestmark = pytest.mark.django_db


def test_seed_demo_gives_the_console_a_fortnight_of_page_views_and_a_failed_email(now):
    call_command("seed_demo", stdout=None)
    call_command("seed_demo", stdout=None)

    assert FunnelDay.objects.count() == 28
    failed = OutboxEmail.objects.get(status=OutboxStatus.FAILED)
    assert failed.to_address == "candidate@mockri.test"
