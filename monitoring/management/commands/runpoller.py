import asyncio
import logging
import signal
import threading

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils.module_loading import import_string

from monitoring.runner import PollRunner


def _stop_hooks() -> None:
    for path in settings.POLL_STOP_HOOKS:
        import_string(path)()


class Command(BaseCommand):
    help = "Poll every monitored asset at its own interval, in one process (the embedded default; no broker)."

    def add_arguments(self, parser):
        parser.add_argument("--agency", action="append", dest="agencies", metavar="CODE", help="only this agency")

    def handle(self, *args, **options):
        logging.getLogger("simpul").setLevel(logging.INFO)
        asyncio.run(self._run(PollRunner(agency_codes=options["agencies"])))
        _stop_hooks()  # and wait for them: later apps' threads finish their work in flight (alert sender)
        self.stdout.write(self.style.SUCCESS("Poller stopped cleanly."))

    async def _run(self, runner: PollRunner) -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()

        def stopping():
            # Finish the cycle in flight, record it, then leave; the other apps' threads take no new work
            # from now on (told on a thread of their own: the hooks wait for the work in flight).
            stop.set()
            threading.Thread(target=_stop_hooks, name="simpul-stop-hooks", daemon=True).start()

        for signum in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(signum, stopping)
        self.stdout.write("Poller running; SIGTERM or Ctrl-C stops it after the current cycle.")
        async with runner:
            await runner.run(stop)
