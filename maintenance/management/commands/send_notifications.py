from django.core.management.base import BaseCommand

from maintenance.notifications import deliver_due


class Command(BaseCommand):
    help = "Send the notifications that are due (email and signed webhooks), with retries and backoff."

    def handle(self, *args, **options):
        counts = deliver_due()
        self.stdout.write(self.style.SUCCESS(", ".join(f"{n} {k}" for k, n in counts.items())))
