"""What the bench scripts share: loopback target lists and ports, CPU pinning, a table, and the closing JSON line."""

import ipaddress
import json
import os
import socket
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # `python bench/x.py` from anywhere finds monitoring/ and tests/


def loopback_addresses(count: int, first: str = "127.10.0.1") -> list[str]:
    """`count` distinct loopback addresses from `first` up (clear of 127.0.0.x, where services live), no .0 or .255."""
    addresses, value = [], int(ipaddress.IPv4Address(first))
    while len(addresses) < count:
        address = ipaddress.IPv4Address(value)
        value += 1
        if address.packed[3] not in (0, 255):
            addresses.append(str(address))
    if ipaddress.IPv4Address(addresses[-1]) not in ipaddress.IPv4Network("127.0.0.0/8"):
        raise SystemExit(f"{count} targets do not fit in 127.0.0.0/8 above {first}")
    return addresses


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_port(port: int, limit_s: float = 30.0) -> None:
    """Until a server (gunicorn) accepts connections on 127.0.0.1:`port`, or `limit_s` has passed."""
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.2)


def pin(*cpus: int) -> set[int]:
    """Pin this process (and the children it starts from now on) to `cpus` that exist; return them."""
    usable = {cpu for cpu in cpus if cpu < (os.cpu_count() or 1)} or {0}
    os.sched_setaffinity(0, usable)
    return usable


def median_run(runs: int, measure: Callable[[], tuple[float, int]]) -> tuple[float, int]:
    """The median wall time of `runs` runs, with the success count of the run closest to it."""
    outcomes = sorted(measure() for _ in range(runs))
    median = statistics.median_low(seconds for seconds, _ok in outcomes)
    return next(outcome for outcome in outcomes if outcome[0] == median)


def timed(function: Callable[[], int]) -> tuple[float, int]:
    started = time.perf_counter()
    count = function()
    return time.perf_counter() - started, count


def print_table(headers: list[str], rows: list[list[object]]) -> None:
    cells = [headers, *[[f"{c:,.3f}" if isinstance(c, float) else str(c) for c in row] for row in rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    for number, row in enumerate(cells):
        print(
            "  ".join(
                cell.ljust(width) if i == 0 else cell.rjust(width)
                for i, (cell, width) in enumerate(zip(row, widths, strict=True))
            )
        )
        if number == 0:
            print("  ".join("-" * width for width in widths))


def emit(summary: dict) -> None:
    """The one machine-readable line every bench ends with."""
    print(json.dumps(summary, sort_keys=False), flush=True)
