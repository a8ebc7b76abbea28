import asyncio
import sys
from collections import Counter

from django.core.management.base import BaseCommand, CommandError

from assets.models import Asset
from monitoring.runner import PollRunner


class Command(BaseCommand):
    help = "Poll now, by hand: one sweep with a progress bar and a summary table. Results are recorded."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", required=True, help="one sweep (the only mode)")
        parser.add_argument("--agency", action="append", dest="agencies", metavar="CODE")
        parser.add_argument("--asset", action="append", dest="assets", type=int, metavar="ID")

    def handle(self, *args, **options):
        report = asyncio.run(self._sweep(PollRunner(agency_codes=options["agencies"], asset_ids=options["assets"])))
        if not report.jobs:
            raise CommandError("No monitored asset matches (an address and status in service/faulty/in repair).")
        self._summary(report)

    async def _sweep(self, runner: PollRunner):
        async with runner:
            return await runner.cycle(force=True, progress=self._progress)

    def _progress(self, done: int, total: int) -> None:
        width = 30
        filled = width * done // total
        if done != total and filled == width * (done - 1) // total:
            return  # called for every asset from inside the sweep: redraw only when the bar grows
        sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} aset")
        if done == total:
            sys.stderr.write("\n")
        sys.stderr.flush()

    def _summary(self, report) -> None:
        verdicts = Counter(o.verdict for o in report.observations)
        self.stdout.write(
            f"Polled {report.jobs} assets in {report.poll_s:.1f} s: "
            + ", ".join(f"{count} {verdict}" for verdict, count in sorted(verdicts.items()))
        )
        trouble = [o for o in report.observations if o.verdict != "up"]
        if trouble:
            names = dict(Asset.objects.filter(pk__in=[o.asset_id for o in trouble]).values_list("pk", "name"))
            rows = [
                (
                    str(o.asset_id),
                    names.get(o.asset_id, "?"),
                    o.verdict,
                    "-" if o.rtt_ms is None else f"{o.rtt_ms:.1f}",
                    "-" if o.loss is None else f"{o.loss:.0%}",
                    o.reason,
                )
                for o in trouble
            ]
            header = ("ID", "Aset", "Hasil", "RTT ms", "Loss", "Alasan")
            widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
            for row in [header, *rows]:
                self.stdout.write("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)))
        if report.recorded is None:
            self.stderr.write(self.style.WARNING("Database unavailable: results were not recorded."))
        else:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Recorded: {report.recorded.samples} samples, {len(report.recorded.transitions)} state changes, "
                    f"{report.recorded.outages_opened} outages opened, {report.recorded.outages_closed} closed."
                )
            )
