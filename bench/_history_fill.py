"""A day or more of raw history for the benches, made in SQL as the hourly upkeep would have left it: one
hour block per asset and hour (monitoring.blocks), chosen among variants packed here, so a 30,000-asset day
(720,000 blocks, 43.2 M results) takes seconds, not the hours a poller would."""

import random
from datetime import datetime, timedelta

from django.db import connection

from monitoring import partitions
from monitoring.blocks import Result, pack

VARIANTS = 16
PER_HOUR = 60  # a 60 s interval


def variants(hour: datetime, seed: int = 13) -> list[bytes]:
    """Blocks of 60 results with varied RTTs, some loss, and now and then a failure with its reason."""
    rng, blocks = random.Random(seed), []
    for _ in range(VARIANTS):
        phase = rng.uniform(0, 60)
        results = []
        for minute in range(PER_HOUR):
            at = hour + timedelta(seconds=minute * 60 + phase, microseconds=rng.randrange(1_000_000))
            if rng.random() < 0.03:
                results.append(Result(at, "icmp", "down", None, None, 1.0, "Tidak menjawab 3 ping"))
            else:
                rtt, loss = rng.uniform(1, 60), rng.choice([0.0] * 9 + [1 / 3])
                results.append(Result(at, "icmp", "up", rtt, rtt * rng.uniform(1, 1.5), loss, ""))
        blocks.append(pack(hour, results))
    return blocks


def fill_blocks(start: datetime, hours: int, assets: int | None = None) -> int:
    """Blocks for the first `assets` assets (all by default) and each of `hours` hours from `start` (a
    midnight); returns their results."""
    data = variants(start)  # offsets into the hour, so one set serves every hour
    days = (hours + 23) // 24
    with connection.cursor() as cursor:
        partitions.ensure_days(cursor, {start + timedelta(days=d) for d in range(days)})
        for day in range(days):
            first = start + timedelta(days=day)
            last = min(first + timedelta(hours=23), start + timedelta(hours=hours - 1))
            cursor.execute(
                f"""
                INSERT INTO {partitions.BLOCKS} (asset_id, hour, count, data)
                SELECT a.id, h, %s, (%s::bytea[])[1 + (a.id + extract(hour FROM h)::int) %% %s]
                FROM (SELECT id FROM assets_asset ORDER BY id LIMIT %s) a,
                     generate_series(%s::timestamptz, %s::timestamptz, '1 hour') h
                """,
                [PER_HOUR, data, VARIANTS, assets, first, last],
            )
        cursor.execute(f"ANALYZE {partitions.BLOCKS}")
        cursor.execute("SELECT count(*) FROM (SELECT id FROM assets_asset LIMIT %s) a", [assets])
        return cursor.fetchone()[0] * hours * PER_HOUR


def fill_staging(hour: datetime, minutes: int, assets: int | None = None) -> int:
    """`minutes` results per asset (the first `assets`, all by default) in the staging table, from `hour` on,
    by COPY as the recorder writes them."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT id FROM assets_asset ORDER BY id LIMIT %s", [assets])
        ids = [pk for (pk,) in cursor.fetchall()]
        columns = "asset_id, at, source, verdict, rtt_ms, rtt_max_ms, loss, reason"
        with cursor.cursor.copy(f"COPY {partitions.STAGING} ({columns}) FROM STDIN") as copy:
            for minute in range(minutes):
                at = hour + timedelta(minutes=minute, seconds=7)
                for pk in ids:
                    copy.write_row((pk, at, "icmp", "up", 4.2, 5.1, 0.0, ""))
        cursor.execute(f"ANALYZE {partitions.STAGING}")
    return len(ids) * minutes
