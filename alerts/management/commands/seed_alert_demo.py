from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from alerts.demo import seed_alert_demo


class Command(BaseCommand):
    help = "Give every agency with users an email channel and a duty roster for this week (demo). Safe to re-run."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("The demo roster is for a local trial: refused with DEBUG off.")
        created = seed_alert_demo()
        self.stdout.write(self.style.SUCCESS(f"Alert demo: {created} duty assignments created."))
