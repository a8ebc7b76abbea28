"""Metric values in hour blocks on PostgreSQL: bytes per value and per asset-day, packing, pruning.

    python bench/metric_blocks.py [--assets 300] [--metrics 7] [--hours 24]

A scratch database on 127.0.0.1:5432 (created and dropped here) and a scratch SIMPUL_VAR_DIR. The values go
in through the store's own path, as the poller writes them: a COPY of each hour's values (one a minute per
asset and metric, 7 interface metrics by default), then the hourly upkeep (`store.roll_up`) packing the finished
hour into blocks with its hourly rows. Measured: the staging bytes per value of one full hour before packing
and the blocks' bytes per value and per asset-day after (pg_total_relation_size: heap, indexes, TOAST), the
packing of one hour, and the pruning of the day (DROP of its partition). The last line is one JSON object.
"""

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PG_ADMIN = "postgres://postgres@127.0.0.1:5432/postgres"
SCRATCH_DB = "simpul_bench_metric_blocks"
METRICS = ("if_in_bps", "if_out_bps", "if_in_errors", "if_out_errors", "if_in_discards", "if_out_discards", "if_oper")


def child(assets: int, metrics: int, hours: int) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "simpul.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone

    from assets.models import Agency, Asset
    from monitoring import partitions
    from monitoring.metrics import store

    call_command("migrate", verbosity=0)
    province = Agency.objects.create(code="64", name="Bench", level="province")
    agency = Agency.objects.create(code="64.01", name="A", level="regency", parent=province)
    ids = [
        a.pk
        for a in Asset.objects.bulk_create(Asset(agency=agency, kind="router", name=f"R{i}") for i in range(assets))
    ]
    names = METRICS[:metrics]
    day = partitions.floor_day(timezone.now()) - timedelta(days=2)  # a whole day past: packed, then pruned
    rng = random.Random(13)
    staging_bytes = pack_s = 0.0
    values = 0
    store.roll_up(day)  # the partitions of the first hours
    for h in range(hours):
        hour = day + timedelta(hours=h)
        rows = [
            (pk, name, hour + timedelta(seconds=60 * m + rng.random()), rng.uniform(0, 1e8))
            for pk in ids
            for name in names
            for m in range(60)
        ]
        store.write(rows)
        values += len(rows)
        if h == 0:
            with connection.cursor() as cursor:
                cursor.execute(f"ANALYZE {partitions.METRICS.hour_name(hour)}")
                cursor.execute("SELECT pg_total_relation_size(%s)", [partitions.METRICS.hour_name(hour)])
                staging_bytes = cursor.fetchone()[0] / len(rows)
        started = time.perf_counter()
        store.roll_up(hour + timedelta(hours=1))
        pack_s = max(pack_s, time.perf_counter() - started)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_total_relation_size(%s)", [partitions.METRICS.day_name(day)])
        block_bytes = cursor.fetchone()[0]
        started = time.perf_counter()
        with transaction.atomic():
            store.prune(day + timedelta(days=1 + settings.SAMPLE_RETENTION_DAYS))
        prune_s = time.perf_counter() - started
        cursor.execute("SELECT to_regclass(%s)", [partitions.METRICS.day_name(day)])
        assert cursor.fetchone()[0] is None
    print(
        json.dumps(
            {
                "assets": assets,
                "metrics": metrics,
                "hours": hours,
                "values": values,
                "staging_bytes_per_value": round(staging_bytes, 1),
                "block_bytes_per_value": round(block_bytes / values, 2),
                "bytes_per_asset_day": round(block_bytes / assets / (hours / 24)),
                "pack_hour_max_s": round(pack_s, 2),
                "prune_day_s": round(prune_s, 3),
            }
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--assets", type=int, default=300)
    parser.add_argument("--metrics", type=int, default=7, choices=range(1, len(METRICS) + 1))
    parser.add_argument("--hours", type=int, default=24, choices=range(1, 25))
    parser.add_argument("--child", action="store_true")
    args = parser.parse_args()
    sizes = ["--assets", str(args.assets), "--metrics", str(args.metrics), "--hours", str(args.hours)]
    if args.child:
        child(args.assets, args.metrics, args.hours)
        return
    import psycopg

    with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {SCRATCH_DB}")
        admin.execute(f"CREATE DATABASE {SCRATCH_DB}")
    try:
        with tempfile.TemporaryDirectory(prefix="simpul-bench-") as scratch:
            env = {
                **os.environ,
                "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{SCRATCH_DB}",
                "SIMPUL_VAR_DIR": scratch,
                "LOG_LEVEL": "WARNING",
            }
            command = [sys.executable, __file__, "--child", *sizes]
            result = subprocess.run(command, env=env, capture_output=True, text=True, cwd=ROOT)
    finally:
        with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {SCRATCH_DB}")
    if result.returncode != 0:
        raise SystemExit(f"child failed:\n{result.stderr[-3000:]}")
    print(result.stdout.strip().splitlines()[-1])


if __name__ == "__main__":
    main()
