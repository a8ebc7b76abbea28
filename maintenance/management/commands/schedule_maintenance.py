from django.core.management.base import BaseCommand
from django.utils import timezone

from maintenance.scheduler import schedule_maintenance


class Command(BaseCommand):
    help = "Create the preventive work orders due within each plan's lead time. Safe to run repeatedly."

    def handle(self, *args, **options):
        summary = schedule_maintenance(today=timezone.localdate())
        self.stdout.write(self.style.SUCCESS(f"{summary.plans} plans, {summary.created} work orders created."))
