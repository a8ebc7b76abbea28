"""Raw history in hour blocks on PostgreSQL: storage per asset-day, pruning, and the reads that use it.

    python bench/history.py [--assets 30000] [--days 1]

A scratch database on 127.0.0.1:5432 (created and dropped here) and a scratch SIMPUL_VAR_DIR. The history is
made in SQL as the hourly upkeep leaves it (bench/_history_fill.py: one block per asset and hour, 60 results
each), plus a full current hour of rows in the staging table, written by COPY as the recorder writes them.
Measured: bytes per asset-day of the blocks all-in (heap, indexes, TOAST); one asset's last 24 h of raw
results read through monitoring.history (the RTT chart's question: 23 blocks and the staging rows); the
availability of every agency over 30 days; the dashboard page; packing the staging hour into blocks with its
rollups; pruning the oldest day. The last line is one JSON object with the figures.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PG_ADMIN = "postgres://postgres@127.0.0.1:5432/postgres"
SCRATCH_DB = "simpul_bench_history"


def p99(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]


def child(assets: int, days: int) -> None:
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(ROOT / "bench"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "simpul.settings")
    import django

    django.setup()
    from _history_fill import fill_blocks, fill_staging
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from accounts.models import User
    from assets.models import Agency, Asset
    from monitoring import history, partitions
    from monitoring.availability import availability

    call_command("migrate", verbosity=0)
    province = Agency.objects.create(code="64", name="Bench", level="province")
    agencies = Agency.objects.bulk_create(
        Agency(code=f"{10 + i // 100:02d}.{i % 100:02d}", name=f"A{i}", level="regency", parent=province)
        for i in range((assets + 49) // 50)
    )
    Asset.objects.bulk_create(
        (Asset(agency=agencies[i // 50], kind="router", name=f"R{i}") for i in range(assets)), batch_size=5000
    )
    hour = partitions.floor_hour(timezone.now())
    now = hour + timedelta(minutes=59, seconds=30)
    first_day = partitions.floor_day(hour) - timedelta(days=days)
    hours = days * 24 + hour.hour  # whole days before today, and today up to the current hour
    started = time.perf_counter()
    results = fill_blocks(first_day, hours)
    fill_s = time.perf_counter() - started
    history.prepare(hour)
    started = time.perf_counter()
    staged = fill_staging(hour, 60)
    copy_s = time.perf_counter() - started
    with connection.cursor() as cursor:
        names = list(partitions.children(cursor, partitions.BLOCKS))
        cursor.execute("SELECT sum(pg_total_relation_size(c::regclass)) FROM unnest(%s::text[]) c", [names])
        block_bytes = int(cursor.fetchone()[0])
        cursor.execute(f"SELECT pg_total_relation_size('{partitions.hour_name(hour)}')")
        staging_bytes = cursor.fetchone()[0]

    ids = list(Asset.objects.order_by("?").values_list("pk", flat=True)[:100])
    chart = []
    for pk in ids:
        started = time.perf_counter()
        found = history.results(pk, since=now - timedelta(hours=24), until=now, newest_first=False, limit=5000)
        chart.append((time.perf_counter() - started) * 1000)
    assert len(found) >= 23 * 60, len(found)

    availability_ms = []
    for _ in range(5):
        started = time.perf_counter()
        availability(Asset.objects.all(), start=now - timedelta(days=30), end=now, group_by="agency")
        availability_ms.append((time.perf_counter() - started) * 1000)

    User.objects.create_superuser("bench", password="-")
    client = Client(HTTP_HOST="localhost")
    client.force_login(User.objects.get(username="bench"))
    dashboard = []
    for run in range(41):
        started = time.perf_counter()
        response = client.get("/")
        if run:  # the first fills the cache, as the poller's cycle hook does in service
            dashboard.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.status_code

    started = time.perf_counter()
    packed = history.pack_finished_hours(hour + timedelta(hours=1, seconds=5))
    pack_s = time.perf_counter() - started
    settings.SAMPLE_RETENTION_DAYS = 1
    started = time.perf_counter()
    history.prune(first_day + timedelta(days=2))  # the oldest whole day expires
    prune_s = time.perf_counter() - started
    with connection.cursor() as cursor:
        assert partitions.day_name(first_day) not in partitions.children(cursor, partitions.BLOCKS)
    print(
        json.dumps(
            {
                "assets": assets,
                "days": round(hours / 24, 2),
                "results": results,
                "bytes_per_asset_day": round(block_bytes / assets / (hours / 24)),
                "prune_s": round(prune_s, 3),
                "dashboard_p99_ms": round(p99(dashboard), 1),
                "availability_query_ms": round(statistics.median(availability_ms), 1),
                "rtt_chart_query_ms": round(statistics.median(chart), 1),
                "rtt_chart_p99_ms": round(p99(chart), 1),
                "staging_results": staged,
                "staging_bytes_per_result": round(staging_bytes / staged, 1),
                "copy_s": round(copy_s, 2),
                "pack_hour_s": round(pack_s, 2),
                "packed_blocks": packed,
                "fill_s": round(fill_s, 2),
            }
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--assets", type=int, default=30000)
    parser.add_argument("--days", type=int, default=1)
    parser.add_argument("--child", action="store_true")
    args = parser.parse_args()
    if args.child:
        child(args.assets, args.days)
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
                "DEBUG": "true",
            }
            command = [sys.executable, __file__, "--child", "--assets", str(args.assets), "--days", str(args.days)]
            result = subprocess.run(command, env=env, capture_output=True, text=True, cwd=ROOT)
    finally:
        with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {SCRATCH_DB}")
    if result.returncode != 0:
        raise SystemExit(f"child failed:\n{result.stderr[-3000:]}")
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    print(f"\nRaw history in hour blocks, PostgreSQL: {args.assets:,} assets x {figures['days']} days at 60 s")
    print(f"({figures['results']:,} results in blocks, {figures['staging_results']:,} in the staging table)\n")
    rows = [
        ("bytes per asset-day, blocks all-in", f"{figures['bytes_per_asset_day']:,}", "<= 35,000"),
        ("staging bytes per result (heap + index)", figures["staging_bytes_per_result"], ""),
        ("COPY of the staging hour, s", figures["copy_s"], ""),
        ("pack one hour into blocks + rollups, s", figures["pack_hour_s"], ""),
        ("prune one day (DROP of a partition), s", figures["prune_s"], "< 1"),
        ("one asset's last 24 h of results, median ms", figures["rtt_chart_query_ms"], ""),
        ("  the same, p99 ms", figures["rtt_chart_p99_ms"], ""),
        ("availability of every agency over 30 days, ms", figures["availability_query_ms"], ""),
        ("dashboard page, p99 ms", figures["dashboard_p99_ms"], ""),
    ]
    for name, value, goal in rows:
        print(f"{name:<48}{value!s:>12}  {goal}")
    keys = ["assets", "days", "results", "bytes_per_asset_day", "prune_s", "dashboard_p99_ms"]
    keys += ["availability_query_ms", "rtt_chart_query_ms", "pack_hour_s", "copy_s"]
    print(json.dumps({key: figures[key] for key in keys}))


if __name__ == "__main__":
    main()
