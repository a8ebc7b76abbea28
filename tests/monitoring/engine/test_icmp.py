"""The ICMP engine against real loopback targets (all of 127.0.0.0/8 answers on Linux)."""

import asyncio
import logging
import os
import socket

import pytest

from monitoring.engine import IcmpPinger, IcmpTarget, Thresholds, classify_icmp
from monitoring.engine.icmp import echo_request


def sweep(targets, **options):
    async def run():
        async with IcmpPinger() as pinger:
            return await pinger.sweep(targets, **options)

    return asyncio.run(run())


def test_loopback_targets_answer_with_rtt_and_order_is_kept():
    addresses = ["127.0.0.1", "127.3.4.5", "::1", "127.0.0.1", "localhost"]
    results = sweep([IcmpTarget(i, a) for i, a in enumerate(addresses)], count=3, interval=0.02, timeout=1.0)
    assert [r.key for r in results] == [0, 1, 2, 3, 4]
    for result in results:
        assert (result.sent, result.received, result.loss, result.error) == (3, 3, 0.0, None)
        assert 0 < result.rtt_min_ms <= result.rtt_avg_ms <= result.rtt_max_ms < 1000
        assert result.jitter_ms is not None and result.jitter_ms >= 0
    assert results[4].ip == "127.0.0.1"
    assert classify_icmp(results[0], Thresholds()).state == "up"


def test_hundreds_of_targets_in_one_sweep_all_seen():
    targets = [IcmpTarget(i, f"127.20.{i // 200}.{i % 200 + 1}") for i in range(600)]
    results = sweep(targets, count=1, timeout=1.0)
    assert sum(r.received for r in results) == 600


@pytest.mark.parametrize("address", ["300.1.1.1", "not a host!", "-bad-.example", ""])
def test_malformed_addresses_are_error_results(address):
    [result] = sweep([IcmpTarget(1, address)], count=1)
    assert result.error and result.sent == 0
    verdict = classify_icmp(result, Thresholds())
    assert verdict.state == "error" and verdict.reason == result.error


def test_unreachable_target_is_down_and_its_neighbour_up(dropped):
    lost, alive = sweep(
        [IcmpTarget(1, f"{dropped}.0.7"), IcmpTarget(2, "127.97.0.7")], count=2, interval=0.05, timeout=0.5
    )
    assert (lost.sent, lost.received, lost.loss) == (2, 0, 1.0)
    assert classify_icmp(lost, Thresholds()).state == "down"
    assert alive.received == 2 and classify_icmp(alive, Thresholds()).state == "up"


def test_partial_loss_is_degraded(flaky):
    [result] = sweep([IcmpTarget(1, f"{flaky}.0.1")], count=4, interval=0.02, timeout=0.5)
    assert result.sent == 4 and result.received == 2
    assert classify_icmp(result, Thresholds(loss_degraded=0.2)).state == "degraded"


def test_slow_replies_are_degraded_by_rtt_threshold():
    [result] = sweep([IcmpTarget(1, "127.0.0.1")], count=1)
    assert classify_icmp(result, Thresholds(rtt_degraded_ms=0.000001)).state == "degraded"


def test_checksum_is_valid():
    packet = echo_request(socket.AF_INET, 0x1234, 0xBEEF)
    total = sum(int.from_bytes(packet[i : i + 2], "big") for i in range(0, len(packet), 2))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    assert total == 0xFFFF


@pytest.fixture
def ping_sockets_allowed():
    """Let this process's group open the kernel's unprivileged ICMP sockets for the test, then restore."""
    path = "/proc/sys/net/ipv4/ping_group_range"
    with open(path) as ranges:
        before = ranges.read().strip()
    gid = os.getegid()
    low, high = (int(v) for v in before.split())
    if low <= gid <= high:
        yield
        return
    try:
        with open(path, "w") as ranges:
            ranges.write(f"{gid} {gid}")
    except OSError as error:
        pytest.skip(f"unprivileged ICMP sockets are off and cannot be switched on here: {error}")
    try:
        yield
    finally:
        with open(path, "w") as ranges:
            ranges.write(before)


def test_falls_back_to_unprivileged_sockets_and_says_so_once(monkeypatch, caplog, ping_sockets_allowed):
    from icmplib.exceptions import SocketPermissionError

    import monitoring.engine.icmp as icmp

    real = icmp.ICMPv4Socket

    def no_raw(privileged=True):
        if privileged:
            raise SocketPermissionError(privileged)
        return real(privileged=False)

    monkeypatch.setattr(icmp, "ICMPv4Socket", no_raw)
    monkeypatch.setattr(icmp, "_warned_unprivileged", False)
    with caplog.at_level(logging.WARNING, logger="simpul.engine"):
        first = sweep([IcmpTarget(1, "127.0.0.1")], count=1)
        second = sweep([IcmpTarget(1, "127.0.0.2")], count=1)
    assert first[0].received == 1 and second[0].received == 1
    assert sum("unprivileged" in r.message for r in caplog.records) == 1
