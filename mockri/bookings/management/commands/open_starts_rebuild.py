from django.core.management.base import BaseCommand

from mockri.bookings.open_starts import open_starts_rebuild


class Command(BaseCommand):
    help = (
        "Build the table of open starts afresh from every bookable interviewer's rules and "
        "bookings (after a bulk load that skipped the model signals; the hourly chain keeps it "
        "going). Pages ask the slot engine until it is built."
    )

    def handle(self, *args, **options):
        written = open_starts_rebuild()  # in short transactions of its own
        self.stdout.write(f"Open starts: {written} rows.")
