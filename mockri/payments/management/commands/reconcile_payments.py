from django.core.management.base import BaseCommand
from django.utils import timezone

from mockri.lib.tasks import start_chain
from mockri.payments.gateways import get_gateway
from mockri.payments.services import payments_reconcile
from mockri.payments.tasks import payments_reconcile_task


class Command(BaseCommand):
    help = (
        "Settle payments, refunds and holds the webhooks left pending. With --schedule, make sure "
        "the task worker does it every 15 minutes instead."
    )

    def add_arguments(self, parser):
        parser.add_argument("--schedule", action="store_true")

    def handle(self, *args, schedule=False, **options):
        if schedule:
            start_chain(payments_reconcile_task)
            self.stdout.write("Payment reconciliation runs in the task worker every 15 minutes.")
            return
        counts = payments_reconcile(gateway=get_gateway(), now=timezone.now())
        self.stdout.write(f"Reconciled: {counts}")
