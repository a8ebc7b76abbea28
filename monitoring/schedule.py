"""Fixed-rate polling: the n-th poll of an asset is due at its phase + n x interval (no Django here).

The next slot follows from the grid, not from when the last poll ended, so a slow poll never pushes the
ones after it back. The phase spreads agencies over the interval; an agency's assets of one interval
share it, so Celery can hand each agency's due assets out as one batch. A poll that starts late (a new
asset, a poller that was stopped or stalled) catches up once: the next slot is the first one at least
half an interval later, so missed slots are skipped, never polled in a burst.
"""

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
    moves every slot by the same step, so the schedule never notices the step.
    """

    def __init__(self) -> None:
        self._entries: dict[int, tuple[PollJob, float]] = {}

    def __contains__(self, asset_id: object) -> bool:
        return asset_id in self._entries

    def __iter__(self) -> Iterator[int]:
        return iter(self._entries)

    def due(self, now: float) -> list[int]:
        return [asset_id for asset_id, (_job, due) in self._entries.items() if due <= now]

    def next_due(self) -> float | None:
        return min((due for _job, due in self._entries.values()), default=None)

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
        return due

    def drop(self, asset_ids: Iterable[int]) -> None:
        for pk in asset_ids:
            self._entries.pop(pk, None)

    def shift(self, seconds: float) -> None:
        self._entries = {pk: (job, due + seconds) for pk, (job, due) in self._entries.items()}
