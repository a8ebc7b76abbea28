"""The API under load from a second process, against PostgreSQL and gunicorn, all on loopback.

    python bench/load.py [--assets 30000] [--seconds 10] [--connections 4]

A scratch PostgreSQL database (created and dropped here) gets 30,000 assets in 600 agencies with their
states and some outages; gunicorn serves Simpul with DEBUG off; wrk (a separate process) sends the
requests for a bounded time. Reported per request kind: requests/s, p50 and p99 latency, errors.
The last line is one JSON object.
"""

import argparse
import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PG_ADMIN = "postgres://postgres@127.0.0.1:5432/postgres"
DB_URL = "postgres://postgres@127.0.0.1:5432/simpul_load"


def setup_data(assets: int) -> dict:
    """Runs in a child process with DATABASE_URL set: builds the inventory, returns token and ids."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "simpul.settings")
    import django

    django.setup()
    from datetime import timedelta

    from django.core.management import call_command
    from django.utils import timezone
    from rest_framework.authtoken.models import Token

    from accounts.models import User
    from assets.models import Agency, Asset
    from maintenance.models import WorkOrder
    from monitoring.models import AssetState, Outage
    from reports.dashboard import refresh_overview

    call_command("migrate", verbosity=0)
    province = Agency.objects.create(code="64", name="Bench", level="province")
    agencies = Agency.objects.bulk_create(
        Agency(code=f"{10 + i // 100:02d}.{i % 100:02d}", name=f"BPBD {i}", level="regency", parent=province)
        for i in range(assets // 50)
    )
    Asset.objects.bulk_create(
        (
            Asset(
                agency=agencies[i // 50],
                kind="router",
                name=f"R{i}",
                management_address=f"127.{100 + i // 65536}.{(i // 256) % 256}.{i % 256}",
            )
            for i in range(assets)
        ),
        batch_size=5000,
    )
    now = timezone.now()
    ids = list(Asset.objects.values_list("pk", flat=True))
    AssetState.objects.bulk_create(
        (
            AssetState(
                asset_id=pk,
                state="down" if n % 97 == 0 else "up",
                since=now,
                monitored_since=now - timedelta(days=40),
                last_rtt_ms=0.2,
            )
            for n, pk in enumerate(ids)
        ),
        batch_size=5000,
    )
    Outage.objects.bulk_create(
        Outage(asset_id=pk, started_at=now - timedelta(hours=n % 48 + 1), ended_at=None if n % 97 == 0 else now)
        for n, pk in enumerate(ids)
        if n % 29 == 0 or n % 97 == 0
    )
    user = User.objects.create_user("bench", password=secrets.token_urlsafe(16), agency=province, role="administrator")
    order = WorkOrder.objects.create(agency=agencies[0], asset_id=ids[0], kind="corrective", title="Bench")
    started = time.perf_counter()
    refresh_overview()  # what the poller does after each cycle
    refresh_s = time.perf_counter() - started
    return {"token": Token.objects.create(user=user).key, "order": order.pk, "refresh_s": round(refresh_s, 2)}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wrk(url: str, token: str, seconds: int, connections: int, script: str | None = None) -> dict:
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "-H", f"Authorization: Token {token}"]
    if script:
        command += ["-s", script]
    out = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout

    def millis(label: str) -> float:
        value, unit = re.search(rf"{label}%\s+([\d.]+)(us|ms|s)", out).groups()
        return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]

    errors = sum(int(n) for n in re.findall(r"Non-2xx or 3xx responses: (\d+)", out))
    errors += sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", out))
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p50_ms": millis("50"),
        "p99_ms": millis("99"),
        "errors": errors,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--assets", type=int, default=30000)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--setup", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.setup:
        print(json.dumps(setup_data(args.assets)))
        return
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed: apt-get install wrk")
    import psycopg

    with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
        admin.execute("DROP DATABASE IF EXISTS simpul_load")
        admin.execute("CREATE DATABASE simpul_load")
    scratch = tempfile.mkdtemp(prefix="simpul-load-")
    env = {
        **os.environ,
        "DATABASE_URL": DB_URL,
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "SIMPUL_VAR_DIR": scratch,
        "LOG_LEVEL": "WARNING",
        "TOKEN_RATE": "100000/min",
    }
    port = free_port()
    server = None
    try:
        setup = json.loads(
            subprocess.run(
                [sys.executable, __file__, "--setup", "--assets", str(args.assets)],
                env=env,
                cwd=ROOT,
                capture_output=True,
                text=True,
                check=True,
            ).stdout.splitlines()[-1]
        )
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "simpul.wsgi",
                "-w",
                "2",
                "-b",
                f"127.0.0.1:{port}",
                "--log-level",
                "warning",
            ],
            env=env,
            cwd=ROOT,
        )
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                time.sleep(0.2)
        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as patch:
            patch.write(
                'wrk.method = "PATCH"\nwrk.body = \'{"description": "diperiksa"}\'\n'
                'wrk.headers["Content-Type"] = "application/json"\n'
            )
        kinds = {
            "asset list (50 per page)": (f"{base}/api/assets/?page_size=50", None),
            "dashboard data (all agencies)": (f"{base}/api/reports/dashboard/", None),
            "work-order update (PATCH)": (f"{base}/api/maintenance/work-orders/{setup['order']}/", patch.name),
        }
        results = {}
        for name, (url, script) in kinds.items():
            wrk(url, setup["token"], 2, args.connections, script)  # warm-up, not counted
            results[name] = wrk(url, setup["token"], args.seconds, args.connections, script)
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
            admin.execute("DROP DATABASE IF EXISTS simpul_load WITH (FORCE)")
        shutil.rmtree(scratch, ignore_errors=True)

    print(f"\n{args.assets} assets, PostgreSQL, gunicorn -w 2, wrk -c{args.connections} for {args.seconds} s each:\n")
    print(f"{'request':<32}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'errors':>8}")
    for name, r in results.items():
        print(f"{name:<32}{r['rps']:>9.0f}{r['p50_ms']:>9.1f}{r['p99_ms']:>9.1f}{r['errors']:>8}")
    keys = {
        "asset list (50 per page)": "assets",
        "dashboard data (all agencies)": "dashboard",
        "work-order update (PATCH)": "work_order_update",
    }
    print(
        json.dumps(
            {
                "assets": args.assets,
                "overview_refresh_s": setup["refresh_s"],
                **{keys[n]: r for n, r in results.items()},
                "goal_dashboard_p99_ms": 150,
            }
        )
    )


if __name__ == "__main__":
    main()
