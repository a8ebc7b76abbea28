"""Fixed-rate polling: the n-th poll of an asset is due at its phase + n x interval (no Django here).

The next slot follows from the grid, not from when the last poll ended, so a slow poll never pushes the
ones after it back. The phase spreads agencies over the interval; an agency's assets of one interval
share it, so Celery can hand each agency's due assets out as one batch. A poll that starts late (a new
asset, a poller that was stopped or stalled) catches up once: the next slot is the first one at least
half an interval later, so missed slots are skipped, never polled in a burst.
"""

import heapq
import math
from collections.abc import Iterable, Iterator

from monitoring.poll import PollJob

GOLDEN = 0.6180339887498949  # consecutive ids land far apart on the interval


def grid_phase(key: int, interval_s: float) -> float:
    """Where in each interval the slots of `key` (an agency) fall, in seconds."""
    return (key * GOLDEN) % 1.0 * interval_s


def next_slot(started: float, phase_s: float, interval_s: float) -> float:
    """The slot after a poll started at `started` (seconds on the grid's clock)."""
    return phase_s + math.ceil((started + interval_s / 2 - phase_s) / interval_s) * interval_s


def grid_slots(first: float, end: float, phase_s: float, interval_s: float) -> Iterator[float]:
    """The slots from the one nearest `first` until `end`, computed as next_slot does (equal to the bit)."""
    n = round((first - phase_s) / interval_s)
    while (slot := phase_s + n * interval_s) < end:
        yield slot
        n += 1


class Schedule:
    """Each known asset's job and next slot, in seconds of the poll clock's labels.

    Those labels run on the monotonic clock; when they jump to follow a stepped wall clock, `shift`
    moves every slot by the same step, so the schedule never notices the step. The slots also sit in a
    heap, so a cycle finds its due assets without a pass over 100,000 of them; an entry there whose asset
    was dropped or started again since is stale, skipped when it comes up.
    """

    def __init__(self) -> None:
        self._entries: dict[int, tuple[PollJob, float]] = {}
        self._heap: list[tuple[float, int]] = []  # (slot, asset id)

    def __contains__(self, asset_id: object) -> bool:
        return asset_id in self._entries

    def __iter__(self) -> Iterator[int]:
        return iter(self._entries)

    def due(self, now: float, limit: int | None = None) -> list[int]:
        """Hand out up to `limit` assets whose slot has come, earliest first. Each is then either started again
        (its next slot) or dropped: it is not handed out twice."""
        found: list[int] = []
        while self._heap and self._heap[0][0] <= now and (limit is None or len(found) < limit):
            slot, asset_id = heapq.heappop(self._heap)
            if self._current(slot, asset_id):
                found.append(asset_id)
        return found

    def next_due(self) -> float | None:
        while self._heap and not self._current(*self._heap[0]):
            heapq.heappop(self._heap)
        return self._heap[0][0] if self._heap else None

    def _current(self, slot: float, asset_id: int) -> bool:
        entry = self._entries.get(asset_id)
        return entry is not None and entry[1] == slot

    def jobs(self, asset_ids: Iterable[int] | None = None) -> list[PollJob]:
        """The known jobs of `asset_ids` (all of them for None)."""
        if asset_ids is None:
            return [job for job, _due in self._entries.values()]
        return [self._entries[pk][0] for pk in asset_ids if pk in self._entries]

    def slots(self, asset_ids: Iterable[int]) -> dict[int, float]:
        return {pk: self._entries[pk][1] for pk in asset_ids if pk in self._entries}

    def started(self, job: PollJob, at: float) -> float:
        """A poll of `job` starts at `at`: keep its job and return its next slot."""
        due = next_slot(at, job.phase_s, job.interval_s)
        self._entries[job.asset_id] = (job, due)
        heapq.heappush(self._heap, (due, job.asset_id))
        return due

    def drop(self, asset_ids: Iterable[int]) -> None:
        for pk in asset_ids:
            self._entries.pop(pk, None)

    def shift(self, seconds: float) -> None:
        self._entries = {pk: (job, due + seconds) for pk, (job, due) in self._entries.items()}
        self._heap = [(due, pk) for pk, (_job, due) in self._entries.items()]
        heapq.heapify(self._heap)
