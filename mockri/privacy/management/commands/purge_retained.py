from django.core.management.base import BaseCommand
from django.utils import timezone

from mockri.lib.tasks import start_chain
from mockri.privacy.services import retention_run
from mockri.privacy.tasks import retention_purge_task


class Command(BaseCommand):
    help = (
        "Apply retention: job descriptions and resumes, download links and inactive accounts "
        "past their time. With --schedule, make sure the task worker does it every 6 hours "
        "instead."
    )

    def add_arguments(self, parser):
        parser.add_argument("--schedule", action="store_true")

    def handle(self, *args, schedule=False, **options):
        if schedule:
            start_chain(retention_purge_task)
            self.stdout.write("Retention runs in the task worker every 6 hours.")
            return
        self.stdout.write(f"Retention: {retention_run(now=timezone.now())}")
