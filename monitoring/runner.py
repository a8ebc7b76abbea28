"""The poll loop shared by `runpoller` (central or remote), `poll --once` and the Celery tasks.

It takes due jobs from a source, polls them with one engine (one ICMP socket per family, one SNMP engine),
and hands the observations to a sink. The central runner's source and sink are the database (claims and
the recorder: monitoring.database_link); a remote poller's are its assignment fetched from the centre and
its spool shipped to the centre (monitoring.remote): the same loop either way. Each asset is polled at a
fixed rate (monitoring.schedule) on the monotonic clock, and results are labelled from it
(monitoring.clock): a stepped wall clock moves the labels, never the schedule or a duration. The source or
sink may vanish for a while: the loop then keeps polling the assets it already knows on their schedule,
keeps every observation, and hands them all over, in order, once it answers again.
"""

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Protocol

from django.conf import settings

from monitoring.clock import PollClock
from monitoring.engine import IcmpPinger, SnmpPoller
from monitoring.observations import Observation
from monitoring.poll import PollJob, poll
from monitoring.recorder import RecordSummary
from monitoring.schedule import Schedule

log = logging.getLogger("simpul.poller")
MAX_BUFFERED = 2_000_000  # observations kept while the sink is away (about an hour of 30,000 assets)
TICK_S = 1.0  # the longest wait between cycles; new assets and the wall clock are looked at this often
MIN_WAIT_S = 0.2  # the shortest: slots closer together than this are polled in one cycle
DB_WARNING_EVERY_S = 60.0  # while the source or sink is away, say so once a minute
UPKEEP_AFTER_HOUR_S = 5.0  # the upkeep waits this long after each hour, for the hour's last results
REACT_EVERY_S = 5.0  # with nothing of its own recorded, the sink reacts at least this often (remote pollers' results)


class Unavailable(Exception):
    """The source or sink cannot be reached now (the database is away): the loop polls from memory."""


class JobSource(Protocol):
    """Where the loop's jobs come from: the database (claims) or a remote poller's assignment."""

    label: str  # for the log: "database", "centre"

    async def claim(
        self, *, at: float, due: list[int], known: Schedule, discover: bool, limit: int, force: bool
    ) -> list[PollJob]:
        """The jobs of `due` still to poll, and with `discover` unknown ones due at `at`; all with `force`."""

    async def polled_from_memory(self, slots: dict[int, float]) -> None:
        """These assets were polled while the source was away; their next slots (seconds) are these."""

    async def follow_step(self, asset_ids: list[int], seconds: float) -> None:
        """The labels jumped `seconds` with a stepped wall clock: times kept in the old labels move too."""

    async def prepare(self, now: datetime) -> bool:
        """Once at start, before the first cycle; False to be asked again (the source is away)."""


class ResultSink(Protocol):
    """Where observations go: the recorder, or a remote poller's spool and the centre's ingest."""

    label: str

    async def record(self, observations: list[Observation], now: datetime) -> RecordSummary | None:
        """Record (or take charge of) every observation, or raise Unavailable having kept none."""

    async def upkeep(self, now: datetime) -> None:
        """Once an hour, just after each labelled hour."""

    async def react(self, now: datetime) -> None:
        """The other apps' reactions, when no record of this runner's own ran them for REACT_EVERY_S: a centre
        that polls nothing itself still alerts on what its remote pollers sent and notices one falling silent."""


@dataclass
class CycleReport:
    jobs: int = 0
    observations: list[Observation] = field(default_factory=list)
    recorded: RecordSummary | None = None
    poll_s: float = 0.0
    record_s: float = 0.0


class PollRunner:
    """The poll loop. `source` and `sink` default to the database (one link, on one thread, for both)."""

    def __init__(
        self,
        *,
        agency_codes: list[str] | None = None,
        asset_ids: list[int] | None = None,
        icmp_count: int | None = None,
        timeout: float | None = None,
        clock: PollClock | None = None,
        source: JobSource | None = None,
        sink: ResultSink | None = None,
    ) -> None:
        self.icmp_count = icmp_count or settings.POLL_ICMP_COUNT
        self.timeout = timeout or settings.POLL_TIMEOUT_S
        self.clock = clock or PollClock()
        if source is None or sink is None:
            from monitoring.database_link import DatabaseLink  # the default; a remote poller never opens it

            link = DatabaseLink(agency_codes=agency_codes, asset_ids=asset_ids, clock=self.clock)
            source, sink = source or link, sink or link
        self.source, self.sink = source, sink
        self.schedule = Schedule()  # every asset polled so far and its next slot, also while the source is away
        self.pending: list[Observation] = []
        self._away_since: float | None = None  # monotonic; set while the source or sink is away
        self._next_db_warning, self._held_back = 0.0, 0
        self._next_upkeep: float | None = None  # monotonic
        self._reacted_at = 0.0  # monotonic: when the sink last reacted (a record reacts too)
        self._next_discovery = 0.0  # monotonic: when to ask the source for assets this runner does not know
        self._prepared = False  # the source's start-up check (run)
        self._stack = contextlib.AsyncExitStack()

    async def __aenter__(self) -> "PollRunner":
        """Open the engine (one ICMP socket per family, one SNMP engine), the source and the sink."""
        self.pinger = await self._stack.enter_async_context(IcmpPinger())
        self.snmp = await self._stack.enter_async_context(
            SnmpPoller(concurrency=settings.SNMP_CONCURRENCY, timeout=self.timeout)
        )
        for link in dict.fromkeys((self.source, self.sink)):  # once each, also when one object is both
            await self._stack.enter_async_context(link)
        return self

    async def __aexit__(self, *exc_info) -> None:
        await self._stack.aclose()

    async def _claim(self, *, force: bool, limit: int, until: datetime | None) -> list[PollJob]:
        at = self.clock.seconds()
        if until is not None:
            at = max(at, until.timestamp())  # a batch handed out for a slot starts no earlier than the slot
        due = [] if force else self.schedule.due(at, limit)
        started = self.clock.monotonic()
        discover = started >= self._next_discovery
        jobs = None
        # While the source is away with results waiting, poll from memory at once: waiting for it to refuse
        # first would make every poll late by its timeout. The flush of those results tries it again after.
        if self._away_since is None or not self.pending:
            try:
                jobs = await self.source.claim(
                    at=at, due=due, known=self.schedule, discover=discover, limit=limit, force=force
                )
            except Unavailable as error:
                self._unavailable(self.source.label, error, "polling known assets from memory")
            else:
                self.schedule.drop(set(due) - {job.asset_id for job in jobs})  # retired, moved or no longer polled
                if discover:
                    self._next_discovery = started + TICK_S
        from_memory = jobs is None
        if from_memory:
            jobs = self.schedule.jobs(None if force else due)
        for job in jobs:
            self.schedule.started(job, at)
        if from_memory:
            await self.source.polled_from_memory(self.schedule.slots(job.asset_id for job in jobs))
        return jobs

    async def _flush(self) -> RecordSummary | None:
        """Hand every buffered observation to the sink; keep them all for the next try if it is away."""
        if not self.pending:
            return None
        try:
            summary = await self.sink.record(self.pending, self.clock.now())
        except Unavailable as error:
            if len(self.pending) > MAX_BUFFERED:
                del self.pending[: len(self.pending) - MAX_BUFFERED]
            self._unavailable(self.sink.label, error, "%d observations kept for later", len(self.pending))
            return None
        self._back()
        self.pending = []
        return summary

    async def _follow_step(self, seconds: float) -> None:
        """The labels jumped with a stepped wall clock: move every time held in the old labels with them."""
        self.schedule.shift(seconds)
        for observation in self.pending:
            observation.at += timedelta(seconds=seconds)
        await self.source.follow_step(list(self.schedule), seconds)

    def _unavailable(self, label: str, error: Exception, message: str, *args) -> None:
        """Say that the source or sink is away at most once a minute, with how many such warnings were held back."""
        now = self.clock.monotonic()
        self._away_since = self._away_since or now
        if now < self._next_db_warning:
            self._held_back += 1
            return
        held = f" ({self._held_back} more such warnings held back)" if self._held_back else ""
        log.warning(f"%s unavailable (%s): {message}{held}", label, error, *args)
        self._next_db_warning, self._held_back = now + DB_WARNING_EVERY_S, 0

    def _back(self) -> None:
        if self._away_since is not None:
            log.info("%s back after %.0f s", self.sink.label, self.clock.monotonic() - self._away_since)
            self._away_since = None

    async def _react(self, *, recorded: bool) -> None:
        """Let the sink react when this cycle recorded nothing; not while the sink is away (no log flood)."""
        now = self.clock.monotonic()
        if recorded:
            self._reacted_at = now
        elif self._away_since is None and now - self._reacted_at >= REACT_EVERY_S:
            self._reacted_at = now
            await self.sink.react(self.clock.now())

    async def _upkeep(self) -> None:
        """The sink's upkeep at start, then once an hour of the monotonic clock, just after each labelled hour.

        A stepped wall clock moves the labels, not this deadline: the upkeep never runs twice for a step.
        """
        started = self.clock.monotonic()
        if self._next_upkeep is not None and started < self._next_upkeep:
            return
        now = self.clock.now()
        try:
            await self.sink.upkeep(now)
        except Unavailable as error:
            self._unavailable(self.sink.label, error, "hourly upkeep postponed")
            return
        into_hour = now - now.replace(minute=0, second=0, microsecond=0)
        self._next_upkeep = started + 3600 - into_hour.total_seconds() + UPKEEP_AFTER_HOUR_S

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
                await self._follow_step(step)
            if not self._prepared:
                self._prepared = await self.source.prepare(self.clock.now())
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
            await self._react(recorded=report.recorded is not None)
            await self._upkeep()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=self._wait())

    def _wait(self) -> float:
        """Seconds until the next slot, within [MIN_WAIT_S, TICK_S]."""
        next_due = self.schedule.next_due()
        if next_due is None:
            return TICK_S
        return min(max(next_due - self.clock.seconds(), MIN_WAIT_S), TICK_S)
