from django.core.management.base import BaseCommand
from django.utils import timezone

from mockri.lib.tasks import start_chain
from mockri.notifications.tasks import outbox_recover_task, outbox_requeue_stuck


class Command(BaseCommand):
    help = (
        "Requeue emails a dead worker left half-sent. With --schedule, make sure the task worker "
        "does it every 10 minutes instead."
    )

    def add_arguments(self, parser):
        parser.add_argument("--schedule", action="store_true")

    def handle(self, *args, schedule=False, **options):
        if schedule:
            start_chain(outbox_recover_task)
            self.stdout.write("Stuck emails are requeued by the task worker every 10 minutes.")
            return
        self.stdout.write(f"Requeued {outbox_requeue_stuck(now=timezone.now())} stuck emails.")
