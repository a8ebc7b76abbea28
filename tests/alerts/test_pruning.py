"""Transitions past the sample retention are pruned once alerts has read them, a bounded batch per run."""

from datetime import timedelta

from alerts import pruning
from alerts.cycle import hourly
from alerts.models import Cursor
from monitoring.models import Transition
from tests.alerts.flow import at


def rows(asset, count: int, recorded_at) -> list[Transition]:
    return Transition.objects.bulk_create(
        Transition(asset=asset, old_state="up", new_state="down", at=recorded_at, recorded_at=recorded_at)
        for _ in range(count)
    )


def test_old_read_transitions_are_pruned_in_bounded_batches_and_unread_ones_kept(monkeypatch, settings, repeater):
    settings.SAMPLE_RETENTION_DAYS = 14
    monkeypatch.setattr(pruning, "PRUNE_BATCH", 5)
    now = at(0)
    old = rows(repeater, 12, now - timedelta(days=15))
    unread_old = rows(repeater, 2, now - timedelta(days=15))
    recent = rows(repeater, 3, now - timedelta(days=1))
    Cursor.objects.create(name="transitions", position=old[-1].pk)  # alerts has read the first twelve

    hourly(now)
    assert Transition.objects.count() == 17 - 5  # one bounded batch per run
    hourly(now)
    hourly(now)
    hourly(now)
    kept = set(Transition.objects.values_list("pk", flat=True))
    assert kept == {t.pk for t in unread_old + recent}  # never one alerts has not read, nor a recent one
