"""Poll cycles in tests: observations through the real recorder, then the poller's after-cycle hook."""

from datetime import UTC, datetime, timedelta

from alerts.cycle import after_poll_cycle
from monitoring.observations import Observation
from monitoring.recorder import record

T0 = datetime(2026, 11, 14, 7, 0, tzinfo=UTC)  # 15.00 WITA


def at(minute: float) -> datetime:
    return T0 + timedelta(minutes=minute)


def cycle(assets, verdict: str, minute: float, **extra) -> None:
    """One poll cycle: every asset answers `verdict`, then the poller's after-cycle hook runs."""
    record(
        [Observation(asset_id=a.pk, at=at(minute), source="icmp", verdict=verdict, **extra) for a in assets],
        now=at(minute),
    )
    after_poll_cycle(at(minute))


def down(assets, start: float = 0) -> None:
    """Known up, then three failures: confirmed down from the first of them."""
    for step in range(4):
        cycle(assets, "up" if step == 0 else "down", start + step)


def up(assets, start: float) -> None:
    for step in range(3):
        cycle(assets, "up", start + step)
