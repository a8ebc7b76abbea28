from django.core.management.base import BaseCommand, CommandError

from simpul import catalogue


class Command(BaseCommand):
    help = "Bring locale/en up to date with the code, compile it, and list the strings that still lack English."

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="fail when any string lacks English")

    def handle(self, *args, check: bool, **options):
        missing = catalogue.update()
        for msgid in missing:
            self.stdout.write(f"  untranslated or fuzzy: {msgid}")
        if missing and check:
            raise CommandError(f"{len(missing)} strings lack English in {catalogue.PO}.")
        done = f"{catalogue.PO}: up to date, {len(missing)} strings lack English."
        self.stdout.write(self.style.WARNING(done) if missing else self.style.SUCCESS(done))
