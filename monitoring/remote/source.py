"""A remote poller's job source: its assignment, fetched from the centre with ETags and kept encrypted on disk.

The assignment is asked for every POLLER_ASSIGNMENT_REFRESH_S in a task of its own, so a slow or absent
centre never delays a poll. It is kept in `<var>/assignment.enc`, encrypted with the poller's own key
(`<var>/poller.key`, mode 0600), so a poller restarted while its uplink is down polls what it polled before.
"""

import asyncio
import contextlib
import json
import logging
import os
from datetime import datetime
from pathlib import Path

import httpx
from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings

from monitoring.poll import PollJob
from monitoring.remote.link import Backoff
from monitoring.remote.wire import job_from_wire
from monitoring.runner import Unavailable
from monitoring.schedule import Schedule
from simpul.local_keys import local_key

log = logging.getLogger("simpul.remote")


class AssignmentSource:
    label = "centre"

    def __init__(self, client: httpx.AsyncClient, var_dir: Path) -> None:
        self.client = client
        self._file = var_dir / "assignment.enc"
        self._fernet = Fernet(local_key(var_dir / "poller.key", lambda: Fernet.generate_key().decode()))
        self.jobs: dict[int, PollJob] = {}
        self.etag: str | None = None
        self.fetched = asyncio.Event()  # set once an assignment is known (fetched, or read from disk)
        self._task: asyncio.Task | None = None

    async def __aenter__(self) -> "AssignmentSource":
        self._load()
        self._task = asyncio.create_task(self._refresh_forever(), name="simpul-assignment")
        return self

    async def __aexit__(self, *exc_info) -> None:
        self._task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._task

    def _load(self) -> None:
        try:
            payload = json.loads(self._fernet.decrypt(self._file.read_bytes()))
        except FileNotFoundError:
            return
        except (InvalidToken, ValueError):
            log.warning("%s cannot be read with this poller's key: waiting for the centre", self._file)
            return
        self._apply(payload["assignment"], payload["etag"])
        log.info("assignment read from disk: %d targets", len(self.jobs))

    def _save(self, assignment: dict) -> None:
        data = self._fernet.encrypt(json.dumps({"assignment": assignment, "etag": self.etag}).encode())
        temporary = self._file.with_suffix(".tmp")
        with open(os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, self._file)

    def _apply(self, assignment: dict, etag: str) -> None:
        self.jobs = {job.asset_id: job for job in map(job_from_wire, assignment["targets"])}
        self.etag = etag
        self.fetched.set()

    async def refresh(self) -> bool:
        """Ask the centre once; True if it answered (changed or not)."""
        headers = {"If-None-Match": self.etag} if self.etag else {}
        response = await self.client.get("assignment/", headers=headers)
        if response.status_code == 304:
            return True
        response.raise_for_status()
        assignment = response.json()
        self._apply(assignment, response.headers.get("ETag", ""))
        self._save(assignment)
        log.info("assignment from the centre: %d targets", len(self.jobs))
        return True

    async def _refresh_forever(self) -> None:
        backoff = Backoff()
        while True:
            try:
                await self.refresh()
            except (httpx.HTTPError, ValueError) as error:
                wait = backoff.failed()
                log.warning(
                    "assignment not fetched (%s): keeping %d targets; again in %.0f s", error, len(self.jobs), wait
                )
            else:
                backoff.succeeded()
                wait = settings.POLLER_ASSIGNMENT_REFRESH_S
            await asyncio.sleep(min(wait, settings.POLLER_ASSIGNMENT_REFRESH_S))

    async def claim(
        self, *, at: float, due: list[int], known: Schedule, discover: bool, limit: int, force: bool
    ) -> list[PollJob]:
        """The jobs of `due` as the assignment now has them, and assets new to the runner; all with `force`."""
        if not self.fetched.is_set():
            raise Unavailable("no assignment yet")
        if force:
            return list(self.jobs.values())[:limit]
        jobs = [self.jobs[pk] for pk in due if pk in self.jobs]
        if discover:
            jobs += [job for pk, job in self.jobs.items() if pk not in known][: max(limit - len(jobs), 0)]
        return jobs

    async def polled_from_memory(self, slots: dict[int, float]) -> None:
        """Nothing to tell: the schedule lives in this process only."""

    async def follow_step(self, asset_ids: list[int], seconds: float) -> None:
        """Nothing to move: the centre's times are the results', which carry the new labels."""

    async def prepare(self, now: datetime) -> bool:
        return True
