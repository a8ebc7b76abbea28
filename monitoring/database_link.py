"""The central runner's source and sink: claims from the database and the recorder, on one thread of their own.

While the database is away, the runner polls from memory; what that moved (next slots, a wall-clock step)
is written here before the next claim or record, so the database's times follow the runner's.
"""

import asyncio
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime

from django.conf import settings
from django.db import DatabaseError, close_old_connections, connections
from django.utils.module_loading import import_string

from monitoring.clock import PollClock
from monitoring.history import upkeep as history_upkeep
from monitoring.observations import Observation
from monitoring.poll import PollJob
from monitoring.recorder import RecordSummary, follow_clock_step, record
from monitoring.runner import Unavailable
from monitoring.schedule import Schedule
from monitoring.targets import claim_due_jobs, results_ahead_s, set_next_polls

log = logging.getLogger("simpul.poller")
# A cycle hook takes at most this share of the poller's time. The hooks catch up on whatever is new (alerts
# read transitions past a cursor, the dashboard recomputes all of it), so a skipped run loses nothing: one that
# took 10 ms runs after every cycle, the dashboard of 100,000 assets (1-1.5 s) every 20-30 s, not after each
# of the many cycles a minute that a fleet spread over its slots makes.
HOOK_SHARE = 0.05


class DatabaseLink:
    label = "database"

    def __init__(self, *, agency_codes: list[str] | None, asset_ids: list[int] | None, clock: PollClock) -> None:
        self.agency_codes, self.asset_ids, self.clock = agency_codes, asset_ids, clock
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="simpul-db")
        self._step_s = 0.0  # a wall-clock step the database's times have not followed yet
        self._slots: dict[int, float] = {}  # assets polled from memory: their next slot is not in the database
        self._stepped: list[int] = []  # the assets whose times the step moves
        self._hooks_due: dict[str, float] = {}  # monotonic: when each cycle hook may run again (HOOK_SHARE)

    async def __aenter__(self) -> "DatabaseLink":
        return self

    async def __aexit__(self, *exc_info) -> None:
        await self._db(connections.close_all)  # the thread's own connection, before the thread ends
        self._thread.shutdown(wait=True)

    async def _db(self, function: Callable, *args, **kwargs):
        """Run Django database work on one dedicated thread (its connection), off the event loop."""

        def call():
            close_old_connections()
            return function(*args, **kwargs)

        return await asyncio.get_running_loop().run_in_executor(self._thread, call)

    async def _sync(self) -> None:
        """Bring the database's times in line with the runner's: a clock step, slots kept in memory."""
        if self._step_s:
            await self._db(follow_clock_step, list(self._stepped), self._step_s)
            self._step_s = 0.0
        if self._slots:
            await self._db(set_next_polls, {pk: self.clock.at(slot) for pk, slot in self._slots.items()})
            self._slots = {}

    async def claim(
        self, *, at: float, due: list[int], known: Schedule, discover: bool, limit: int, force: bool
    ) -> list[PollJob]:
        try:
            await self._sync()
            return await self._db(
                claim_due_jobs,
                at=at,
                due=due,
                known=known,
                discover=discover,
                agency_codes=self.agency_codes,
                asset_ids=self.asset_ids,
                limit=limit,
                force=force,
            )
        except DatabaseError as error:
            raise Unavailable(error) from error

    async def polled_from_memory(self, slots: dict[int, float]) -> None:
        self._slots.update(slots)

    async def follow_step(self, asset_ids: list[int], seconds: float) -> None:
        self._stepped = asset_ids
        self._slots = {pk: slot + seconds for pk, slot in self._slots.items()}
        self._step_s += seconds

    async def prepare(self, now: datetime) -> bool:
        """Results labelled ahead of this clock: it was set back while no poller ran. Follow that step too.

        Otherwise nothing would be due, and every result would look older than the last, for as long as
        the step. How long the poller was stopped is unknown: that time counts as none.
        """
        try:
            ahead, asset_ids = await self._db(
                results_ahead_s, now, agency_codes=self.agency_codes, asset_ids=self.asset_ids
            )
            if ahead >= self.clock.step_s:
                log.warning("results are labelled up to %.0f s ahead: the wall clock was set back while stopped", ahead)
                await self._db(follow_clock_step, asset_ids, -ahead)
        except DatabaseError:
            return False  # the claim says so; checked once the database answers
        return True

    async def record(self, observations: list[Observation], now: datetime) -> RecordSummary:
        try:
            await self._sync()
            summary = await self._db(record, observations, now=now)
        except DatabaseError as error:
            raise Unavailable(error) from error
        await self._cycle_hooks(now)
        return summary

    async def react(self, now: datetime) -> None:
        await self._cycle_hooks(now)

    async def upkeep(self, now: datetime) -> None:
        """Pack finished hours into blocks (with their rollups) and prune; then the other apps' hourly work."""
        try:
            packed, pruned = await self._db(history_upkeep, now)
        except DatabaseError as error:
            raise Unavailable(error) from error
        for path in settings.POLL_HOURLY_HOOKS:
            await self._hook(path, now)
        log.info("hourly upkeep: %d hour blocks packed, %d old blocks pruned", packed, pruned)

    async def _cycle_hooks(self, now: datetime) -> None:
        """The other apps' reactions to a cycle, each skipped until it is due again (HOOK_SHARE)."""
        for path in settings.POLL_CYCLE_HOOKS:
            started = self.clock.monotonic()
            if started < self._hooks_due.get(path, started):
                continue
            await self._hook(path, now)
            self._hooks_due[path] = started + (self.clock.monotonic() - started) / HOOK_SHARE

    async def _hook(self, path: str, now: datetime) -> None:
        """Run a configured reaction of another app; its failure never stops the poller."""
        try:
            await self._db(import_string(path), now)
        except Exception:  # a hook's bug must not stop monitoring: log it with its traceback
            log.exception("poll hook %s failed", path)
