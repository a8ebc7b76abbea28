"""The poll loop shared by `runpoller`, `poll --once` and the Celery tasks.

It claims due assets, polls them with one engine (one ICMP socket per family, one SNMP engine),
and hands the observations to the recorder. The database may vanish for a while: the loop then
keeps polling the assets it already knows, keeps every observation, and writes them all, in
order, once the database answers again, so no state transition is lost.
"""

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.db import DatabaseError, close_old_connections
from django.utils.module_loading import import_string

from monitoring.engine import IcmpPinger, SnmpPoller
from monitoring.observations import Observation
from monitoring.poll import PollJob, poll
from monitoring.recorder import RecordSummary, record
from monitoring.rollups import prune_samples, roll_up_completed_hours
from monitoring.targets import claim_due_jobs

log = logging.getLogger("simpul.poller")
MAX_BUFFERED = 2_000_000  # observations kept while the database is away (about an hour of 30,000 assets)


def utcnow() -> datetime:
    return datetime.now(UTC)


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
    ) -> None:
        self.agency_codes, self.asset_ids = agency_codes, asset_ids
        self.icmp_count = icmp_count or settings.POLL_ICMP_COUNT
        self.timeout = timeout or settings.POLL_TIMEOUT_S
        self.known: dict[int, tuple[PollJob, datetime]] = {}  # asset id -> (job, when due), for DB outages
        self.pending: list[Observation] = []
        self._db_thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="simpul-db")
        self._last_upkeep_hour: datetime | None = None
        self._stack = contextlib.AsyncExitStack()

    async def __aenter__(self) -> "PollRunner":
        """Open the engine: one ICMP socket per family and one SNMP engine for the runner's lifetime."""
        self.pinger = await self._stack.enter_async_context(IcmpPinger())
        self.snmp = await self._stack.enter_async_context(
            SnmpPoller(concurrency=settings.SNMP_CONCURRENCY, timeout=self.timeout)
        )
        self._stack.callback(self._db_thread.shutdown, wait=True)
        return self

    async def __aexit__(self, *exc_info) -> None:
        await self._stack.aclose()

    async def _db(self, function: Callable, *args, **kwargs):
        """Run Django database work on one dedicated thread (its connection), off the event loop."""

        def call():
            close_old_connections()
            return function(*args, **kwargs)

        return await asyncio.get_running_loop().run_in_executor(self._db_thread, lambda: call())

    def _lease(self) -> timedelta:
        # Long enough for a poll to finish; the recorder sets the real next poll time.
        return timedelta(seconds=self.timeout * (self.icmp_count + 2) + 30)

    async def _claim(self, now: datetime, *, force: bool, limit: int | None) -> list[PollJob]:
        try:
            jobs = await self._db(
                claim_due_jobs,
                now=now,
                lease=self._lease(),
                agency_codes=self.agency_codes,
                asset_ids=self.asset_ids,
                limit=limit,
                force=force,
            )
        except DatabaseError as error:
            jobs = [job for job, due in self.known.values() if force or due <= now]
            log.warning("database unavailable (%s): polling %d known assets from memory", error, len(jobs))
        for job in jobs:
            self.known[job.asset_id] = (job, now + timedelta(seconds=job.interval_s))
        return jobs

    async def _flush(self, now: datetime) -> RecordSummary | None:
        """Write every buffered observation; keep them all for the next try if the database is away."""
        if not self.pending:
            return None
        try:
            summary = await self._db(record, self.pending, now=now)
        except DatabaseError as error:
            if len(self.pending) > MAX_BUFFERED:
                del self.pending[: len(self.pending) - MAX_BUFFERED]
            log.warning("database unavailable (%s): %d observations kept for later", error, len(self.pending))
            return None
        self.pending = []
        await self._hooks(settings.POLL_CYCLE_HOOKS, now)
        return summary

    async def _hooks(self, paths: list[str], now: datetime) -> None:
        """Run the configured reactions of other apps; their failure never stops the poller."""
        for path in paths:
            try:
                await self._db(import_string(path), now)
            except Exception:  # a hook's bug must not stop monitoring: log it with its traceback
                log.exception("poll hook %s failed", path)

    async def _upkeep(self, now: datetime) -> None:
        hour = now.replace(minute=0, second=0, microsecond=0)
        if hour == self._last_upkeep_hour:
            return
        try:
            rolled = await self._db(roll_up_completed_hours, now)
            pruned = await self._db(prune_samples, now)
        except DatabaseError as error:
            log.warning("hourly upkeep postponed: %s", error)
            return
        self._last_upkeep_hour = hour
        await self._hooks(settings.POLL_HOURLY_HOOKS, now)
        log.info("hourly upkeep: %d rollup rows written, %d old samples pruned", rolled, pruned)

    async def cycle(
        self,
        *,
        force: bool = False,
        limit: int | None = None,
        progress: Callable[[int, int], None] | None = None,
    ) -> CycleReport:
        """Claim, poll and record once. `progress(done, total)` is called as assets' results come in."""
        now = utcnow()
        report = CycleReport()
        jobs = await self._claim(now, force=force, limit=limit or settings.POLL_BATCH_LIMIT)
        report.jobs = len(jobs)
        started = time.perf_counter()
        report.observations = await poll(
            jobs,
            pinger=self.pinger,
            snmp_poller=self.snmp,
            icmp_count=self.icmp_count,
            icmp_timeout=self.timeout,
            progress=progress,
        )
        report.poll_s = time.perf_counter() - started
        self.pending += report.observations
        started = time.perf_counter()
        report.recorded = await self._flush(utcnow())
        report.record_s = time.perf_counter() - started
        return report

    async def run(self, stop: asyncio.Event) -> None:
        """Poll until `stop` is set; the cycle in flight is finished (and recorded) before returning."""
        while not stop.is_set():
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
            await self._upkeep(utcnow())
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=1.0)
