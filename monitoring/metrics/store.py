"""The metric store's whole interface: write values, read a series or hourly rollups, prune raw values.

Raw values go in by COPY on PostgreSQL (as the recorder's samples do) and executemany elsewhere; the hour
each belongs to is added up in the same transaction by an upsert (sum, peak, count), so the rollups are
current to the last poll and a late value (a remote poller's spool) still counts in its hour.
"""

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection, transaction

from monitoring.lookups import chunks
from monitoring.metrics.models import MetricHourly, MetricValue

Row = tuple[int, str, datetime, float]  # asset id, metric, at (aware UTC), value
_COLUMNS = ("asset_id", "metric", "at", "value")


def _hour(at: datetime) -> datetime:
    return at.replace(minute=0, second=0, microsecond=0)


@transaction.atomic
def write(rows: Sequence[Row]) -> None:
    if not rows:
        return
    hours: dict[tuple[int, str, datetime], list[float]] = {}
    for asset_id, metric, at, value in rows:
        total = hours.setdefault((asset_id, metric, _hour(at)), [0.0, value, 0])
        total[0], total[1], total[2] = total[0] + value, max(total[1], value), total[2] + 1
    adapt = connection.ops.adapt_datetimefield_value
    values, hourly = MetricValue._meta.db_table, MetricHourly._meta.db_table
    greatest = "GREATEST" if connection.vendor == "postgresql" else "MAX"
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {values} ({', '.join(_COLUMNS)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            cursor.executemany(
                f"INSERT INTO {values} ({', '.join(_COLUMNS)}) VALUES (%s, %s, %s, %s)",
                [(asset_id, metric, adapt(at), value) for asset_id, metric, at, value in rows],
            )
        cursor.executemany(
            f"INSERT INTO {hourly} (asset_id, metric, hour, total, peak, count) VALUES (%s, %s, %s, %s, %s, %s)"
            f" ON CONFLICT (asset_id, metric, hour) DO UPDATE SET total = {hourly}.total + excluded.total,"
            f" peak = {greatest}({hourly}.peak, excluded.peak), count = {hourly}.count + excluded.count",
            [(asset_id, metric, adapt(hour), *sums) for (asset_id, metric, hour), sums in hours.items()],
        )


def series(asset_id: int, metric: str, start: datetime, end: datetime) -> list[tuple[datetime, float]]:
    """The raw values of one metric of one asset in [start, end), oldest first."""
    rows = MetricValue.objects.filter(asset_id=asset_id, metric=metric, at__gte=start, at__lt=end)
    return list(rows.order_by("at").values_list("at", "value"))


def hourly(
    asset_ids: Iterable[int], metric: str, start: datetime, end: datetime
) -> dict[int, list[tuple[datetime, float, float, int]]]:
    """Per asset, (hour, average, peak, count) of one metric for the hours starting in [start, end), oldest first.

    Assets without a value in the window are left out.
    """
    result: dict[int, list[tuple[datetime, float, float, int]]] = {}
    for chunk in chunks(asset_ids):
        rows = MetricHourly.objects.filter(asset_id__in=chunk, metric=metric, hour__gte=start, hour__lt=end)
        for asset_id, hour, total, peak, count in rows.order_by("asset_id", "hour").values_list(
            "asset_id", "hour", "total", "peak", "count"
        ):
            result.setdefault(asset_id, []).append((hour, total / count, peak, count))
    return result


def prune(now: datetime) -> int:
    """Delete raw values older than the retention window (the hourly rows stay); how many went."""
    cutoff = now - timedelta(days=settings.SAMPLE_RETENTION_DAYS)
    deleted, _by_model = MetricValue.objects.filter(at__lt=cutoff).delete()
    return deleted
