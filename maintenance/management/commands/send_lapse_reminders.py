from django.core.management.base import BaseCommand
from django.utils import timezone

from maintenance.reminders import send_lapse_reminders


class Command(BaseCommand):
    help = (
        "Remind each agency of what lapses soon (warranties, contracts, licences, fees, batteries, end of life), "
        "once per item and lead time. Safe to run repeatedly."
    )

    def handle(self, *args, **options):
        summary = send_lapse_reminders(today=timezone.localdate())
        self.stdout.write(
            self.style.SUCCESS(
                f"{summary.items} items reminded at {summary.agencies} agencies, "
                f"{summary.deliveries} notifications queued."
            )
        )
