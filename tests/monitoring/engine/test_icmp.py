"""The ICMP engine against real loopback targets (on Linux every address of 127.0.0.0/8 answers)."""

import asyncio
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from monitoring.engine import IcmpPinger, IcmpTarget, Thresholds, classify_icmp

ROOT = Path(__file__).resolve().parents[3]


def sweep(targets, **options):
    async def run():
        async with IcmpPinger() as pinger:
            return await pinger.sweep(targets, **options)

    return asyncio.run(run())


def test_loopback_targets_answer_with_rtts_in_input_order():
    addresses = ["127.0.0.1", "127.3.4.5", "::1", "127.0.0.1", "[::1]", "localhost"]
    results = sweep([IcmpTarget(10 + i, a) for i, a in enumerate(addresses)], count=3, interval=0.02)
    assert [r.key for r in results] == [10, 11, 12, 13, 14, 15]
    assert [r.ip for r in results] == ["127.0.0.1", "127.3.4.5", "::1", "127.0.0.1", "::1", "127.0.0.1"]
    for result in results:
        assert (result.sent, result.received, result.loss, result.error) == (3, 3, 0.0, None), result
        assert 0 < result.rtt_min_ms <= result.rtt_avg_ms <= result.rtt_max_ms < 1000
        assert 0 <= result.jitter_ms <= result.rtt_max_ms - result.rtt_min_ms
        assert classify_icmp(result, Thresholds()).state == "up"


def test_hundreds_of_distinct_loopback_addresses_all_answer():
    targets = [IcmpTarget(i, f"127.20.{i // 200}.{i % 200 + 1}") for i in range(600)]
    results = sweep(targets, count=2, interval=0.05, rate=5000)
    assert [r.key for r in results] == list(range(600))
    assert all((r.sent, r.received) == (2, 2) for r in results)


def test_one_pinger_keeps_its_sockets_across_sweeps():
    async def run():
        async with IcmpPinger() as pinger:
            first = await pinger.sweep([IcmpTarget(1, "127.0.0.1"), IcmpTarget(2, "::1")], count=1)
            sockets = {family: s.sock.fileno() for family, s in pinger._sockets.items()}
            second = await pinger.sweep([IcmpTarget(1, "127.0.0.1"), IcmpTarget(2, "::1")], count=1)
            assert {family: s.sock.fileno() for family, s in pinger._sockets.items()} == sockets
            return first + second

    assert [r.received for r in asyncio.run(run())] == [1, 1, 1, 1]


def test_concurrent_sweeps_on_one_pinger_do_not_steal_each_others_replies():
    async def run():
        async with IcmpPinger() as pinger:
            return await asyncio.gather(
                pinger.sweep([IcmpTarget(1, "127.0.0.1")], count=2, interval=0.01),
                pinger.sweep([IcmpTarget(2, "127.0.0.1")], count=2, interval=0.01),
            )

    (a,), (b,) = asyncio.run(run())
    assert a.received == b.received == 2


@pytest.mark.parametrize(
    ("address", "why"),
    [
        ("300.1.1.1", "malformed"),
        ("not a host!", "malformed"),
        ("-bad-.example", "malformed"),
        ("", "malformed"),
        ("10.0.0.1/24", "malformed"),
        ("pusdalops.invalid", "unresolvable"),  # RFC 6761: answered without asking DNS
    ],
)
def test_bad_addresses_are_error_results_not_exceptions(address, why):
    good, bad = sweep([IcmpTarget(1, "127.0.0.1"), IcmpTarget(2, address)], count=1)
    assert good.received == 1
    assert why in bad.error and (bad.sent, bad.received, bad.loss, bad.ip) == (0, 0, 1.0, None)
    verdict = classify_icmp(bad, Thresholds())
    assert (verdict.state, verdict.reason) == ("error", bad.error)


def test_unreachable_target_is_down_and_its_neighbour_up(dropped):
    lost, alive = sweep(
        [IcmpTarget(1, f"{dropped}.0.7"), IcmpTarget(2, "127.97.0.7")], count=2, interval=0.05, timeout=0.3
    )
    assert (lost.sent, lost.received, lost.loss, lost.rtt_avg_ms, lost.error) == (2, 0, 1.0, None, None)
    assert classify_icmp(lost, Thresholds()).state == "down"
    assert alive.received == 2 and classify_icmp(alive, Thresholds()).state == "up"


def test_a_sweep_waits_no_longer_than_the_timeout_for_lost_replies(dropped):
    async def run():
        async with IcmpPinger() as pinger:
            started = asyncio.get_running_loop().time()
            await pinger.sweep([IcmpTarget(1, f"{dropped}.1.1")], count=1, timeout=0.3)
            return asyncio.get_running_loop().time() - started

    assert 0.3 <= asyncio.run(run()) < 0.6


def test_partial_loss_is_degraded(flaky):
    [result] = sweep([IcmpTarget(1, f"{flaky}.0.1")], count=4, interval=0.02, timeout=0.3)
    assert (result.sent, result.received, result.loss) == (4, 2, 0.5)
    verdict = classify_icmp(result, Thresholds(loss_degraded=0.2))
    assert verdict.state == "degraded" and "50%" in verdict.reason


def test_slow_replies_are_degraded_by_the_rtt_threshold():
    [result] = sweep([IcmpTarget(1, "127.0.0.1")], count=1)
    assert classify_icmp(result, Thresholds(rtt_degraded_ms=0.000001)).state == "degraded"


def test_count_zero_sends_nothing_and_counts_as_total_loss():
    [result] = sweep([IcmpTarget(1, "127.0.0.1")], count=0)
    assert (result.sent, result.received, result.loss, result.error) == (0, 0, 1.0, None)


FALLBACK_SCRIPT = """
import asyncio, json, logging
from monitoring.engine import IcmpPinger, IcmpTarget
records = []
handler = logging.Handler(); handler.emit = records.append
logging.getLogger("simpul.engine").addHandler(handler)
async def sweep(address):
    async with IcmpPinger() as pinger:
        [result] = await pinger.sweep([IcmpTarget(1, address)], count=2, interval=0.01)
        return result.received
received = [asyncio.run(sweep("127.0.0.1")), asyncio.run(sweep("127.0.0.2"))]
warnings = [r.getMessage() for r in records if r.levelno == logging.WARNING]
print(json.dumps({"received": received, "warnings": warnings}))
"""


@pytest.fixture
def root_may_open_ping_sockets():
    """Allow group 0 the kernel's unprivileged ICMP sockets for the test, then restore the setting."""
    if os.geteuid() != 0 or not shutil.which("setpriv"):
        pytest.skip("needs root and setpriv (util-linux) to drop CAP_NET_RAW in a child process")
    path = Path("/proc/sys/net/ipv4/ping_group_range")
    before = path.read_text().strip()
    try:
        path.write_text("0 0")
    except OSError as error:
        pytest.skip(f"cannot allow unprivileged ICMP sockets here: {error}")
    try:
        yield
    finally:
        path.write_text(before)


def test_without_raw_sockets_it_falls_back_to_datagram_sockets_and_says_so_once(root_may_open_ping_sockets):
    # A real process without CAP_NET_RAW: the kernel refuses raw sockets exactly as it would in production.
    drop_raw = ["setpriv", "--inh-caps=-net_raw", "--bounding-set=-net_raw", "--"]
    completed = subprocess.run(
        [*drop_raw, sys.executable, "-c", FALLBACK_SCRIPT], cwd=ROOT, capture_output=True, text=True, timeout=30
    )
    assert completed.returncode == 0, completed.stderr
    report = json.loads(completed.stdout.strip().splitlines()[-1])
    assert report["received"] == [2, 2]
    assert len(report["warnings"]) == 1 and "unprivileged" in report["warnings"][0]


def test_each_target_is_reported_settled_once_as_its_result_comes_in(dropped):
    settled = []

    async def run():
        async with IcmpPinger() as pinger:
            return await pinger.sweep(
                [IcmpTarget(1, "127.0.0.1"), IcmpTarget(2, "127.99.0.1"), IcmpTarget(3, "not an address")],
                count=2,
                interval=0.01,
                timeout=0.3,
                on_result=lambda position: settled.append((position, asyncio.get_running_loop().time())),
            )

    results = asyncio.run(run())
    assert sorted(position for position, _at in settled) == [0, 1, 2]  # each once, whatever its fate
    at = dict(settled)
    assert at[0] < at[1]  # the answering target did not wait for the silent one's timeout
    assert [r.received for r in results] == [2, 0, 0] and results[2].error
