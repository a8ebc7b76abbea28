"""The metric store's whole interface: write values, read a series or hourly figures, roll up and prune.

Raw values go in by COPY on PostgreSQL (as the recorder's samples do) and executemany elsewhere, one row
each keyed by (asset, metric, at). The hourly upkeep rolls completed hours up (average, peak, count) into
rows kept long, and again the last few hours before it, so a remote poller's late values still count; it
never updates a row per poll, which would leave a dead row version behind every write. `hourly()` reads
the rolled-up hours and adds up the raw values of hours not rolled up yet, so its figures are current.
"""

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, Max, Min, Sum
from django.db.models.functions import TruncHour

from monitoring.lookups import chunks
from monitoring.metrics.models import MetricHourly, MetricValue

Row = tuple[int, str, datetime, float]  # asset id, metric, at (aware UTC), value
Hour = tuple[datetime, float, float, int]  # hour, average, peak, count
_COLUMNS = ("asset_id", "metric", "at", "value")
REROLL_HOURS = 3  # hours rolled up again at each upkeep: a remote poller's spool arriving late


def write(rows: Sequence[Row]) -> None:
    if not rows:
        return
    table, columns = MetricValue._meta.db_table, ", ".join(_COLUMNS)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        adapt = connection.ops.adapt_datetimefield_value
        cursor.executemany(
            f"INSERT INTO {table} ({columns}) VALUES (%s, %s, %s, %s)",
            [(asset_id, metric, adapt(at), value) for asset_id, metric, at, value in rows],
        )


def series(asset_id: int, metric: str, start: datetime, end: datetime) -> list[tuple[datetime, float]]:
    """The raw values of one metric of one asset in [start, end), oldest first."""
    rows = MetricValue.objects.filter(asset_id=asset_id, metric=metric, at__gte=start, at__lt=end)
    return list(rows.order_by("at").values_list("at", "value"))


def _rolled_through() -> datetime | None:
    """The end of the last hour rolled up (None before the first upkeep)."""
    last = MetricHourly.objects.aggregate(last=Max("hour"))["last"]
    return None if last is None else last + timedelta(hours=1)


def _raw_hours(values):
    return (
        values.annotate(hour=TruncHour("at", tzinfo=UTC))
        .values("asset_id", "metric", "hour")
        .annotate(total=Sum("value"), peak=Max("value"), count=Count("value"))
        .order_by()
    )


def hourly(asset_ids: Iterable[int], metric: str, start: datetime, end: datetime) -> dict[int, list[Hour]]:
    """Per asset, (hour, average, peak, count) of one metric for the hours starting in [start, end), oldest first.

    Assets without a value in the window are left out.
    """
    rolled = _rolled_through() or start
    result: dict[int, list[Hour]] = {}
    for chunk in chunks(asset_ids):
        kept = MetricHourly.objects.filter(
            asset_id__in=chunk, metric=metric, hour__gte=start, hour__lt=min(end, rolled)
        )
        rows = list(kept.order_by().values_list("asset_id", "hour", "total", "peak", "count"))
        if end > rolled:
            fresh = MetricValue.objects.filter(
                asset_id__in=chunk, metric=metric, at__gte=max(start, rolled), at__lt=end
            )
            rows += [(r["asset_id"], r["hour"], r["total"], r["peak"], r["count"]) for r in _raw_hours(fresh)]
        for asset_id, hour, total, peak, count in sorted(rows, key=lambda row: (row[0], row[1])):
            result.setdefault(asset_id, []).append((hour, total / count, peak, count))
    return result


@transaction.atomic
def roll_up(now: datetime, since: datetime | None = None) -> int:
    """Roll up every completed hour not rolled up yet, and the last REROLL_HOURS again; rows written.

    `since` rolls up from that moment instead: values written for the past (the demo's history)."""
    end = now.replace(minute=0, second=0, microsecond=0)
    rolled = since or _rolled_through()
    if rolled is None:
        rolled = MetricValue.objects.aggregate(first=Min("at"))["first"]
        if rolled is None:
            return 0
        rolled = rolled.replace(minute=0, second=0, microsecond=0)
    start = min(rolled, end) - timedelta(hours=REROLL_HOURS)
    rows = [
        MetricHourly(
            asset_id=r["asset_id"],
            metric=r["metric"],
            hour=r["hour"],
            total=r["total"],
            peak=r["peak"],
            count=r["count"],
        )
        for r in _raw_hours(MetricValue.objects.filter(at__gte=start, at__lt=end))
    ]
    MetricHourly.objects.bulk_create(
        rows,
        batch_size=2000,
        update_conflicts=True,
        unique_fields=["asset", "metric", "hour"],
        update_fields=["total", "peak", "count"],
    )
    return len(rows)


def prune(now: datetime) -> int:
    """Delete raw values older than the retention window (their hours are rolled up); how many went."""
    cutoff = now - timedelta(days=settings.SAMPLE_RETENTION_DAYS)
    deleted, _by_model = MetricValue.objects.filter(at__lt=cutoff).delete()
    return deleted


def upkeep(now: datetime) -> None:
    """The poller's hourly work for metrics (settings.POLL_HOURLY_HOOKS): roll up, then prune."""
    roll_up(now)
    prune(now)
