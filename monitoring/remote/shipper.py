"""A remote poller's result sink: the spool first, then the centre's ingest, in order, from a task of its own.

`record` only writes the spool (a few milliseconds), so a slow or absent centre never delays a poll. The
shipper sends the oldest spooled results in batches, one batch at a time, and deletes them once the
centre says it recorded them; a failed POST is retried with backoff. Killed at any point, the poller sends
again what was not acknowledged, and the centre recognises what it already has by seq.
"""

import asyncio
import contextlib
import logging
from datetime import datetime

import httpx

from monitoring.observations import Observation
from monitoring.remote.link import VERSION, Backoff
from monitoring.remote.spool import Spool

log = logging.getLogger("simpul.remote")
HEARTBEAT_S = 20.0  # an idle poller still says it is alive this often


class SpoolingShipper:
    label = "spool"

    def __init__(self, client: httpx.AsyncClient, spool: Spool, *, batch: int) -> None:
        self.client, self.spool, self.batch = client, spool, batch
        self._wake = asyncio.Event()
        self._task: asyncio.Task | None = None
        self._caught_up = False  # the spool's numbering checked against the centre's (first answer)

    async def __aenter__(self) -> "SpoolingShipper":
        self._task = asyncio.create_task(self._ship_forever(), name="simpul-shipper")
        return self

    async def __aexit__(self, *exc_info) -> None:
        """Give the shipper a moment to send what the last cycle spooled; the rest waits in the spool."""
        self._wake.set()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._drained(), timeout=5.0)
        self._task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._task
        self.spool.close()

    async def _drained(self) -> None:
        while self.spool.backlog():
            await asyncio.sleep(0.1)

    async def record(self, observations: list[Observation], now: datetime) -> None:
        self.spool.add(observations)
        self._wake.set()

    async def upkeep(self, now: datetime) -> None:
        """Nothing hourly: the spool keeps itself within bounds as results come in."""

    async def react(self, now: datetime) -> None:
        """Nothing: the centre reacts to what it records."""

    async def ship_once(self) -> int | None:
        """Send the oldest batch (or a heartbeat); the number of results the centre took, None if it failed."""
        results = self.spool.oldest(self.batch)
        dropped = self.spool.dropped()
        body = {
            "version": VERSION,
            "backlog": max(self.spool.backlog() - len(results), 0),
            "dropped": dropped,
            "results": results,
        }
        response = await self.client.post("results/", json=body)
        if response.status_code == 403 and "refused_seqs" in response.json():
            refused = response.json()["refused_seqs"]
            log.warning("the centre refuses %d results for assets no longer assigned: discarded", len(refused))
            self.spool.discard(refused)
            return 0
        if response.status_code == 413 and self.batch > 1:
            self.batch //= 2
            log.warning("the centre takes smaller batches: %d results per POST from now on", self.batch)
            return 0
        response.raise_for_status()
        through = response.json()["recorded_through"]
        if not self._caught_up:
            self.spool.catch_up(through)
            self._caught_up = True
        self.spool.acknowledge(through, dropped_told=dropped)
        return len(results)

    async def _ship_forever(self) -> None:
        backoff = Backoff()
        while True:
            self._wake.clear()
            try:
                sent = await self.ship_once()
            except (httpx.HTTPError, ValueError, KeyError) as error:
                wait = backoff.failed()
                log.warning(
                    "results not shipped (%s): %d waiting in the spool; again in %.0f s",
                    error,
                    self.spool.backlog(),
                    wait,
                )
                await asyncio.sleep(wait)
                continue
            if backoff.delay:
                log.info("the centre answers again: shipping the spool's %d results", self.spool.backlog())
            backoff.succeeded()
            if sent and self.spool.backlog():
                continue  # a backlog: the next batch at once
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=HEARTBEAT_S)
