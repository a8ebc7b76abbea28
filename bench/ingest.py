"""The remote pollers' ingest endpoint under load: PostgreSQL, gunicorn, real HTTP on loopback.

    python bench/ingest.py [--pollers 20] [--assets-per-poller 500] [--rounds 6] [--workers 2]

A scratch PostgreSQL database (simpul_ingest_bench, created and dropped here) gets `pollers` agencies, each
with a remote poller and its assets; gunicorn serves Simpul with DEBUG off. Then, as the pollers would:

1. steady ingest: every poller POSTs one batch per round (a result for each of its assets, one minute of
   polling apart), all pollers at once, each strictly in order; results/s over the whole run, and the p99
   time of one batch;
2. backlog: one more poller with 1,000 assets comes back from an hour without uplink and sends its spool,
   60,000 results, in batches of POLLER_MAX_BATCH, one after the other as the poller does; the time to drain.

Goals (issue 14): at least 5,000 results/s, and the hour's backlog drained in under 60 s. The last line is
one JSON object.
"""

import argparse
import json
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path

from _peers import free_port, wait_for_port

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
PG_ADMIN = "postgres://postgres@127.0.0.1:5432/postgres"
DB_NAME = "simpul_ingest_bench"
DB_URL = f"postgres://postgres@127.0.0.1:5432/{DB_NAME}"
BACKLOG_ASSETS, BACKLOG_MINUTES, INTERVAL = 1000, 60, timedelta(minutes=1)


def setup_data(pollers: int, assets_per_poller: int) -> dict:
    """Runs in a child process with DATABASE_URL set: agencies, assets and pollers; returns tokens and ids."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "simpul.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from assets.models import Agency, Asset
    from monitoring.remote.services import poller_create

    call_command("migrate", verbosity=0)
    province = Agency.objects.create(code="64", name="Bench", level="province")
    made = []
    for n, count in enumerate([assets_per_poller] * pollers + [BACKLOG_ASSETS]):
        agency = Agency.objects.create(code=f"64.{n + 1:02d}", name=f"BPBD {n}", level="regency", parent=province)
        assets = Asset.objects.bulk_create(
            Asset(agency=agency, kind="router", name=f"R{n}-{i}", management_address=f"10.{n}.{i // 250}.{i % 250 + 1}")
            for i in range(count)
        )
        _poller, token = poller_create(name=f"Poller {n}", agency=agency)
        made.append({"token": token, "assets": [asset.pk for asset in assets]})
    return {"pollers": made[:-1], "backlog": made[-1]}


def results(assets: list[int], *, first_seq: int, at: datetime) -> list[dict]:
    """One poll of every asset at `at`: mostly up, one in 50 down (the recorder's transitions get work too)."""
    return [
        {
            "seq": first_seq + i,
            "asset": pk,
            "at": at.isoformat(),
            "source": "icmp",
            "verdict": "down" if pk % 50 == 0 else "up",
            "reason": "100% loss" if pk % 50 == 0 else "",
            "rtt_ms": None if pk % 50 == 0 else 1.25,
            "rtt_max_ms": None if pk % 50 == 0 else 2.5,
            "loss": 1.0 if pk % 50 == 0 else 0.0,
            "sys_uptime": None,
            "sys_name": None,
            "snmp_auth_error": "",
        }
        for i, pk in enumerate(assets)
    ]


def post(client, token: str, batch: list[dict], backlog: int) -> float:
    """Send one batch; returns its round trip in ms. Anything but 200, or a partial record, stops the bench."""
    started = time.perf_counter()
    answer = client.post(
        "/api/pollers/results/",
        json={"version": "bench", "backlog": backlog, "dropped": 0, "results": batch},
        headers={"Authorization": f"Bearer {token}"},
    )
    elapsed = (time.perf_counter() - started) * 1000
    if answer.status_code != 200 or answer.json()["recorded"] != len(batch):
        raise SystemExit(f"ingest refused a batch: {answer.status_code} {answer.text[:300]}")
    return elapsed


def steady(base: str, pollers: list[dict], rounds: int) -> tuple[float, list[float], int]:
    """Every poller sends `rounds` batches in order, all pollers at once: (seconds, batch ms, results)."""
    import httpx

    start_at = datetime.now(UTC) - INTERVAL * (rounds + 1)

    def one_poller(poller: dict) -> list[float]:
        times, seq = [], 1
        with httpx.Client(base_url=base, timeout=120) as client:
            for n in range(rounds):
                batch = results(poller["assets"], first_seq=seq, at=start_at + INTERVAL * n)
                seq += len(batch)
                times.append(post(client, poller["token"], batch, backlog=0))
        return times

    with httpx.Client(base_url=base, timeout=120) as client:
        for poller in pollers:  # warm-up, not counted: each worker's first requests import and connect
            post(client, poller["token"], [], backlog=0)
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=len(pollers)) as pool:
        times = [ms for per_poller in pool.map(one_poller, pollers) for ms in per_poller]
    return time.perf_counter() - started, times, sum(len(p["assets"]) for p in pollers) * rounds


def backlog(base: str, poller: dict, batch_size: int) -> tuple[float, int]:
    """An hour of spooled results sent in order, batch after batch: (seconds, results)."""
    import httpx

    start_at = datetime.now(UTC) - INTERVAL * (BACKLOG_MINUTES + 1)
    spool = []
    for minute in range(BACKLOG_MINUTES):
        spool += results(poller["assets"], first_seq=len(spool) + 1, at=start_at + INTERVAL * minute)
    started = time.perf_counter()
    with httpx.Client(base_url=base, timeout=120) as client:
        for offset in range(0, len(spool), batch_size):
            post(client, poller["token"], spool[offset : offset + batch_size], backlog=len(spool) - offset - batch_size)
    return time.perf_counter() - started, len(spool)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pollers", type=int, default=20)
    parser.add_argument("--assets-per-poller", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--setup", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.setup:
        print(json.dumps(setup_data(args.pollers, args.assets_per_poller)))
        return
    import psycopg

    with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
        admin.execute(f"CREATE DATABASE {DB_NAME}")
    scratch = tempfile.mkdtemp(prefix="simpul-ingest-")
    batch_size = 5000
    env = {
        **os.environ,
        "DATABASE_URL": DB_URL,
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "POLLER_PLAIN_HTTP_NETWORKS": "127.0.0.0/8",  # loopback only; production ingest is HTTPS
        "POLLER_MAX_BATCH": str(batch_size),
        "SIMPUL_VAR_DIR": scratch,
        "LOG_LEVEL": "WARNING",
    }
    port, server = free_port(), None
    try:
        setup = json.loads(
            subprocess.run(
                [sys.executable, __file__, "--setup", "--pollers", str(args.pollers),
                 "--assets-per-poller", str(args.assets_per_poller)],
                env=env, cwd=ROOT, capture_output=True, text=True, check=True,
            ).stdout.splitlines()[-1]
        )  # fmt: skip
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "simpul.wsgi", "-w", str(args.workers), "-b", f"127.0.0.1:{port}",
             "--timeout", "120", "--log-level", "warning"],
            env=env, cwd=ROOT,
        )  # fmt: skip
        wait_for_port(port)
        base = f"http://127.0.0.1:{port}"
        steady_s, batch_ms, steady_results = steady(base, setup["pollers"], args.rounds)
        drain_s, backlog_results = backlog(base, setup["backlog"], batch_size)
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
        shutil.rmtree(scratch, ignore_errors=True)

    rate = steady_results / steady_s
    print(f"\n{args.pollers} pollers x {args.assets_per_poller} assets, {args.rounds} rounds, PostgreSQL, "
          f"gunicorn -w {args.workers}:")  # fmt: skip
    print(f"  steady:  {steady_results} results in {steady_s:.1f} s = {rate:.0f} results/s (goal >= 5000), "
          f"batch p50 {percentile(batch_ms, 0.5):.0f} ms, p99 {percentile(batch_ms, 0.99):.0f} ms")  # fmt: skip
    print(f"  backlog: {backlog_results} results ({BACKLOG_ASSETS} assets x {BACKLOG_MINUTES} min) drained in "
          f"{drain_s:.1f} s (goal < 60 s)")  # fmt: skip
    print(
        json.dumps(
            {
                "pollers": args.pollers,
                "assets_per_poller": args.assets_per_poller,
                "results_per_s": round(rate),
                "p99_batch_ms": round(percentile(batch_ms, 0.99), 1),
                "backlog_results": backlog_results,
                "backlog_drain_s": round(drain_s, 2),
            }
        )
    )


if __name__ == "__main__":
    main()
