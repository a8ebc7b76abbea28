"""A full poll cycle of 30,000 assets, recorded in SQLite and in PostgreSQL: CPU seconds per cycle.

    python bench/cycle.py [--assets 30000] [--cycles 3] [--databases sqlite,postgresql]
                          [--history-assets 30000] [--history-days 1]

On PostgreSQL the cycles run twice: with an empty history, then with `--history-days` of raw history of
`--history-assets` assets in hour blocks and a full hour of their results in the staging table
(bench/_history_fill.py; 0 skips it): the recording must not grow slower as history accumulates.

Then the runner's own loop runs as `runpoller` runs it, every asset at its slot: LOOP_WARM_S of warm-up,
then CPU per minute over LOOP_S (a fleet spread over its interval makes many small cycles a minute, each
with its claim, its recording and the cycle hooks).

Each database runs in a child process of its own (a scratch SQLite file, a scratch PostgreSQL
database on 127.0.0.1:5432 created and dropped here) and a scratch SIMPUL_VAR_DIR: the cycle's
hooks write the dashboard cache, which must not land in the developer's var/. Every asset has its
own loopback address, so every probe is real ICMP. CPU is this process's (event loop and database
thread); PostgreSQL's own server CPU is reported beside it. The last line is one JSON object with
the figures.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PG_ADMIN = "postgres://postgres@127.0.0.1:5432/postgres"
LOOP_WARM_S, LOOP_S = 60, 60


def child(assets: int, cycles: int, history_assets: int, history_days: int) -> None:
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(ROOT / "bench"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "simpul.settings")
    import asyncio

    import django

    django.setup()
    from _history_fill import fill_blocks, fill_staging
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from assets.models import Agency, Asset
    from monitoring import history, partitions
    from monitoring.models import Sample
    from monitoring.runner import PollRunner

    call_command("migrate", verbosity=0)
    province = Agency.objects.create(code="64", name="Bench", level="province")
    per_agency = 50
    agencies = Agency.objects.bulk_create(
        Agency(code=f"{10 + i // 100:02d}.{i % 100:02d}", name=f"A{i}", level="regency", parent=province)
        for i in range((assets + per_agency - 1) // per_agency)
    )
    Asset.objects.bulk_create(
        (
            Asset(
                agency=agencies[i // per_agency],
                kind="router",
                name=f"R{i}",
                management_address=f"127.{100 + i // 65536}.{(i // 256) % 256}.{i % 256}",
            )
            for i in range(assets)
        ),
        batch_size=2000,
    )

    async def run():
        rows = []
        async with PollRunner() as runner:
            for _ in range(cycles):
                cpu, wall, server = time.process_time(), time.perf_counter(), postgres_cpu_s()
                report = await runner.cycle(force=True)
                rows.append(
                    {
                        "cpu_s": round(time.process_time() - cpu, 2),
                        "wall_s": round(time.perf_counter() - wall, 2),
                        "poll_s": round(report.poll_s, 2),
                        "record_s": round(report.record_s, 2),
                        "jobs": report.jobs,
                        "samples": report.recorded.samples if report.recorded else 0,
                        "up": sum(o.verdict == "up" for o in report.observations),
                        "server_cpu_s": round(postgres_cpu_s() - server, 2)
                        if connection.vendor == "postgresql"
                        else None,
                    }
                )
        return rows

    async def loop() -> dict:
        """The runner's own loop, as `runpoller` runs it: assets polled at their slots, spread over the
        interval, in as many small cycles as that makes. CPU per minute, after a minute of warm-up."""
        stop = asyncio.Event()
        async with PollRunner() as runner:
            running = asyncio.create_task(runner.run(stop))
            await asyncio.sleep(LOOP_WARM_S)
            before = await asyncio.to_thread(Sample.objects.count)
            cpu, wall = time.process_time(), time.perf_counter()
            await asyncio.sleep(LOOP_S)
            cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
            polled = await asyncio.to_thread(Sample.objects.count) - before
            stop.set()
            await running
        return {"cpu_s_per_min": round(cpu * 60 / wall, 2), "polled_per_min": round(polled * 60 / wall)}

    rows = asyncio.run(run())
    assert Sample.objects.count() == assets * cycles
    figures = {"vendor": connection.vendor, "cycles": rows, "loop": asyncio.run(loop())}
    if connection.vendor == "postgresql" and history_assets:
        hour = partitions.floor_hour(timezone.now())
        history.prepare(hour)
        stored = fill_blocks(hour - timedelta(hours=24 * history_days), 24 * history_days, history_assets)
        stored += fill_staging(hour, 60, history_assets)
        figures |= {"history_results": stored, "cycles_with_history": asyncio.run(run())}
    print(json.dumps(figures))


def run_child(url: str, assets: int, cycles: int, scratch: str, history: tuple[int, int] = (0, 0)) -> dict:
    env = {**os.environ, "DATABASE_URL": url, "SIMPUL_VAR_DIR": scratch, "DEBUG": "true", "LOG_LEVEL": "WARNING"}
    env["POLL_BATCH_LIMIT"] = str(max(assets, 50_000))  # one cycle polls them all, as a 100,000-asset centre is set up
    command = [sys.executable, __file__, "--child", "--assets", str(assets), "--cycles", str(cycles)]
    command += ["--history-assets", str(history[0]), "--history-days", str(history[1])]
    result = subprocess.run(
        command,
        env=env,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    if result.returncode != 0:
        raise SystemExit(f"child failed for {url}:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def postgres_cpu_s() -> float:
    """CPU seconds used so far by every PostgreSQL server process (from /proc)."""
    total = 0
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
        except OSError:
            continue
        if "(postgres)" in stat:
            fields = stat.rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--assets", type=int, default=30000)
    parser.add_argument("--cycles", type=int, default=3)
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--history-assets", type=int, default=30000)
    parser.add_argument("--history-days", type=int, default=1)
    parser.add_argument("--child", action="store_true")
    args = parser.parse_args()
    if args.child:
        child(args.assets, args.cycles, args.history_assets, args.history_days)
        return
    results = {}
    for database in args.databases.split(","):
        with tempfile.TemporaryDirectory(prefix="simpul-bench-") as scratch:
            if database == "sqlite":
                results["sqlite"] = run_child(f"sqlite:///{scratch}/bench.sqlite3", args.assets, args.cycles, scratch)
                continue
            import psycopg

            with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
                admin.execute("DROP DATABASE IF EXISTS simpul_bench")
                admin.execute("CREATE DATABASE simpul_bench")
            before = postgres_cpu_s()
            try:
                results["postgresql"] = run_child(
                    "postgres://postgres@127.0.0.1:5432/simpul_bench",
                    args.assets,
                    args.cycles,
                    scratch,
                    (args.history_assets, args.history_days),
                )
                results["postgresql"]["server_cpu_s_total"] = round(postgres_cpu_s() - before, 2)
            finally:
                with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
                    admin.execute("DROP DATABASE IF EXISTS simpul_bench")

    print(f"\nFull poll cycle of {args.assets} assets (3 echo requests each, recorded); the JSON takes the worst")
    print("cycle after the first (which also creates the state rows):\n")
    print(
        f"{'database':<12}{'cycle':>6}{'cpu s':>8}{'wall s':>8}{'poll s':>8}{'record s':>10}{'up':>8}{'pg cpu s':>10}"
    )
    summary = {}
    for database, result in results.items():
        for number, row in enumerate(result["cycles"], start=1):
            print(
                f"{database:<12}{number:>6}{row['cpu_s']:>8}{row['wall_s']:>8}{row['poll_s']:>8}{row['record_s']:>10}"
                f"{row['up']:>8}{'-' if row['server_cpu_s'] is None else row['server_cpu_s']:>10}"
            )
        steady = result["cycles"][1:] or result["cycles"]
        summary[database] = {
            "cpu_s": round(max(r["cpu_s"] for r in steady), 2),
            "wall_s": round(max(r["wall_s"] for r in steady), 2),
            "up": min(r["up"] for r in steady),
        }
        if database == "postgresql":
            summary[database]["server_cpu_s"] = max(r["server_cpu_s"] for r in steady)
        summary[database]["loop"] = result["loop"]
    worst = max(summary.values(), key=lambda s: s["cpu_s"])
    with_history = {}
    if "cycles_with_history" in results.get("postgresql", {}):
        result = results["postgresql"]
        steady = result["cycles_with_history"][1:] or result["cycles_with_history"]
        for number, row in enumerate(result["cycles_with_history"], start=1):
            print(
                f"{'pg+history':<12}{number:>6}{row['cpu_s']:>8}{row['wall_s']:>8}{row['poll_s']:>8}"
                f"{row['record_s']:>10}{row['up']:>8}{row['server_cpu_s']:>10}"
            )
        with_history = {
            "history_results": result["history_results"],
            "cpu_s_empty": summary["postgresql"]["cpu_s"],
            "cpu_s_with_history": round(max(r["cpu_s"] for r in steady), 2),
        }
        print(
            f"\nPostgreSQL with {result['history_results']:,} results of history present: "
            f"{with_history['cpu_s_with_history']} CPU s a cycle against {with_history['cpu_s_empty']} empty "
            "(goal: within 10 %)"
        )
    print("\nThe runner's own loop (assets at their slots), a minute after a minute of warm-up:\n")
    for database, result in results.items():
        loop = result["loop"]
        print(f"{database:<12}{loop['cpu_s_per_min']:>8} CPU s a minute, {loop['polled_per_min']:,} polls a minute")
    print(
        json.dumps(
            {
                "assets": args.assets,
                "database": "+".join(summary),
                "cpu_s": worst["cpu_s"],
                "wall_s": worst["wall_s"],
                "goal_cpu_s": 15,
                **with_history,
                **summary,
            }
        )
    )


if __name__ == "__main__":
    main()
