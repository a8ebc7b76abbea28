"""Alert latency: from the recorder's confirmed transition to the request arriving at a loopback gateway.

    python bench/alerts.py [--alerts 1000] [--storm-parents 100] [--storm-children 99] [--database URL]

Runs the embedded path for real in one child process (a scratch SQLite file unless --database is given):
monitoring.recorder.record(), then the poller's after-cycle hook (alerts.cycle.after_poll_cycle), which
wakes the sender thread; the HTTP gateway is a ThreadingHTTPServer on 127.0.0.1 noting when each request
arrives. Single alerts: ten assets go down per cycle, cycles paced like the poller's, until --alerts have.
Storm: parents and all their dependants go down in one cycle: one alert per parent. Cycle CPU: a steady
cycle of 10,000 observations (nothing changes) with the hook off and on. The last line is one JSON object.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PER_CYCLE = 10
PACE_S = 1.0  # the poller's idle wait between cycles (monitoring.runner)


class Gateway:
    """Notes the arrival time (perf_counter) of each alert id it is sent."""

    def __init__(self) -> None:
        self.arrivals: dict[int, float] = {}
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                gateway.arrivals.setdefault(int(body["alert"]), time.perf_counter())
                self.send_response(200)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/send"

    def wait_for(self, count: int, timeout: float = 120.0) -> None:
        deadline = time.monotonic() + timeout
        while len(self.arrivals) < count and time.monotonic() < deadline:
            time.sleep(0.01)


def child(alerts: int, parents: int, children: int) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "simpul.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.utils import timezone

    from accounts.models import User
    from alerts import sender
    from alerts.cycle import after_poll_cycle
    from alerts.models import Alert, AlertContact, Channel
    from assets.models import Agency, Asset
    from monitoring.models import KindPolicy, ProbeConfig
    from monitoring.observations import Observation
    from monitoring.recorder import record

    call_command("migrate", verbosity=0)
    province = Agency.objects.create(code="64", name="Bench", level="province")
    agency = Agency.objects.create(code="64.01", name="Bench regency", level="regency", parent=province)
    officer = User.objects.create_user("piket", agency=agency, role="manager")
    AlertContact.objects.create(user=officer, phone="6281100000000")
    gateway = Gateway()
    Channel.objects.create(agency=agency, name="WA", kind="http", url=gateway.url, body={"alert": "{alert_id}"})
    for kind in ("repeater", "internet_link"):
        KindPolicy.objects.create(kind=kind, confirm_count=1)  # one result confirms: the bench times alerting

    def make(kind: str, count: int, prefix: str) -> list[Asset]:
        return Asset.objects.bulk_create(
            (
                Asset(agency=agency, kind=kind, name=f"{prefix}{i}", management_address="127.0.0.1")
                for i in range(count)
            ),
            batch_size=2000,
        )

    clock = [timezone.now()]

    def cycle(assets, verdict: str, hook: bool = True) -> float:
        """Record one cycle, then run the hook; returns the moment the transitions were committed."""
        clock[0] += timedelta(seconds=1)
        record([Observation(a.pk, clock[0], "icmp", verdict) for a in assets], now=clock[0])
        committed = time.perf_counter()
        if hook:
            after_poll_cycle(clock[0])
        return committed

    # Single alerts: PER_CYCLE assets down per cycle.
    singles = make("repeater", alerts, "R")
    cycle(singles, "up")
    committed: dict[int, float] = {}
    for start in range(0, alerts, PER_CYCLE):
        batch = singles[start : start + PER_CYCLE]
        at = cycle(batch, "down")
        committed.update({a.pk: at for a in batch})
        time.sleep(PACE_S)
    gateway.wait_for(alerts)
    by_asset = dict(Alert.objects.values_list("pk", "asset_id"))
    latencies = sorted(
        t - committed[by_asset[pk]] for pk, t in gateway.arrivals.items() if by_asset.get(pk) in committed
    )

    # Storm: parents and every dependant down in one cycle.
    uplinks = make("internet_link", parents, "L")
    dependants = make("repeater", parents * children, "D")
    ProbeConfig.objects.bulk_create(
        [ProbeConfig(asset=d, depends_on=uplinks[i // children]) for i, d in enumerate(dependants)], batch_size=2000
    )
    storm = uplinks + dependants
    cycle(storm, "up")
    gateway.arrivals.clear()
    before = set(Alert.objects.values_list("pk", flat=True))
    storm_at = cycle(storm, "down")
    gateway.wait_for(parents)
    storm_alerts = Alert.objects.exclude(pk__in=before)
    storm_s = max(gateway.arrivals.values()) - storm_at if gateway.arrivals else None

    # Cycle CPU with nothing changing, alerting off (record only) and on (record and the hook).
    steady = storm[:10_000]
    cpu = {}
    for label, hook in (("off", False), ("on", True), ("off", False), ("on", True)):
        started = time.process_time()
        cycle(steady, "up", hook=hook)
        cpu.setdefault(label, []).append(time.process_time() - started)
    sender._thread.stop()

    print(
        json.dumps(
            {
                "alerts": len(latencies),
                "p50_s": round(statistics.median(latencies), 3),
                "p99_s": round(latencies[int(len(latencies) * 0.99) - 1], 3),
                "storm_transitions": len(storm),
                "storm_alerts": storm_alerts.count(),
                "storm_named": sorted(set(storm_alerts.values_list("affected_count", flat=True))),
                "storm_s": round(storm_s, 3) if storm_s is not None else None,
                "cycle_cpu_s_off": round(min(cpu["off"]), 3),
                "cycle_cpu_s_on": round(min(cpu["on"]), 3),
            }
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--alerts", type=int, default=1000)
    parser.add_argument("--storm-parents", type=int, default=100)
    parser.add_argument("--storm-children", type=int, default=99)
    parser.add_argument("--database", help="DATABASE_URL of a scratch database (default: a new SQLite file)")
    parser.add_argument("--child", action="store_true")
    args = parser.parse_args()
    if args.child:
        child(args.alerts, args.storm_parents, args.storm_children)
        return
    with tempfile.TemporaryDirectory(prefix="simpul-bench-alerts-") as scratch:
        env = {
            **os.environ,
            "DATABASE_URL": args.database or f"sqlite:///{scratch}/bench.sqlite3",
            "SIMPUL_VAR_DIR": scratch,
            "DEBUG": "true",
            "LOG_LEVEL": "WARNING",
            "ALERTS_SENDER_THREAD": "true",
            "WEBHOOK_ALLOWED_NETWORKS": "127.0.0.0/8",  # the loopback gateway, which the egress rule refuses otherwise
        }
        command = [sys.executable, __file__, "--child", "--alerts", str(args.alerts)]
        command += ["--storm-parents", str(args.storm_parents), "--storm-children", str(args.storm_children)]
        result = subprocess.run(command, env=env, capture_output=True, text=True, cwd=ROOT)
    if result.returncode != 0:
        raise SystemExit(f"child failed:\n{result.stderr[-3000:]}")
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    print(f"single alerts: p50 {figures['p50_s']} s, p99 {figures['p99_s']} s over {figures['alerts']}")
    print(
        f"storm: {figures['storm_transitions']} transitions, {figures['storm_alerts']} alerts in {figures['storm_s']} s"
    )
    print(f"steady cycle CPU: {figures['cycle_cpu_s_off']} s alerting off, {figures['cycle_cpu_s_on']} s on")
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
