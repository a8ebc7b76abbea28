"""Pruning monitoring's Transition rows once alerts has read them and they are past the sample retention.

Alerts is the only reader of Transition (monitoring never reads them back), so it prunes them, and only
below its own cursor: a row not read yet is never lost. Each hourly run deletes at most PRUNE_BATCH ids,
by id range, so one run stays short however much history has piled up; the next runs catch up.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Min

from alerts.models import Cursor
from monitoring.models import Transition

PRUNE_BATCH = 50_000


def prune_transitions(now: datetime) -> int:
    """Delete read transitions recorded before the retention cutoff, at most PRUNE_BATCH ids; returns how many."""
    position = Cursor.objects.filter(name="transitions").values_list("position", flat=True).first() or 0
    cutoff = now - timedelta(days=settings.SAMPLE_RETENTION_DAYS)
    old = Transition.objects.filter(id__lte=position, recorded_at__lt=cutoff)
    lowest = old.aggregate(low=Min("id"))["low"]
    if lowest is None:
        return 0
    deleted, _ = old.filter(id__lt=lowest + PRUNE_BATCH).delete()
    return deleted
