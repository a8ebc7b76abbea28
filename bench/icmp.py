"""ICMP sweep of N distinct loopback targets, one echo each: Simpul's IcmpPinger vs fping vs icmplib.multiping.

Run as root (raw sockets): .venv/bin/python bench/icmp.py [--targets 10000] [--runs 3]
Every tool gets the same address list; each figure is the median wall time of --runs runs, process
start (fping) and socket set-up included. The last line is JSON.
"""

import argparse
import asyncio
import re
import shutil
import subprocess
import tempfile

from _peers import emit, loopback_addresses, median_run, print_table, timed
from icmplib import multiping

from monitoring.engine import IcmpPinger, IcmpTarget

# Like fping -i0: no pacing beyond what the socket takes. Production keeps the gentler DEFAULT_RATE_PPS.
BENCH_RATE_PPS = 0.0
ICMPLIB_TASKS = (10, 20, 50)  # multiping's concurrent_tasks (default 50); each task holds a raw socket


def ours(addresses: list[str], timeout: float) -> int:
    targets = [IcmpTarget(key, address) for key, address in enumerate(addresses)]

    async def sweep() -> int:
        async with IcmpPinger() as pinger:
            results = await pinger.sweep(targets, count=1, timeout=timeout, rate=BENCH_RATE_PPS)
        return sum(result.received for result in results)

    return asyncio.run(sweep())


def fping(path: str, timeout: float) -> int:
    completed = subprocess.run(
        ["fping", "-c1", "-i0", "-r0", "-q", "-s", "-t", str(int(timeout * 1000)), "-f", path],
        capture_output=True, text=True,
    )  # fmt: skip
    found = re.search(r"^\s*(\d+) alive", completed.stderr, re.MULTILINE)
    if found is None:
        raise SystemExit(f"cannot read fping's summary:\n{completed.stderr[-2000:]}")
    return int(found.group(1))


def icmplib_multiping(addresses: list[str], timeout: float, tasks: int) -> int:
    hosts = multiping(addresses, count=1, interval=0, timeout=timeout, concurrent_tasks=tasks, privileged=True)
    return sum(host.is_alive for host in hosts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--targets", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--timeout", type=float, default=1.0)
    options = parser.parse_args()
    if not shutil.which("fping"):
        raise SystemExit("fping not installed: apt-get install fping")
    addresses = loopback_addresses(options.targets)
    with tempfile.NamedTemporaryFile("w", prefix="simpul-fping-", suffix=".txt") as listing:
        listing.write("\n".join(addresses) + "\n")
        listing.flush()
        fping_s, fping_alive = median_run(options.runs, lambda: timed(lambda: fping(listing.name, options.timeout)))
    ours_s, ours_alive = median_run(options.runs, lambda: timed(lambda: ours(addresses, options.timeout)))
    by_tasks = {
        tasks: median_run(options.runs, lambda t=tasks: timed(lambda: icmplib_multiping(addresses, options.timeout, t)))
        for tasks in ICMPLIB_TASKS
    }
    best_tasks = min(by_tasks, key=lambda tasks: by_tasks[tasks][0])
    icmplib_s, icmplib_alive = by_tasks[best_tasks]

    print(f"ICMP sweep: {options.targets:,} loopback targets, 1 echo each, median of {options.runs} runs\n")
    rows = [
        ["simpul IcmpPinger (1 raw socket)", ours_s, ours_alive, options.targets / ours_s],
        ["fping -c1 -i0 -r0", fping_s, fping_alive, options.targets / fping_s],
        *[
            [f"icmplib.multiping tasks={t}", s, alive, options.targets / s]
            for t, (s, alive) in sorted(by_tasks.items())
        ],
    ]
    print_table(["tool", "wall s", "alive", "targets/s"], rows)
    print(f"\nours / fping = {ours_s / fping_s:.2f}x the time; icmplib (best, tasks={best_tasks}) / ours = "
          f"{icmplib_s / ours_s:.1f}x")  # fmt: skip
    emit(
        {
            "targets": options.targets,
            "ours_s": round(ours_s, 4),
            "fping_s": round(fping_s, 4),
            "icmplib_s": round(icmplib_s, 4),
            "ratio_vs_fping": round(ours_s / fping_s, 2),
            "speedup_vs_icmplib": round(icmplib_s / ours_s, 2),
            "ours_alive": ours_alive,
            "fping_alive": fping_alive,
            "icmplib_alive": icmplib_alive,
            "icmplib_concurrent_tasks": best_tasks,
        }
    )


if __name__ == "__main__":
    main()
