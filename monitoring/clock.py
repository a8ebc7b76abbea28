"""The poller's time: a monotonic clock that schedules, and wall-clock labels for results (no Django here).

A label is the wall-clock time read at an anchor plus the monotonic time elapsed since, so the time
between two labels of one run is what the monotonic clock measured. Each loop compares the label with
the wall clock: a gap under STEP_S (NTP slewing) is followed silently; a larger one is a step (someone
set the clock, NTP stepped it, a virtual machine resumed). The labels then jump onto the wall clock,
and whoever holds times in the old labels (the schedule, the state and open outages in the database,
buffered results) moves them by the same step: no step ever enters a duration or the schedule.
"""

import logging
import time
from collections.abc import Callable
from datetime import UTC, datetime

log = logging.getLogger("simpul.poller")
STEP_S = 1.0  # a wall clock that moved this far from the monotonic one was stepped, not slewed


class PollClock:
    def __init__(
        self,
        *,
        monotonic: Callable[[], float] = time.monotonic,
        wall: Callable[[], float] = time.time,
        step_s: float = STEP_S,
    ) -> None:
        self.monotonic, self._wall, self.step_s = monotonic, wall, step_s
        self._offset = wall() - monotonic()  # label = monotonic + offset

    def seconds(self) -> float:
        """The label of this moment, in seconds since the epoch."""
        return self.monotonic() + self._offset

    def now(self) -> datetime:
        return self.at(self.seconds())

    @staticmethod
    def at(seconds: float) -> datetime:
        return datetime.fromtimestamp(seconds, UTC)

    def follow_wall(self) -> float:
        """Move the labels onto the wall clock; returns the step in seconds, or 0.0 if it did not step."""
        offset = self._wall() - self.monotonic()
        step, self._offset = offset - self._offset, offset
        if abs(step) < self.step_s:
            return 0.0
        log.warning(
            "wall clock stepped %+.1f s: schedule and open intervals moved with it (durations stay monotonic)", step
        )
        return step
