from pathlib import Path

from django.core.management.base import BaseCommand

from simpul.backup import backup


class Command(BaseCommand):
    help = "Write every table and every uploaded file to one .tar.gz (secrets stay encrypted)."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="where to write, e.g. simpul-2026-11-29.tar.gz")

    def handle(self, *args, path: Path, **options):
        counts = backup(path)
        self.stdout.write(self.style.SUCCESS(f"{path}: {counts['rows']} rows, {counts['files']} files."))
