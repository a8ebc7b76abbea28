from django.core.management.base import BaseCommand

from monitoring.metrics.walks import walk_interfaces


class Command(BaseCommand):
    help = "Walk the interface table of SNMP assets now (GETBULK) and keep it, to choose the watched interfaces from."

    def add_arguments(self, parser):
        parser.add_argument("assets", nargs="+", type=int, metavar="ID", help="asset ids")

    def handle(self, *args, assets, **options):
        errors = walk_interfaces(assets)
        for asset_id in assets:
            if asset_id not in errors:
                self.stdout.write(self.style.WARNING(f"{asset_id}: not polled by SNMP"))
            elif errors[asset_id]:
                self.stdout.write(self.style.ERROR(f"{asset_id}: {errors[asset_id]}"))
            else:
                self.stdout.write(self.style.SUCCESS(f"{asset_id}: walked"))
