"""Hourly rollups from raw samples, and pruning of samples past their retention."""

from datetime import UTC, datetime, timedelta

from monitoring.models import HourlyRollup, Sample
from monitoring.rollups import prune_samples, roll_up_completed_hours
from tests import factories

H0 = datetime(2026, 11, 1, 2, 0, tzinfo=UTC)


def samples(asset, hour_offset: int, rows: list[tuple[str, float | None, float | None]]) -> None:
    Sample.objects.bulk_create(
        Sample(
            asset=asset,
            at=H0 + timedelta(hours=hour_offset, minutes=5 * i),
            source="icmp",
            verdict=verdict,
            rtt_ms=rtt,
            rtt_max_ms=rtt and rtt * 2,
            loss=loss,
        )
        for i, (verdict, rtt, loss) in enumerate(rows)
    )


def test_completed_hours_are_rolled_up_once_and_the_current_one_waits(tree):
    router = factories.asset(tree["64.01"])
    samples(router, 0, [("up", 10.0, 0.0), ("degraded", 30.0, 0.5), ("down", None, 1.0)])
    samples(router, 1, [("up", 20.0, 0.0)])
    assert roll_up_completed_hours(H0 + timedelta(hours=1, minutes=30)) == 1  # hour 1 is still running
    rollup = HourlyRollup.objects.get()
    assert (rollup.hour, rollup.samples, rollup.up) == (H0, 3, 2)
    assert rollup.rtt_avg_ms == 20.0 and rollup.rtt_max_ms == 60.0 and abs(rollup.loss_avg - 0.5) < 1e-9
    assert roll_up_completed_hours(H0 + timedelta(hours=1, minutes=31)) == 0  # nothing new: no rewrite
    assert roll_up_completed_hours(H0 + timedelta(hours=2, minutes=1)) == 1
    assert HourlyRollup.objects.count() == 2


def test_samples_past_retention_are_pruned_and_rollups_stay(tree, settings):
    settings.SAMPLE_RETENTION_DAYS = 7
    router = factories.asset(tree["64.01"])
    samples(router, 0, [("up", 1.0, 0.0)] * 3)
    samples(router, 24 * 8, [("up", 1.0, 0.0)])
    roll_up_completed_hours(H0 + timedelta(days=9))
    assert prune_samples(H0 + timedelta(days=8)) == 3
    assert Sample.objects.count() == 1 and HourlyRollup.objects.count() == 2
