"""An availability figure with its coverage: how long the assets were watched within the window.

"30 hari 100 %" after two minutes of data says more than anyone knows. A figure says how long it watched
("dipantau 2 menit dari 30 hari"), and below COVERAGE_FLOOR of its window it gives no percentage at all.
"""

from dataclasses import dataclass

from monitoring.availability import AvailabilityRow

# Below a tenth of the window (2.4 hours of a day, 3 days of 30) a handful of polls decide the percentage:
# the figure shows how long it watched instead. At the floor exactly, the percentage shows.
COVERAGE_FLOOR = 0.10


@dataclass(frozen=True, slots=True)
class Covered:
    value: float | None  # availability 0..1; None below the floor or when nothing was watched
    watched_s: int  # how long an asset of the group was watched in the window, on average
    window_s: int
    coverage: float  # watched_s / window_s

    def as_dict(self) -> dict:
        return {"value": self.value, "watched_s": self.watched_s, "window_s": self.window_s, "coverage": self.coverage}


def covered(row: AvailabilityRow | None, window_s: float) -> Covered:
    """The figure of one availability row over a window of `window_s` seconds (no row: nothing watched)."""
    watched_s = row.monitored_s / row.assets if row and row.assets else 0.0
    coverage = min(1.0, watched_s / window_s) if window_s > 0 else 0.0
    value = row.availability if row and coverage >= COVERAGE_FLOOR else None
    return Covered(value=value, watched_s=round(watched_s), window_s=round(window_s), coverage=round(coverage, 4))
