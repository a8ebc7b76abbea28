"""Raw poll history: the one place that reads and keeps it.

Each cycle's results go to the staging table `Sample` (COPY on PostgreSQL, monitoring.recorder); the poller's
hourly upkeep packs every finished hour into one `SampleBlock` per asset (monitoring.blocks), writing the
hour's rollups from the same pass, and then drops the hour from the staging table. Readers get both, merged,
through `results()`. On PostgreSQL the staging table is partitioned by hour and the blocks by day
(monitoring.partitions): packing drops an hour's partition and pruning drops a day's, never a long DELETE.
SQLite, the embedded default, keeps plain tables and deletes by hour range.

Packing is idempotent: an asset whose block for the hour exists (a late result, or a run after a crash
between packing and dropping) has its block decoded, merged with the staging rows without duplicates and
written again; the rest is packed in one SQL statement on PostgreSQL.
"""

import time
from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime, timedelta
from itertools import groupby

from django.conf import settings
from django.db import connection, transaction

from monitoring import partitions
from monitoring.blocks import Result, pack, sql_record, unpack
from monitoring.models import HourlyRollup, Sample, SampleBlock
from monitoring.partitions import HOUR, floor_day, floor_hour

_COLUMNS = ("at", "source", "verdict", "rtt_ms", "rtt_max_ms", "loss", "reason")
_UP = ("up", "degraded")
HOURS_AHEAD = 2  # staging partitions made ahead of the current hour, so a late upkeep costs nothing


def _postgres() -> bool:
    return connection.vendor == "postgresql"


# Reading


def results(
    asset_id: int,
    *,
    since: datetime | None = None,
    until: datetime | None = None,
    sources: Iterable[str] = (),
    verdicts: Iterable[str] = (),
    newest_first: bool = True,
    beyond: datetime | None = None,
    limit: int = 100,
) -> list[Result]:
    """Up to `limit` results of one asset with since <= at < until, ordered by time, starting after `beyond`
    (the keyset edge, exclusive) in that order. Blocks are decoded an hour at a time until enough are found."""
    sources, verdicts = set(sources), set(verdicts)
    if beyond is not None:
        if newest_first:
            until = beyond if until is None else min(until, beyond)
        else:
            since = (
                beyond + timedelta(microseconds=1) if since is None else max(since, beyond + timedelta(microseconds=1))
            )

    def wanted(result: Result) -> bool:
        return (
            (since is None or result.at >= since)
            and (until is None or result.at < until)
            and (not sources or result.source in sources)
            and (not verdicts or result.verdict in verdicts)
        )

    staged = Sample.objects.filter(asset_id=asset_id)
    blocks = SampleBlock.objects.filter(asset_id=asset_id)
    if since is not None:
        staged, blocks = staged.filter(at__gte=since), blocks.filter(hour__gte=floor_hour(since))
    if until is not None:
        staged, blocks = staged.filter(at__lt=until), blocks.filter(hour__lt=until)
    if sources:
        staged = staged.filter(source__in=sources)
    if verdicts:
        staged = staged.filter(verdict__in=verdicts)
    order = "-at" if newest_first else "at"
    found = [Result(*row) for row in staged.order_by(order).values_list(*_COLUMNS)[:limit]]
    found += _legacy_results(asset_id, since, until, sources, verdicts, newest_first, limit)
    blocks = blocks.order_by("-hour" if newest_first else "hour").values_list("hour", "data")
    unpacked: list[Result] = []
    for hour, data in blocks.iterator(chunk_size=24):
        unpacked += filter(wanted, unpack(hour, bytes(data)))
        # Every block not yet read is wholly beyond this hour: stop once `limit` results come before it.
        edge = hour if newest_first else hour + HOUR
        ahead = [r for r in found if (r.at >= edge if newest_first else r.at < edge)]
        if len(unpacked) + len(ahead) >= limit:
            break
    return sorted(found + unpacked, key=lambda r: r.at, reverse=newest_first)[:limit]


def _legacy_results(asset_id, since, until, sources, verdicts, newest_first: bool, limit: int) -> list[Result]:
    """The same query on the old table of one row a result, while it is not packed yet (PostgreSQL)."""
    if not _postgres():
        return []
    conditions, params = ["asset_id = %s"], [asset_id]
    for condition, value in (("at >= %s", since), ("at < %s", until)):
        if value is not None:
            conditions.append(condition)
            params.append(value)
    for column, values in (("source", sources), ("verdict", verdicts)):
        if values:
            conditions.append(f"{column} = ANY(%s)")
            params.append(list(values))
    with connection.cursor() as cursor:
        if not _legacy_exists(cursor):
            return []
        cursor.execute(
            f"SELECT {', '.join(_COLUMNS)} FROM {partitions.LEGACY} WHERE {' AND '.join(conditions)}"
            f" ORDER BY at {'DESC' if newest_first else 'ASC'} LIMIT %s",
            [*params, limit],
        )
        return [Result(*row) for row in cursor.fetchall()]


class _Legacy:
    """Once the old table is gone it stays gone: migration 0008 runs before the poller and the web start, so
    each process asks at most until it finds it gone (a read of the history then costs no extra query)."""

    gone = False


def _legacy_exists(cursor) -> bool:
    if _Legacy.gone:
        return False
    cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [partitions.LEGACY])
    exists = cursor.fetchone()[0]
    _Legacy.gone = not exists
    return exists


# The hourly upkeep


def prepare(now: datetime) -> None:
    """Staging partitions for the current hour and the next few (PostgreSQL); nothing to do on SQLite."""
    if _postgres():
        current = floor_hour(now)
        with connection.cursor() as cursor:
            partitions.ensure_hours(cursor, [current + i * HOUR for i in range(HOURS_AHEAD + 1)])


def pack_finished_hours(now: datetime) -> int:
    """Pack every hour before the current one still in the staging table, oldest first, one transaction an
    hour; returns the number of blocks written. The hour's rollups are written from the same pass."""
    written = 0
    for hour in _finished_hours(floor_hour(now)):
        with transaction.atomic():
            written += pack_hour(hour)
            _clear_staging(hour)
    return written


def _finished_hours(current: datetime) -> list[datetime]:
    if not _postgres():
        return list(Sample.objects.filter(at__lt=current).datetimes("at", "hour", tzinfo=current.tzinfo))
    with connection.cursor() as cursor:
        return partitions.SAMPLES.finished_hours(cursor, current)


def pack_hour(hour: datetime) -> int:
    """Blocks and rollups of one hour from its staging rows; the staging rows stay (`_clear_staging`)."""
    if not _postgres():
        ids = set(Sample.objects.filter(at__gte=hour, at__lt=hour + HOUR).values_list("asset_id", flat=True))
        return _merge(hour, ids)
    with connection.cursor() as cursor:
        partitions.SAMPLES.lock_writers(cursor)
        partitions.ensure_days(cursor, {floor_day(hour)})
        cursor.execute(
            f"SELECT DISTINCT s.asset_id FROM {partitions.STAGING} s JOIN {partitions.BLOCKS} b "
            "ON b.asset_id = s.asset_id AND b.hour = %s WHERE s.at >= %s AND s.at < %s",
            [hour, hour, hour + HOUR],
        )
        merged = {pk for (pk,) in cursor.fetchall()}
        written = _merge(hour, merged)
        cursor.execute(
            f"""
            WITH hour AS (
                SELECT asset_id, count(*) AS n, string_agg({sql_record("%(hour)s")}, ''::bytea ORDER BY at) AS data,
                       count(*) FILTER (WHERE verdict IN ('up', 'degraded')) AS up,
                       avg(rtt_ms) AS rtt_avg, max(rtt_max_ms) AS rtt_max, avg(loss) AS loss_avg
                FROM {partitions.STAGING}
                WHERE at >= %(hour)s AND at < %(end)s AND NOT asset_id = ANY(%(merged)s::bigint[])
                GROUP BY asset_id
            ), blocks AS (
                INSERT INTO {partitions.BLOCKS} (asset_id, hour, count, data)
                SELECT asset_id, %(hour)s, n, data FROM hour
            )
            INSERT INTO {HourlyRollup._meta.db_table} (asset_id, hour, samples, up, rtt_avg_ms, rtt_max_ms, loss_avg)
            SELECT asset_id, %(hour)s, n, up, rtt_avg, rtt_max, loss_avg FROM hour
            ON CONFLICT (asset_id, hour) DO UPDATE SET samples = excluded.samples, up = excluded.up,
                rtt_avg_ms = excluded.rtt_avg_ms, rtt_max_ms = excluded.rtt_max_ms, loss_avg = excluded.loss_avg
            """,
            {"hour": hour, "end": hour + HOUR, "merged": list(merged)},
        )
        return written + cursor.rowcount


def _merge(hour: datetime, asset_ids: set[int]) -> int:
    """Pack these assets' staging rows of `hour` together with their block, if any, without duplicates."""
    if not asset_ids:
        return 0
    staged = defaultdict(list)
    rows = Sample.objects.filter(at__gte=hour, at__lt=hour + HOUR, asset_id__in=asset_ids).order_by("asset_id", "at")
    for asset_id, group in groupby(rows.values_list("asset_id", *_COLUMNS), key=lambda row: row[0]):
        # Through the packed form, so a result already in the block compares equal (float32, microseconds).
        staged[asset_id] = unpack(hour, pack(hour, [Result(*row[1:]) for row in group]))
    old = SampleBlock.objects.filter(asset_id__in=asset_ids, hour=hour)
    for asset_id, data in old.values_list("asset_id", "data"):
        staged[asset_id] += unpack(hour, bytes(data))
    old.delete()
    blocks, rollups = [], []
    for asset_id, found in staged.items():
        found = sorted(set(found), key=lambda r: (r.at, r.source, r.verdict, r.reason))
        blocks.append(SampleBlock(asset_id=asset_id, hour=hour, count=len(found), data=pack(hour, found)))
        rollups.append(_rollup(asset_id, hour, found))
    SampleBlock.objects.bulk_create(blocks, batch_size=500)
    HourlyRollup.objects.bulk_create(
        rollups,
        batch_size=2000,
        update_conflicts=True,
        unique_fields=["asset", "hour"],
        update_fields=["samples", "up", "rtt_avg_ms", "rtt_max_ms", "loss_avg"],
    )
    return len(blocks)


def _rollup(asset_id: int, hour: datetime, found: list[Result]) -> HourlyRollup:
    def mean(values: list[float]) -> float | None:
        return sum(values) / len(values) if values else None

    rtts = [r.rtt_ms for r in found if r.rtt_ms is not None]
    maxima = [r.rtt_max_ms for r in found if r.rtt_max_ms is not None]
    return HourlyRollup(
        asset_id=asset_id,
        hour=hour,
        samples=len(found),
        up=sum(r.verdict in _UP for r in found),
        rtt_avg_ms=mean(rtts),
        rtt_max_ms=max(maxima, default=None),
        loss_avg=mean([r.loss for r in found if r.loss is not None]),
    )


def _clear_staging(hour: datetime) -> None:
    if not _postgres():
        Sample.objects.filter(at__gte=hour, at__lt=hour + HOUR).delete()
        return
    with connection.cursor() as cursor:
        partitions.SAMPLES.clear_hour(cursor, hour)


def prune(now: datetime) -> int:
    """Drop the blocks past SAMPLE_RETENTION_DAYS (hourly rollups stay): on PostgreSQL whole days, the
    partitions that end by the cutoff; on SQLite by hour. Returns the number of blocks removed (PostgreSQL:
    as its statistics estimate them, since counting would read what is being dropped)."""
    cutoff = now - timedelta(days=settings.SAMPLE_RETENTION_DAYS)
    if not _postgres():
        deleted, _ = SampleBlock.objects.filter(hour__lte=cutoff - HOUR).delete()
        return deleted
    with connection.cursor() as cursor:
        return partitions.SAMPLES.drop_days(cursor, cutoff)


def pack_legacy(now: datetime, *, budget_s: float | None = None, progress=None) -> tuple[int, bool]:
    """Pack the old table of one row a result (kept by migration 0008 on PostgreSQL) into blocks, oldest hour
    within the retention first, one transaction an hour, until it is empty (then dropped: rows past the retention
    go with it) or `budget_s` has passed. Returns (blocks written, done). Readers see every hour at all times:
    an hour's rows leave the old table in the transaction that writes its blocks."""
    written, started = 0, time.monotonic()
    cutoff = now - timedelta(days=settings.SAMPLE_RETENTION_DAYS)
    while True:
        with transaction.atomic(), connection.cursor() as cursor:
            if not _postgres() or not _legacy_exists(cursor):
                return written, True
            cursor.execute(f"SELECT min(at) FROM {partitions.LEGACY} WHERE at >= %s", [floor_hour(cutoff)])
            (first,) = cursor.fetchone()
            if first is None:
                cursor.execute(f"DROP TABLE {partitions.LEGACY}")
                return written, True
            written += _pack_legacy_hour(cursor, floor_hour(first))
        if progress is not None:
            progress(floor_hour(first), written)
        if budget_s is not None and time.monotonic() - started >= budget_s:
            return written, False


def _pack_legacy_hour(cursor, hour: datetime) -> int:
    """One old hour into blocks (appended to a block that a late result already made) and rollups (the old
    upkeep wrote most of them: those stay); rows of assets deleted since are dropped with the hour."""
    partitions.ensure_days(cursor, {floor_day(hour)})
    cursor.execute(
        f"""
        WITH hour AS (
            SELECT f.asset_id, count(*) AS n, string_agg({sql_record("%(hour)s")}, ''::bytea ORDER BY at) AS data,
                   count(*) FILTER (WHERE verdict IN ('up', 'degraded')) AS up,
                   avg(rtt_ms) AS rtt_avg, max(rtt_max_ms) AS rtt_max, avg(loss) AS loss_avg
            FROM {partitions.LEGACY} f JOIN assets_asset a ON a.id = f.asset_id
            WHERE at >= %(hour)s AND at < %(end)s GROUP BY f.asset_id
        ), blocks AS (
            INSERT INTO {partitions.BLOCKS} AS b (asset_id, hour, count, data)
            SELECT asset_id, %(hour)s, n, data FROM hour
            ON CONFLICT (asset_id, hour) DO UPDATE SET count = b.count + excluded.count, data = b.data || excluded.data
            RETURNING 1
        ), rollups AS (
            INSERT INTO {HourlyRollup._meta.db_table} (asset_id, hour, samples, up, rtt_avg_ms, rtt_max_ms, loss_avg)
            SELECT asset_id, %(hour)s, n, up, rtt_avg, rtt_max, loss_avg FROM hour
            ON CONFLICT (asset_id, hour) DO NOTHING
        )
        SELECT count(*) FROM blocks
        """,
        {"hour": hour, "end": hour + HOUR},
    )
    (written,) = cursor.fetchone()
    cursor.execute(f"DELETE FROM {partitions.LEGACY} WHERE at >= %s AND at < %s", [hour, hour + HOUR])
    return written


LEGACY_BUDGET_S = 30  # of each hourly upkeep for the old table, so the poller records on time (`packhistory`: all)


def upkeep(now: datetime) -> tuple[int, int]:
    """The poller's hourly work on the history: partitions ahead, finished hours packed, expired days pruned,
    and a share of the old table packed; returns (blocks written, blocks pruned)."""
    prepare(now)
    packed = pack_finished_hours(now) + pack_legacy(now, budget_s=LEGACY_BUDGET_S)[0]
    return packed, prune(now)
