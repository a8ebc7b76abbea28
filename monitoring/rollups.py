"""Hourly rollups of samples, and pruning of samples past their retention (run by the poller each hour)."""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Avg, Count, Max, Min, Q

from monitoring.models import HourlyRollup, Sample

HOUR = timedelta(hours=1)


def _floor_hour(moment: datetime) -> datetime:
    return moment.replace(minute=0, second=0, microsecond=0)


@transaction.atomic
def roll_up_completed_hours(now: datetime) -> int:
    """Summarise every completed hour not yet rolled up; returns the number of rollup rows written.

    An hour is summarised once it is over, from the raw samples, with an upsert: running it again
    rewrites the same figures.
    """
    last = HourlyRollup.objects.aggregate(last=Max("hour"))["last"]
    first_sample = Sample.objects.aggregate(first=Min("at"))["first"]
    if first_sample is None:
        return 0
    hour = _floor_hour(first_sample) if last is None else max(last + HOUR, _floor_hour(first_sample))
    written = 0
    while hour + HOUR <= now:
        rows = (
            Sample.objects.filter(at__gte=hour, at__lt=hour + HOUR)
            .values("asset_id")
            .annotate(
                n=Count("id"),
                n_up=Count("id", filter=Q(verdict__in=["up", "degraded"])),
                rtt_avg=Avg("rtt_ms"),
                rtt_max=Max("rtt_max_ms"),
                loss_avg=Avg("loss"),
            )
        )
        rollups = [
            HourlyRollup(
                asset_id=r["asset_id"],
                hour=hour,
                samples=r["n"],
                up=r["n_up"],
                rtt_avg_ms=r["rtt_avg"],
                rtt_max_ms=r["rtt_max"],
                loss_avg=r["loss_avg"],
            )
            for r in rows
        ]
        HourlyRollup.objects.bulk_create(
            rollups,
            batch_size=2000,
            update_conflicts=True,
            unique_fields=["asset", "hour"],
            update_fields=["samples", "up", "rtt_avg_ms", "rtt_max_ms", "loss_avg"],
        )
        written += len(rollups)
        hour += HOUR
    return written


def prune_samples(now: datetime) -> int:
    """Delete raw samples older than SAMPLE_RETENTION_DAYS; hourly rollups keep their history."""
    cutoff = now - timedelta(days=settings.SAMPLE_RETENTION_DAYS)
    deleted, _ = Sample.objects.filter(at__lt=cutoff).delete()
    return deleted
