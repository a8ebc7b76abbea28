"""ICMP echo on ONE socket per address family, shared by every target of every sweep.

icmplib's multiping opens a socket per host, which is what makes it slow for thousands of hosts.
Here icmplib creates the sockets (raw when allowed, else the kernel's unprivileged datagram ICMP
sockets), and the pinger does the rest on the asyncio loop: paced sends, one reader that drains
the socket as replies arrive, replies matched to their probe by identifier and sequence number.
Packets are built here rather than with icmplib's ICMPRequest: the payload is the same for every
probe, so its checksum is summed once and each header is added in O(1), which matters at 10^4
probes per sweep.
"""

import asyncio
import logging
import os
import socket
import struct
import time
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

from icmplib import ICMPv4Socket, ICMPv6Socket
from icmplib.exceptions import SocketPermissionError

from monitoring.engine.addresses import resolve_all
from monitoring.engine.results import IcmpResult, IcmpTarget

log = logging.getLogger("simpul.engine")
_warned_unprivileged = False

ECHO_REQUEST = {socket.AF_INET: 8, socket.AF_INET6: 128}
ECHO_REPLY = {socket.AF_INET: 0, socket.AF_INET6: 129}
PAYLOAD = b"simpul-ping".ljust(48, b".")
RECEIVE_BUFFER = 64 * 1024 * 1024  # room for every reply of a 10^4-target burst
SEND_BATCH = 200  # probes sent before letting the reader drain replies


def _ones_complement_sum(data: bytes) -> int:
    total = sum(struct.unpack(f"!{len(data) // 2}H", data))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return total


_PAYLOAD_SUM = _ones_complement_sum(PAYLOAD)


def echo_request(family: int, identifier: int, sequence: int) -> bytes:
    """An echo request; IPv6's checksum covers a pseudo-header only the kernel knows, so it fills it in."""
    kind = ECHO_REQUEST[family]
    checksum = 0
    if family == socket.AF_INET:
        total = _PAYLOAD_SUM + (kind << 8) + identifier + sequence
        while total >> 16:
            total = (total & 0xFFFF) + (total >> 16)
        checksum = ~total & 0xFFFF
    return struct.pack("!BBHHH", kind, 0, checksum, identifier, sequence) + PAYLOAD


@dataclass(slots=True)
class _Probe:
    index: int  # position of the target in the sweep
    sent_at: float


class _Family:
    """One ICMP socket of one address family, registered with the event loop."""

    def __init__(self, family: int, identifier: int, on_reply) -> None:
        global _warned_unprivileged
        factory = ICMPv4Socket if family == socket.AF_INET else ICMPv6Socket
        try:
            self.icmp = factory(privileged=True)
        except SocketPermissionError:
            self.icmp = factory(privileged=False)
            if not _warned_unprivileged:
                log.warning("raw ICMP sockets not allowed; using unprivileged ICMP datagram sockets")
                _warned_unprivileged = True
        self.family, self.privileged = family, self.icmp.is_privileged
        self.sock: socket.socket = self.icmp.sock
        self.sock.setblocking(False)
        for option in (getattr(socket, "SO_RCVBUFFORCE", None), socket.SO_RCVBUF):
            if option is None:
                continue
            try:
                self.sock.setsockopt(socket.SOL_SOCKET, option, RECEIVE_BUFFER)
                break
            except OSError:
                continue
        # A datagram ICMP socket's identifier is chosen by the kernel: replies are matched by source and sequence.
        self.identifier = identifier
        self._on_reply = on_reply
        asyncio.get_running_loop().add_reader(self.sock.fileno(), self._drain)

    def send(self, ip: str, sequence: int) -> None:
        self.sock.sendto(echo_request(self.family, self.identifier, sequence), (ip, 0))

    def _drain(self) -> None:
        now = time.perf_counter()
        while True:
            try:
                packet, source = self.sock.recvfrom(2048)
            except (BlockingIOError, InterruptedError):
                return
            except OSError as error:  # e.g. an ICMP error queued on the socket: not a reply, keep draining
                log.debug("icmp receive: %s", error)
                continue
            offset = (packet[0] & 0x0F) * 4 if self.family == socket.AF_INET and self.privileged else 0
            if len(packet) < offset + 8 or packet[offset] != ECHO_REPLY[self.family]:
                continue  # our own requests seen on loopback, unreachable notices, other traffic
            identifier, sequence = struct.unpack_from("!HH", packet, offset + 4)
            if self.privileged and identifier != self.identifier:
                continue  # another pinger's reply
            self._on_reply(source[0], sequence, now)

    def close(self) -> None:
        asyncio.get_running_loop().remove_reader(self.sock.fileno())
        self.icmp.close()


class IcmpPinger:
    """Async context manager holding one ICMP socket per family for its lifetime (reused across sweeps)."""

    def __init__(self, *, rate: float = 20000.0) -> None:
        self.rate = rate  # probes per second across all targets
        self._identifier = (os.getpid() ^ id(self)) & 0xFFFF
        self._families: dict[int, _Family] = {}
        self._sequence = 0
        self._pending: dict[tuple[str, int], _Probe] = {}
        self._rtts: list[list[float]] = []
        self._lock = asyncio.Lock()

    async def __aenter__(self) -> "IcmpPinger":
        return self

    async def __aexit__(self, *exc_info) -> None:
        for family in self._families.values():
            family.close()
        self._families.clear()

    def _family(self, family: int) -> _Family:
        if family not in self._families:
            self._families[family] = _Family(family, self._identifier, self._on_reply)
        return self._families[family]

    def _on_reply(self, source: str, sequence: int, now: float) -> None:
        probe = self._pending.pop((source, sequence), None)
        if probe is not None:
            self._rtts[probe.index].append((now - probe.sent_at) * 1000.0)

    def _next_sequence(self) -> int:
        self._sequence = (self._sequence + 1) & 0xFFFF
        return self._sequence

    async def sweep(
        self,
        targets: Sequence[IcmpTarget],
        *,
        count: int = 3,
        interval: float = 0.2,
        timeout: float = 1.0,
    ) -> list[IcmpResult]:
        """Ping every target `count` times, `interval` apart; one result per target, in input order."""
        async with self._lock:  # one sweep at a time shares the sequence space and the reply table
            return await self._sweep(targets, count, interval, timeout)

    async def _sweep(self, targets, count: int, interval: float, timeout: float) -> list[IcmpResult]:
        resolved = await resolve_all({t.address for t in targets})
        results = [IcmpResult(key=t.key, address=t.address, ip=resolved[t.address].ip) for t in targets]
        for result, target in zip(results, targets, strict=True):
            result.error = resolved[target.address].error
        live = [i for i, r in enumerate(results) if r.error is None]
        self._rtts = [[] for _ in targets]
        self._pending.clear()
        loop = asyncio.get_running_loop()
        started = loop.time()
        for round_number in range(count):
            await asyncio.sleep(max(0.0, started + round_number * interval - loop.time()))
            await self._send_round(live, results, resolved, targets)
        deadline = loop.time() + timeout
        while self._pending and loop.time() < deadline:
            await asyncio.sleep(min(0.01, max(0.0, deadline - loop.time())))
        self._pending.clear()  # late replies no longer count
        for index in live:
            _summarise(results[index], self._rtts[index])
        return results

    async def _send_round(self, live, results, resolved, targets) -> None:
        pace = SEND_BATCH / self.rate
        for batch_start in range(0, len(live), SEND_BATCH):
            batch_began = time.perf_counter()
            for index in live[batch_start : batch_start + SEND_BATCH]:
                result = results[index]
                family = resolved[targets[index].address].family
                sequence = self._next_sequence()
                result.sent += 1
                try:
                    self._family(family).send(result.ip, sequence)
                except OSError as error:  # no route, refused by a firewall: a probe that cannot arrive
                    result.send_error = error.strerror or str(error)
                    continue
                self._pending[(result.ip, sequence)] = _Probe(index, time.perf_counter())
            await asyncio.sleep(max(0.0, pace - (time.perf_counter() - batch_began)))


def _summarise(result: IcmpResult, rtts: list[float]) -> None:
    result.received = len(rtts)
    if not rtts:
        return
    result.rtt_min_ms, result.rtt_max_ms = min(rtts), max(rtts)
    result.rtt_avg_ms = sum(rtts) / len(rtts)
    if len(rtts) > 1:
        result.jitter_ms = sum(abs(b - a) for a, b in pairwise(rtts)) / (len(rtts) - 1)
