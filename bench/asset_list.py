"""CPU per request of the asset list, measured in-process: a figure that other load on the machine barely moves.

    python bench/asset_list.py [--assets 30000] [--requests 200] [--profile]

The inventory of bench/load.py (30,000 assets in 600 agencies) in a scratch PostgreSQL database (simpul_assetlist_
<pid>, created and dropped here), DEBUG off, as the province administrator who sees every agency. Each kind of page
is asked `--requests` times through Django's test client (middleware, token, gzip, everything but the socket);
reported: the process's CPU ms and wall ms per request, each page built afresh (a new inventory version before
each request, as after a write) and kept (asked again: assets.list_cache), and the body's size. `--profile`
prints where a first page's time goes (cProfile, cumulative). The last line is one JSON object.
"""

import argparse
import cProfile
import json
import os
import pstats
import secrets
import sys
import tempfile
import time
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parents[1]
PG_ADMIN = "postgres://postgres@127.0.0.1:5432/postgres"
DB_NAME = f"simpul_assetlist_{os.getpid()}"


def pages(client) -> dict[str, str]:
    """The kinds of page: the first, one deep by cursor, a search, a filtered list sorted by name."""
    first = client.get("/api/assets/?page_size=50").json()
    deep = first
    for _ in range(20):
        deep = client.get(deep["next"]).json()
    return {
        "first": "/api/assets/?page_size=50",
        "cursor_page_21": deep["next"],
        "search": "/api/assets/?page_size=50&q=R1",
        "filtered_by_name": "/api/assets/?page_size=50&kind=router&status=in_service&ordering=name",
    }


def measure(client, url: str, requests: int) -> dict:
    """Each page built (a new inventory version before each request: what a page costs after a write) and kept
    (asked again: what a sync or a refresh costs)."""
    from assets.list_cache import inventory_changed

    headers = {"HTTP_ACCEPT_ENCODING": "gzip"}
    response = client.get(url, **headers)
    assert response.status_code == 200, response.content[:300]
    figures = {"gzip_kb": round(len(response.content) / 1024, 1)}
    for label, before in (("", inventory_changed), ("_kept", lambda: None)):
        cpu, wall = time.process_time(), time.perf_counter()
        for _ in range(requests):
            before()
            client.get(url, **headers)
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        figures[f"cpu_ms{label}"] = round(cpu * 1000 / requests, 2)
        figures[f"wall_ms{label}"] = round(wall * 1000 / requests, 2)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--assets", type=int, default=30000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {DB_NAME}")
        admin.execute(f"CREATE DATABASE {DB_NAME}")
    os.environ.update(
        DATABASE_URL=f"postgres://postgres@127.0.0.1:5432/{DB_NAME}",
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="testserver",
        SECURE_SSL_REDIRECT="false",
        SIMPUL_VAR_DIR=tempfile.mkdtemp(prefix="simpul-assetlist-"),
        LOG_LEVEL="WARNING",
    )
    os.environ.pop("CACHE_URL", None)
    sys.path.insert(0, str(ROOT / "bench"))
    from load import setup_data

    try:
        setup = setup_data(args.assets)
        from django.test import Client

        client = Client(HTTP_AUTHORIZATION=f"Token {setup['token']}")
        results = {name: measure(client, url, args.requests) for name, url in pages(client).items()}
        print(f"\n{args.assets} assets, PostgreSQL, DEBUG off, {args.requests} requests each, gzip accepted:\n")
        print(f"{'page':<20} {'cpu ms':>8} {'wall ms':>8} {'kept: cpu':>10} {'wall':>6} {'gzip KB':>8}")
        for name, f in results.items():
            print(
                f"{name:<20} {f['cpu_ms']:>8} {f['wall_ms']:>8} {f['cpu_ms_kept']:>10} {f['wall_ms_kept']:>6}"
                f" {f['gzip_kb']:>8}"
            )
        if args.profile:
            from assets.list_cache import inventory_changed

            profiler = cProfile.Profile()
            profiler.enable()
            for _ in range(args.requests):
                inventory_changed()  # the page built, not the one kept
                client.get("/api/assets/?page_size=50", HTTP_ACCEPT_ENCODING="gzip")
            profiler.disable()
            stats = pstats.Stats(profiler)
            stats.sort_stats("cumulative").print_stats(50)
            stats.sort_stats("tottime").print_stats(30)
        print(json.dumps({"assets": args.assets, "requests": args.requests, "pages": results}))
    finally:
        from django.db import connections

        connections.close_all()
        with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {DB_NAME}")


if __name__ == "__main__":
    main()
