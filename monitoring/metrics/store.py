"""The metric store's whole interface: write values, read a series or hourly figures, roll up and prune.

Raw values go in by COPY on PostgreSQL (as the recorder's samples do) and executemany elsewhere, one row
each keyed by (asset, metric, at), into the staging table `MetricValue`. The hourly upkeep packs every
finished hour into one `MetricBlock` per asset and metric (monitoring.metrics.blocks, 8 bytes a value) and
writes its hourly row (average, peak, count, kept long) from the same pass, then drops the hour from the
staging table; on PostgreSQL the staging table is partitioned by hour and the blocks by day
(monitoring.partitions), so packing drops an hour's partition and pruning a day's, never a long DELETE.
SQLite keeps plain tables and deletes by hour range. A late value (a remote poller's spool) lands in the
staging table and is merged into its hour's block, and the hour rolled up again, at the next upkeep.
`series()` reads blocks and staging; `hourly()` reads the rolled-up hours and adds up the staged values of
hours not rolled up yet, so its figures are current.
"""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, Max, Sum
from django.db.models.functions import TruncHour

from monitoring import partitions
from monitoring.lookups import chunks
from monitoring.metrics.blocks import pack, sql_record, unpack
from monitoring.metrics.models import MetricBlock, MetricHourly, MetricValue
from monitoring.partitions import HOUR, floor_day, floor_hour

Row = tuple[int, str, datetime, float]  # asset id, metric, at (aware UTC), value
Hour = tuple[datetime, float, float, int]  # hour, average, peak, count
_COLUMNS = ("asset_id", "metric", "at", "value")
_TABLES = partitions.METRICS
HOURS_AHEAD = 2  # staging partitions made ahead of the current hour, so a late upkeep costs nothing


def _postgres() -> bool:
    return connection.vendor == "postgresql"


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
    """The values of one metric of one asset in [start, end), oldest first: packed hours and staged values
    merged (a staged value not merged yet wins over a packed one of the same moment)."""
    found = {}
    blocks = MetricBlock.objects.filter(asset_id=asset_id, metric=metric, hour__gte=floor_hour(start), hour__lt=end)
    for hour, data in blocks.order_by("hour").values_list("hour", "data"):
        found.update((at, value) for at, value in unpack(hour.astimezone(UTC), bytes(data)) if start <= at < end)
    staged = MetricValue.objects.filter(asset_id=asset_id, metric=metric, at__gte=start, at__lt=end)
    found.update(staged.values_list("at", "value"))
    return sorted(found.items())


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


def roll_up(now: datetime) -> int:
    """Pack every hour before the current one still staged, oldest first, one transaction an hour, writing
    its hourly rows from the same pass; returns the number of (asset, metric) hours written."""
    if _postgres():
        with connection.cursor() as cursor:
            _TABLES.ensure_hours(cursor, [floor_hour(now) + i * HOUR for i in range(HOURS_AHEAD + 1)])
    written = 0
    for hour in _finished_hours(floor_hour(now)):
        with transaction.atomic():
            written += _pack_hour(hour)
            _clear_staging(hour)
    return written


def _finished_hours(current: datetime) -> list[datetime]:
    if not _postgres():
        return list(MetricValue.objects.filter(at__lt=current).datetimes("at", "hour", tzinfo=UTC))
    with connection.cursor() as cursor:
        return _TABLES.finished_hours(cursor, current)


def _pack_hour(hour: datetime) -> int:
    """Blocks and hourly rows of one hour from its staged values; the staged values stay (`_clear_staging`)."""
    staged = MetricValue.objects.filter(at__gte=hour, at__lt=hour + HOUR)
    if not _postgres():
        return _merge(hour, set(staged.values_list("asset_id", "metric").distinct()))
    with connection.cursor() as cursor:
        _TABLES.lock_writers(cursor)
        _TABLES.ensure_days(cursor, {floor_day(hour)})
        cursor.execute(
            f"SELECT DISTINCT s.asset_id, s.metric FROM {_TABLES.staging} s JOIN {_TABLES.blocks} b "
            "ON b.asset_id = s.asset_id AND b.metric = s.metric AND b.hour = %s WHERE s.at >= %s AND s.at < %s",
            [hour, hour, hour + HOUR],
        )
        written = _merge(hour, set(cursor.fetchall()))
        # The rest in one statement; the blocks just merged exist now and are left out.
        cursor.execute(
            f"""
            WITH hour AS (
                SELECT asset_id, metric, count(*) AS n, sum(value) AS total, max(value) AS peak,
                       string_agg({sql_record("%(hour)s")}, ''::bytea ORDER BY at) AS data
                FROM {_TABLES.staging} s
                WHERE at >= %(hour)s AND at < %(end)s AND NOT EXISTS (
                    SELECT 1 FROM {_TABLES.blocks} b WHERE b.asset_id = s.asset_id AND b.metric = s.metric
                    AND b.hour = %(hour)s)
                GROUP BY asset_id, metric
            ), blocks AS (
                INSERT INTO {_TABLES.blocks} (asset_id, metric, hour, count, data)
                SELECT asset_id, metric, %(hour)s, n, data FROM hour
            )
            INSERT INTO {MetricHourly._meta.db_table} (asset_id, metric, hour, total, peak, count)
            SELECT asset_id, metric, %(hour)s, total, peak, n FROM hour
            ON CONFLICT (asset_id, metric, hour) DO UPDATE
                SET total = excluded.total, peak = excluded.peak, count = excluded.count
            """,
            {"hour": hour, "end": hour + HOUR},
        )
        return written + cursor.rowcount


def _merge(hour: datetime, keys: set[tuple[int, str]]) -> int:
    """Pack these (asset, metric) pairs' staged values of `hour` together with their block, if any: one value
    a moment, the staged one winning. Their hourly rows are figured from the packed values."""
    if not keys:
        return 0
    found: dict[tuple[int, str], dict[datetime, float]] = defaultdict(dict)
    old = MetricBlock.objects.filter(hour=hour, asset_id__in={asset_id for asset_id, _ in keys})
    old = [block for block in old.values_list("asset_id", "metric", "data") if block[:2] in keys]
    for asset_id, metric, data in old:
        found[asset_id, metric].update(unpack(hour, bytes(data)))
    staged = MetricValue.objects.filter(at__gte=hour, at__lt=hour + HOUR, asset_id__in={a for a, _ in keys})
    for asset_id, metric, at, value in staged.values_list(*_COLUMNS):
        if (asset_id, metric) in keys:
            found[asset_id, metric][at] = value
    MetricBlock.objects.filter(pk__in=[(asset_id, metric, hour) for asset_id, metric, _data in old]).delete()
    blocks, rows = [], []
    for (asset_id, metric), by_moment in found.items():
        data = pack(hour, sorted(by_moment.items()))
        values = [value for _at, value in unpack(hour, data)]  # the hour's figures are those of what is kept
        blocks.append(MetricBlock(asset_id=asset_id, metric=metric, hour=hour, count=len(values), data=data))
        rows.append(
            MetricHourly(
                asset_id=asset_id, metric=metric, hour=hour, total=sum(values), peak=max(values), count=len(values)
            )
        )
    MetricBlock.objects.bulk_create(blocks, batch_size=500)
    MetricHourly.objects.bulk_create(
        rows,
        batch_size=2000,
        update_conflicts=True,
        unique_fields=["asset", "metric", "hour"],
        update_fields=["total", "peak", "count"],
    )
    return len(blocks)


def _clear_staging(hour: datetime) -> None:
    if not _postgres():
        MetricValue.objects.filter(at__gte=hour, at__lt=hour + HOUR).delete()
        return
    with connection.cursor() as cursor:
        _TABLES.clear_hour(cursor, hour)


def prune(now: datetime) -> int:
    """Drop the blocks past SAMPLE_RETENTION_DAYS (hourly rows stay): on PostgreSQL whole days, the partitions
    that end by the cutoff; on SQLite by hour. Returns the number of blocks removed (PostgreSQL: as its
    statistics estimate them, since counting would read what is being dropped)."""
    cutoff = now - timedelta(days=settings.SAMPLE_RETENTION_DAYS)
    if not _postgres():
        deleted, _by_model = MetricBlock.objects.filter(hour__lte=cutoff - HOUR).delete()
        return deleted
    with connection.cursor() as cursor:
        return _TABLES.drop_days(cursor, cutoff)


def upkeep(now: datetime) -> None:
    """The poller's hourly work for metrics (settings.POLL_HOURLY_HOOKS): pack and roll up, then prune."""
    roll_up(now)
    prune(now)
