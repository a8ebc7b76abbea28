from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from assets.models import Agency
from simpul.backup import restore


class Command(BaseCommand):
    help = "Load a backup into an empty, migrated database (run `migrate` first) and restore the uploads."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)

    def handle(self, *args, path: Path, **options):
        if Agency.objects.exists():
            raise CommandError("The database is not empty: restore goes into a fresh database only.")
        counts = restore(path)
        self.stdout.write(self.style.SUCCESS(f"Restored {counts['rows']} rows and {counts['files']} files."))
