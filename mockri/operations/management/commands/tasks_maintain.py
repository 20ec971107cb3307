from django.core.management.base import BaseCommand
from django.utils import timezone

from mockri.operations.task_queue import task_queue_maintain


class Command(BaseCommand):
    help = (
        "Requeue (or fail) tasks left running by a crashed worker and start any periodic chain "
        "(reconciliation, stuck-email recovery, retention) that has no run waiting. Vercel Cron "
        "does this before each drain; on a plain server a timer runs this every few minutes."
    )

    def handle(self, *args, **options):
        done = task_queue_maintain(now=timezone.now())
        self.stdout.write(
            f"Requeued {len(done['reaped']['requeued'])} and failed "
            f"{len(done['reaped']['failed'])} abandoned tasks; started chains: "
            f"{', '.join(done['chains_started']) or 'none needed'}."
        )
