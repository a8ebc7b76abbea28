import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

# An entry point, not a library: it calls each later app's demo too, in the order data flows (DESIGN.md).
from assets.seed import DEMO_USERS, seed_demo_users, seed_kaltim
from assets.stock_seed import seed_spare_stock
from assets.stocktake_seed import seed_stocktake_demo
from maintenance.demo import seed_maintenance_demo
from monitoring.demo import seed_network_demo
from reports.demo import seed_report_demo
from rollcalls.seed import seed_roll_call_schedules


class Command(BaseCommand):
    help = (
        "Load the East Kalimantan BPBDs, their sites and demo assets (loopback addresses), with 90 days of "
        "history and one failure for the poller to find. Safe to re-run."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--demo-users",
            metavar="PASSWORD",
            help="Also create one demo login per role (only allowed with DEBUG on).",
        )

    def handle(self, *args, **options):
        started = time.perf_counter()
        summary = seed_kaltim()
        created = ", ".join(f"{count} {name}" for name, count in summary.created.items())
        self.stdout.write(self.style.SUCCESS(f"Kaltim seed: created {created}."))
        self.stdout.write(f"Spare-part stock: created {seed_spare_stock()} items.")
        nets = seed_roll_call_schedules()  # the roll-call app's demo nets, over the radios just seeded
        self.stdout.write(self.style.SUCCESS(f"Roll-call nets: created {nets}."))
        if options["demo_users"]:
            if not settings.DEBUG:
                raise CommandError("Demo logins are for a local trial: refused with DEBUG off.")
            seed_demo_users(options["demo_users"])
            logins = ", ".join(f"{name} ({code}, {role})" for name, code, role in DEMO_USERS)
            self.stdout.write(f"Demo logins (password as given): {logins}")
            self.stdout.write(f"Stocktakes: created {seed_stocktake_demo()} closed and signed.")
        network = seed_network_demo()
        self.stdout.write(f"Network: created {', '.join(f'{n} {name}' for name, n in network.created.items())}.")
        self.stdout.write(f"Maintenance: created {seed_maintenance_demo()} work orders.")
        self.stdout.write(f"Reports: created {seed_report_demo()} monthly reports.")
        self.stdout.write(f"Seeded in {time.perf_counter() - started:.1f} s.")
