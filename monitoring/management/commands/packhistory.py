from django.core.management.base import BaseCommand
from django.utils import timezone

from monitoring.history import pack_legacy


class Command(BaseCommand):
    help = (
        "Pack the history kept one row a result before hour blocks (PostgreSQL, after migration 0008) into blocks, "
        "an hour at a time, while the poller runs; the poller's hourly upkeep does it too, a little each hour."
    )

    def handle(self, *args, **options):
        def progress(hour, written):
            self.stdout.write(f"{timezone.localtime(hour):%Y-%m-%d %H.%M %Z}: {written} blocks so far")

        written, _done = pack_legacy(timezone.now(), progress=progress)
        self.stdout.write(self.style.SUCCESS(f"History packed: {written} blocks; the old table is gone."))
