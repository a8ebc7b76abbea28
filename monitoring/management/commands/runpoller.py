import asyncio
import contextlib
import logging
import os
import signal
import threading

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.module_loading import import_string

from monitoring.runner import PollRunner


def _stop_hooks() -> None:
    for path in settings.POLL_STOP_HOOKS:
        import_string(path)()


class Command(BaseCommand):
    help = (
        "Poll every monitored asset at its own interval, in one process (the embedded default; no broker). "
        "With --remote, poll this poller's assignment from the centre and ship the results there."
    )

    def add_arguments(self, parser):
        parser.add_argument("--agency", action="append", dest="agencies", metavar="CODE", help="only this agency")
        parser.add_argument("--remote", metavar="URL", help="the centre, e.g. https://simpul.example/")
        parser.add_argument(
            "--token", help="the poller's token (createpoller); default: the environment's SIMPUL_POLLER_TOKEN"
        )

    def handle(self, *args, **options):
        logging.getLogger("simpul").setLevel(logging.INFO)
        if options["remote"]:
            token = options["token"] or os.environ.get("SIMPUL_POLLER_TOKEN", "")
            if not token:
                raise CommandError("A remote poller needs its token: --token or SIMPUL_POLLER_TOKEN.")
            from monitoring.remote.link import InsecureCentre, centre_client  # httpx: only a remote poller needs it

            try:
                client = centre_client(options["remote"], token)
            except InsecureCentre as error:
                raise CommandError(str(error)) from None
            asyncio.run(self._run(self._remote_runner(client), client))
            self.stdout.write(self.style.SUCCESS("Poller stopped cleanly."))
            return
        asyncio.run(self._run(PollRunner(agency_codes=options["agencies"])))
        _stop_hooks()  # and wait for them: later apps' threads finish their work in flight (alert sender)
        self.stdout.write(self.style.SUCCESS("Poller stopped cleanly."))

    @staticmethod
    def _remote_runner(client) -> PollRunner:
        """The same loop with the centre's assignment as its source and the spool, shipped, as its sink."""
        from monitoring.remote.shipper import SpoolingShipper
        from monitoring.remote.source import AssignmentSource
        from monitoring.remote.spool import Spool

        spool = Spool(
            settings.VAR_DIR / "spool.sqlite3",
            max_rows=settings.POLLER_SPOOL_MAX_ROWS,
            max_age_s=settings.POLLER_SPOOL_MAX_DAYS * 86400,
        )
        return PollRunner(
            source=AssignmentSource(client, settings.VAR_DIR),
            sink=SpoolingShipper(client, spool, batch=settings.POLLER_SHIP_BATCH),
        )

    async def _run(self, runner: PollRunner, client=None) -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        remote = client is not None

        def stopping():
            # Finish the cycle in flight, record it, then leave; the other apps' threads take no new work
            # from now on (told on a thread of their own: the hooks wait for the work in flight).
            stop.set()
            if not remote:
                threading.Thread(target=_stop_hooks, name="simpul-stop-hooks", daemon=True).start()

        for signum in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(signum, stopping)
        self.stdout.write("Poller running; SIGTERM or Ctrl-C stops it after the current cycle.")
        async with client or contextlib.nullcontext(), runner:
            await runner.run(stop)
