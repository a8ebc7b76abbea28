"""The poll loop shared by `runpoller`, `poll --once` and the Celery tasks.

It claims due assets, polls them with one engine (one ICMP socket per family, one SNMP engine),
and hands the observations to the recorder. Each asset is polled at a fixed rate (monitoring.schedule)
on the monotonic clock, and results are labelled from it (monitoring.clock): a stepped wall clock moves
the labels, never the schedule or a duration. The database may vanish for a while: the loop then keeps
polling the assets it already knows on their schedule, keeps every observation, and writes them all,
in order, once the database answers again, so no state transition is lost.
"""

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db import DatabaseError, close_old_connections, connections
from django.utils.module_loading import import_string

from monitoring.clock import PollClock
from monitoring.engine import IcmpPinger, SnmpPoller
from monitoring.observations import Observation
from monitoring.poll import PollJob, poll
from monitoring.recorder import RecordSummary, follow_clock_step, record
from monitoring.rollups import prune_samples, roll_up_completed_hours
from monitoring.schedule import Schedule
from monitoring.targets import claim_due_jobs, results_ahead_s, set_next_polls

log = logging.getLogger("simpul.poller")
MAX_BUFFERED = 2_000_000  # observations kept while the database is away (about an hour of 30,000 assets)
TICK_S = 1.0  # the longest wait between cycles; new assets and the wall clock are looked at this often
MIN_WAIT_S = 0.2  # the shortest: slots closer together than this are polled in one cycle
DB_WARNING_EVERY_S = 60.0  # while the database is away, say so once a minute
UPKEEP_AFTER_HOUR_S = 5.0  # the upkeep waits this long after each hour, for the hour's last results


@dataclass
class CycleReport:
    jobs: int = 0
    observations: list[Observation] = field(default_factory=list)
    recorded: RecordSummary | None = None
    poll_s: float = 0.0
    record_s: float = 0.0


class PollRunner:
    def __init__(
        self,
        *,
        agency_codes: list[str] | None = None,
        asset_ids: list[int] | None = None,
        icmp_count: int | None = None,
        timeout: float | None = None,
        clock: PollClock | None = None,
    ) -> None:
        self.agency_codes, self.asset_ids = agency_codes, asset_ids
        self.icmp_count = icmp_count or settings.POLL_ICMP_COUNT
        self.timeout = timeout or settings.POLL_TIMEOUT_S
        self.clock = clock or PollClock()
        self.schedule = Schedule()  # every asset polled so far and its next slot, also while the database is away
        self.pending: list[Observation] = []
        self._db_thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="simpul-db")
        self._step_s = 0.0  # a wall-clock step the database's times have not followed yet
        self._resync: set[int] = set()  # assets polled from memory: their next slot is not in the database
        self._away_since: float | None = None  # monotonic; set while the database is away
        self._next_db_warning, self._held_back = 0.0, 0
        self._next_upkeep: float | None = None  # monotonic
        self._next_discovery = 0.0  # monotonic: when to ask the database for assets this runner does not know
        self._labels_checked = False  # against the database's, at start (run)
        self._stack = contextlib.AsyncExitStack()

    async def __aenter__(self) -> "PollRunner":
        """Open the engine: one ICMP socket per family and one SNMP engine for the runner's lifetime."""
        self.pinger = await self._stack.enter_async_context(IcmpPinger())
        self.snmp = await self._stack.enter_async_context(
            SnmpPoller(concurrency=settings.SNMP_CONCURRENCY, timeout=self.timeout)
        )
        self._stack.callback(self._db_thread.shutdown, wait=True)
        self._stack.push_async_callback(self._db, connections.close_all)  # the thread's own, before it ends
        return self

    async def __aexit__(self, *exc_info) -> None:
        await self._stack.aclose()

    async def _db(self, function: Callable, *args, **kwargs):
        """Run Django database work on one dedicated thread (its connection), off the event loop."""

        def call():
            close_old_connections()
            return function(*args, **kwargs)

        return await asyncio.get_running_loop().run_in_executor(self._db_thread, lambda: call())

    async def _claim(self, *, force: bool, limit: int, until: datetime | None) -> list[PollJob]:
        at = self.clock.seconds()
        if until is not None:
            at = max(at, until.timestamp())  # a batch handed out for a slot starts no earlier than the slot
        due = [] if force else self.schedule.due(at)[:limit]
        started = self.clock.monotonic()
        discover = started >= self._next_discovery
        jobs = None
        # While the database is away with results waiting, poll from memory at once: waiting for it to refuse
        # first would make every poll late by its timeout. The flush of those results tries it again after.
        if self._away_since is None or not self.pending:
            try:
                await self._sync_database()
                jobs = await self._db(
                    claim_due_jobs,
                    at=at,
                    due=due,
                    known=self.schedule,
                    discover=discover,
                    agency_codes=self.agency_codes,
                    asset_ids=self.asset_ids,
                    limit=limit,
                    force=force,
                )
            except DatabaseError as error:
                self._db_unavailable(error, "polling known assets from memory")
            else:
                self.schedule.drop(set(due) - {job.asset_id for job in jobs})  # retired, moved or no longer polled
                if discover:
                    self._next_discovery = started + TICK_S
        if jobs is None:
            jobs = self.schedule.jobs(None if force else due)
            self._resync.update(job.asset_id for job in jobs)
        for job in jobs:
            self.schedule.started(job, at)
        return jobs

    async def _flush(self) -> RecordSummary | None:
        """Write every buffered observation; keep them all for the next try if the database is away."""
        if not self.pending:
            return None
        now = self.clock.now()
        try:
            await self._sync_database()
            summary = await self._db(record, self.pending, now=now)
        except DatabaseError as error:
            if len(self.pending) > MAX_BUFFERED:
                del self.pending[: len(self.pending) - MAX_BUFFERED]
            self._db_unavailable(error, "%d observations kept for later", len(self.pending))
            return None
        self._db_back()
        self.pending = []
        await self._hooks(settings.POLL_CYCLE_HOOKS, now)
        return summary

    def _follow_step(self, seconds: float) -> None:
        """The labels jumped with a stepped wall clock: move every time held in the old labels with them."""
        self.schedule.shift(seconds)
        for observation in self.pending:
            observation.at += timedelta(seconds=seconds)
        self._step_s += seconds

    async def _sync_database(self) -> None:
        """Bring the database's times in line with this runner's: a clock step, slots kept in memory."""
        if self._step_s:
            await self._db(follow_clock_step, list(self.schedule), self._step_s)
            self._step_s = 0.0
        if self._resync:
            slots = self.schedule.slots(self._resync)
            await self._db(set_next_polls, {pk: self.clock.at(slot) for pk, slot in slots.items()})
            self._resync.clear()

    def _db_unavailable(self, error: DatabaseError, message: str, *args) -> None:
        """Say that the database is away at most once a minute, with how many such warnings were held back."""
        now = self.clock.monotonic()
        self._away_since = self._away_since or now
        if now < self._next_db_warning:
            self._held_back += 1
            return
        held = f" ({self._held_back} more such warnings held back)" if self._held_back else ""
        log.warning(f"database unavailable (%s): {message}{held}", error, *args)
        self._next_db_warning, self._held_back = now + DB_WARNING_EVERY_S, 0

    def _db_back(self) -> None:
        if self._away_since is not None:
            log.info("database back after %.0f s", self.clock.monotonic() - self._away_since)
            self._away_since = None

    async def _hooks(self, paths: list[str], now: datetime) -> None:
        """Run the configured reactions of other apps; their failure never stops the poller."""
        for path in paths:
            try:
                await self._db(import_string(path), now)
            except Exception:  # a hook's bug must not stop monitoring: log it with its traceback
                log.exception("poll hook %s failed", path)

    async def _upkeep(self) -> None:
        """Roll up and prune at start, then once an hour of the monotonic clock, just after each labelled hour.

        A stepped wall clock moves the labels, not this deadline: the upkeep never runs twice for a step.
        """
        started = self.clock.monotonic()
        if self._next_upkeep is not None and started < self._next_upkeep:
            return
        now = self.clock.now()
        try:
            rolled = await self._db(roll_up_completed_hours, now)
            pruned = await self._db(prune_samples, now)
        except DatabaseError as error:
            self._db_unavailable(error, "hourly upkeep postponed")
            return
        into_hour = now - now.replace(minute=0, second=0, microsecond=0)
        self._next_upkeep = started + 3600 - into_hour.total_seconds() + UPKEEP_AFTER_HOUR_S
        await self._hooks(settings.POLL_HOURLY_HOOKS, now)
        log.info("hourly upkeep: %d rollup rows written, %d old samples pruned", rolled, pruned)

    async def cycle(
        self,
        *,
        force: bool = False,
        limit: int | None = None,
        progress: Callable[[int, int], None] | None = None,
        until: datetime | None = None,
    ) -> CycleReport:
        """Claim, poll and record once: the assets due now, or by `until` (a batch's slot); all with `force`.

        `progress(done, total)` is called as assets' results come in, from inside the one sweep.
        """
        report = CycleReport()
        jobs = await self._claim(force=force, limit=limit or settings.POLL_BATCH_LIMIT, until=until)
        report.jobs = len(jobs)
        started = time.perf_counter()
        report.observations = await poll(
            jobs,
            pinger=self.pinger,
            snmp_poller=self.snmp,
            icmp_count=self.icmp_count,
            icmp_timeout=self.timeout,
            progress=progress,
            clock=self.clock.now,
        )
        report.poll_s = time.perf_counter() - started
        self.pending += report.observations
        started = time.perf_counter()
        report.recorded = await self._flush()
        report.record_s = time.perf_counter() - started
        return report

    async def run(self, stop: asyncio.Event) -> None:
        """Poll until `stop` is set; the cycle in flight is finished (and recorded) before returning."""
        while not stop.is_set():
            step = self.clock.follow_wall()
            if step:
                self._follow_step(step)
            if not self._labels_checked:
                await self._check_labels()
            report = await self.cycle()
            if report.jobs:
                summary = report.recorded
                log.info(
                    "cycle: %d assets polled in %.2fs, recorded in %.2fs%s",
                    report.jobs,
                    report.poll_s,
                    report.record_s,
                    f", {len(summary.transitions)} state changes" if summary else " (buffered)",
                )
            await self._upkeep()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=self._wait())

    async def _check_labels(self) -> None:
        """Results labelled ahead of this clock: it was set back while no poller ran. Follow that step too.

        Otherwise nothing would be due, and every result would look older than the last, for as long as
        the step. How long the poller was stopped is unknown: that time counts as none.
        """
        try:
            ahead, asset_ids = await self._db(
                results_ahead_s, self.clock.now(), agency_codes=self.agency_codes, asset_ids=self.asset_ids
            )
            if ahead >= self.clock.step_s:
                log.warning("results are labelled up to %.0f s ahead: the wall clock was set back while stopped", ahead)
                await self._db(follow_clock_step, asset_ids, -ahead)
        except DatabaseError:
            return  # the claim says so; checked once the database answers
        self._labels_checked = True

    def _wait(self) -> float:
        """Seconds until the next slot, within [MIN_WAIT_S, TICK_S]."""
        next_due = self.schedule.next_due()
        if next_due is None:
            return TICK_S
        return min(max(next_due - self.clock.seconds(), MIN_WAIT_S), TICK_S)
