"""The pages and API under load from a second process, against PostgreSQL and gunicorn, all on loopback.

    python bench/load.py [--assets 30000] [--seconds 10] [--connections 4,16]

A scratch PostgreSQL database (simpul_load_<pid>, created and dropped here) and a scratch var dir get 30,000
assets in 600 agencies, one of them with 500 (the monthly report's agency), each agency with a Pusdalops site,
their states and some outages; gunicorn serves Simpul with DEBUG off; wrk (a separate process) sends the
requests for a bounded time. Reported: the weight of the dashboard and agency pages (the HTML and the data
their scripts fetch, as sent with gzip), requests/s, p50 and p99 latency and errors per request kind and
concurrency, and the monthly report PDF's generation time. The last line is one JSON object.
"""

import argparse
import gzip
import json
import os
import re
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from _peers import free_port, wait_for_port

ROOT = Path(__file__).resolve().parents[1]
PG_ADMIN = "postgres://postgres@127.0.0.1:5432/postgres"
DB_NAME = f"simpul_load_{os.getpid()}"  # never a developer's or another run's database
BIG_AGENCY_ASSETS = 500  # the monthly report's agency
GOALS = {"page_kb": 300, "data_p99_ms": 100, "report_pdf_s": 1.0}


def setup_data(assets: int) -> dict:
    """Runs in a child process with DATABASE_URL set: builds the inventory, returns credentials and ids."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "simpul.settings")
    import django

    django.setup()
    from datetime import timedelta

    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.utils import timezone
    from rest_framework.authtoken.models import Token

    from accounts.models import User
    from assets.models import Agency, Asset, Site
    from maintenance.models import WorkOrder
    from monitoring.models import AssetState, Outage
    from reports.dashboard import refresh_overview

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)  # into the scratch var dir
    province = Agency.objects.create(code="64", name="Bench", level="province")
    count = max(assets // 50, 2)
    agencies = Agency.objects.bulk_create(
        Agency(code=f"{10 + i // 100:02d}.{i % 100:02d}", name=f"BPBD {i}", level="regency", parent=province)
        for i in range(count)
    )
    # A Pusdalops office per agency, spread over East Kalimantan's extent (the province map draws them).
    sites = Site.objects.bulk_create(
        Site(
            agency=agency,
            name=f"Pusdalops {n}",
            kind="pusdalops",
            latitude=-2.5 + (n % 25) * 0.2,
            longitude=114.0 + (n // 25) * 0.15,
            power_source="grid",
        )
        for n, agency in enumerate(agencies)
    )
    big = min(BIG_AGENCY_ASSETS, assets // 2)

    def owner(i: int) -> int:  # the first agency holds `big` assets, the others share the rest evenly
        return 0 if i < big else 1 + (i - big) * (count - 1) // max(assets - big, 1)

    Asset.objects.bulk_create(
        (
            Asset(
                agency=agencies[owner(i)],
                site=sites[owner(i)],
                kind="router",
                name=f"R{i}",
                management_address=f"127.{100 + i // 65536}.{(i // 256) % 256}.{i % 256}",
            )
            for i in range(assets)
        ),
        batch_size=5000,
    )
    now = timezone.now()
    ids = list(Asset.objects.order_by("pk").values_list("pk", flat=True))
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
    with connection.cursor() as cursor:  # the planner's statistics, as autovacuum gathers them after a bulk load
        cursor.execute("ANALYZE")
    user = User.objects.create_user("bench", password=secrets.token_urlsafe(16), agency=province, role="administrator")
    order = WorkOrder.objects.create(agency=agencies[0], asset_id=ids[0], kind="corrective", title="Bench")
    started = time.perf_counter()
    refresh_overview()  # what the poller does after each cycle
    refresh_s = time.perf_counter() - started
    browser = Client()
    browser.force_login(user)  # a session in the database, as a manager's browser holds
    return {
        "token": Token.objects.create(user=user).key,
        "session": browser.cookies["sessionid"].value,
        "order": order.pk,
        "agency": agencies[0].code,
        "agency_assets": big,
        "month": f"{timezone.localdate(now):%Y-%m}",
        "refresh_s": round(refresh_s, 2),
    }


def server_cpu_s(master: int) -> float:
    """CPU seconds used so far by gunicorn's workers (the master's children), from /proc: the server's own share,
    whatever else the machine runs."""
    total = 0.0
    for child in Path(f"/proc/{master}/task/{master}/children").read_text().split():
        fields = Path(f"/proc/{child}/stat").read_text().rsplit(")", 1)[1].split()
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime, stime
    return total


def poll_cycle_refresh() -> None:
    """What the poller does after each cycle: the dashboard's figures afresh (they expire without a poller)."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "simpul.settings")
    import django

    django.setup()
    from reports.dashboard import refresh_overview

    refresh_overview()


def wrk(url: str, headers: list[str], seconds: int, connections: int, script: str | None = None) -> dict:
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency"]
    for header in headers:
        command += ["-H", header]
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


def fetch(url: str, headers: dict) -> tuple[int, int, bytes]:
    """Bytes on the wire (gzip when the server offers it), bytes once decoded, and the decoded text."""
    request = urllib.request.Request(url, headers={**headers, "Accept-Encoding": "gzip"})
    with urllib.request.urlopen(request, timeout=60) as response:
        body = response.read()
        decoded = gzip.decompress(body) if response.headers.get("Content-Encoding") == "gzip" else body
    return len(body), len(decoded), decoded


def page_weight(base: str, path: str, cookie: str) -> dict:
    """A page's HTML and the data its scripts fetch: the URLs in its data-url attributes."""
    headers = {"Cookie": f"sessionid={cookie}"}
    sent, raw, html = fetch(base + path, headers)
    html = html.decode()
    weight = {"path": path, "html_bytes": sent, "html_raw_bytes": raw, "data": {}}
    for url in sorted(set(re.findall(r'data-url="([^"]+)"', html))):
        sent_data, raw_data, _ = fetch(base + url, {**headers, "Accept": "application/json"})
        weight["data"][url] = {"bytes": sent_data, "raw_bytes": raw_data}
    weight["total_bytes"] = sent + sum(d["bytes"] for d in weight["data"].values())
    weight["total_raw_bytes"] = raw + sum(d["raw_bytes"] for d in weight["data"].values())
    return weight


def pdf_seconds(url: str, token: str, runs: int = 5) -> dict:
    """Wall time of GET ...?format=pdf over loopback: the report gathered and typeset, per run."""
    times, size = [], 0
    for _ in range(runs):
        started = time.perf_counter()
        size = fetch(url, {"Authorization": f"Token {token}"})[0]
        times.append(time.perf_counter() - started)
    return {"median_s": round(statistics.median(times), 3), "max_s": round(max(times), 3), "bytes": size}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--assets", type=int, default=30000)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", default="4,16", help="comma-separated concurrency levels")
    parser.add_argument("--setup", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--cycle", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.setup:
        print(json.dumps(setup_data(args.assets)))
        return
    if args.cycle:
        poll_cycle_refresh()
        return
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed: apt-get install wrk")
    import psycopg

    levels = [int(n) for n in args.connections.split(",")]
    with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {DB_NAME}")
        admin.execute(f"CREATE DATABASE {DB_NAME}")
    scratch = tempfile.mkdtemp(prefix="simpul-load-")  # SQLite-free, but the cache and keys live in a var dir
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{DB_NAME}",
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "SIMPUL_VAR_DIR": scratch,
        "LOG_LEVEL": "WARNING",
        "TOKEN_RATE": "100000/min",
    }
    env.pop("CACHE_URL", None)  # the scratch var dir's own cache, never a shared one
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
            [sys.executable, "-m", "gunicorn", "simpul.wsgi", "-w2", f"-b127.0.0.1:{port}", "--log-level=warning"],
            env=env,
            cwd=ROOT,
        )
        base = f"http://127.0.0.1:{port}"
        wait_for_port(port)
        code = setup["agency"]

        def cycle() -> None:
            subprocess.run([sys.executable, __file__, "--cycle"], env=env, cwd=ROOT, check=True)

        cycle()
        pages = {
            "dashboard": page_weight(base, "/", setup["session"]),
            "agency": page_weight(base, f"/agencies/{code}/", setup["session"]),
        }
        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as patch:
            patch.write(
                'wrk.method = "PATCH"\nwrk.body = \'{"description": "diperiksa"}\'\n'
                'wrk.headers["Content-Type"] = "application/json"\n'
            )
        headers = [f"Authorization: Token {setup['token']}", "Accept-Encoding: gzip"]
        kinds = {
            "dashboard": ("dashboard data (all agencies)", f"{base}/api/reports/dashboard/", None),
            "map": ("province map data (dashboard's)", f"{base}/api/reports/province-map/", None),
            "agency": (f"agency data ({setup['agency_assets']} assets)", f"{base}/api/reports/dashboard/{code}/", None),
            "assets": ("asset list (50 per page)", f"{base}/api/assets/?page_size=50", None),
            "work_order_update": (
                "work-order update (PATCH)",
                f"{base}/api/maintenance/work-orders/{setup['order']}/",
                patch.name,
            ),
        }
        results: dict = {}
        for connections in levels:
            for key, (_, url, script) in kinds.items():
                cycle()  # a poll cycle before each run, as every minute in production: the figures stay fresh
                wrk(url, headers, 2, connections, script)  # warm-up (the cycle's first readers render), not counted
                cpu = server_cpu_s(server.pid)
                result = wrk(url, headers, args.seconds, connections, script)
                requests = max(result["rps"] * args.seconds, 1)
                result["cpu_ms"] = round((server_cpu_s(server.pid) - cpu) * 1000 / requests, 1)
                results[(key, connections)] = result
        report = pdf_seconds(f"{base}/api/reports/monthly/{code}/?format=pdf&month={setup['month']}", setup["token"])
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
        shutil.rmtree(scratch, ignore_errors=True)

    print(f"\n{args.assets} assets, PostgreSQL, gunicorn -w 2, wrk for {args.seconds} s each, gzip accepted:\n")
    print(f"{'page':<12}{'HTML KB':>9}{'data KB':>9}{'total KB':>10}{'unzipped KB':>13}  data URLs")
    for name, page in pages.items():
        data = sum(d["bytes"] for d in page["data"].values())
        print(
            f"{name:<12}{page['html_bytes'] / 1000:>9.1f}{data / 1000:>9.1f}{page['total_bytes'] / 1000:>10.1f}"
            f"{page['total_raw_bytes'] / 1000:>13.1f}  {', '.join(page['data'])}"
        )
    print(f"\n{'request':<36}{'conns':>6}{'req/s':>8}{'p50 ms':>9}{'p99 ms':>9}{'errors':>8}{'cpu ms':>8}")
    for (key, connections), r in results.items():
        name = kinds[key][0]
        print(
            f"{name:<36}{connections:>6}{r['rps']:>8.0f}{r['p50_ms']:>9.1f}{r['p99_ms']:>9.1f}{r['errors']:>8}"
            f"{r['cpu_ms']:>8.1f}"
        )
    print(f"\nreport PDF ({setup['agency_assets']} assets): {report['median_s']} s median, {report['max_s']} s max")
    top = max(levels)
    print(
        json.dumps(
            {
                "assets": args.assets,
                "overview_refresh_s": setup["refresh_s"],
                **{
                    name: {
                        "page_kb": round(page["total_bytes"] / 1000, 1),
                        "page_raw_kb": round(page["total_raw_bytes"] / 1000, 1),
                        f"data_p99_ms_c{top}": results[(name, top)]["p99_ms"],
                    }
                    for name, page in pages.items()
                },
                f"map_p99_ms_c{top}": results[("map", top)]["p99_ms"],
                "requests": {f"{key}_c{c}": r for (key, c), r in results.items()},
                "report_pdf_s": report["median_s"],
                "report_pdf_max_s": report["max_s"],
                "report_agency_assets": setup["agency_assets"],
                "goals": GOALS,
            }
        )
    )


if __name__ == "__main__":
    main()
