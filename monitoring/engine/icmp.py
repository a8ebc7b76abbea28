"""ICMP echo on ONE socket per address family, shared by every target of every sweep.

icmplib's multiping opens a socket per host, which is what makes it slow for thousands of hosts (and
on Linux every raw ICMP socket gets a copy of every ICMP packet). Here icmplib only creates the
sockets (raw when allowed, else the kernel's unprivileged datagram ICMP sockets); the pinger paces
its sends, one reader registered with the event loop drains each socket as replies arrive, and a
reply is matched to its probe by identifier, sequence, and the 32-bit serial the probe carries.
"""

import asyncio
import contextlib
import logging
import os
import random
import socket
import struct
import time
from collections.abc import Callable, Sequence
from itertools import pairwise

from icmplib import ICMPv4Socket, ICMPv6Socket
from icmplib.exceptions import ICMPLibError, SocketPermissionError

from monitoring.engine.addresses import Resolved, resolve_all
from monitoring.engine.echo import TOKEN_SIZE, EchoFormat
from monitoring.engine.results import IcmpResult, IcmpTarget
from monitoring.engine.sockets import enlarge_buffers

log = logging.getLogger("simpul.engine")

DEFAULT_RATE_PPS = 10_000.0  # ~5 Mbit/s of 60-byte probes: gentle on a provincial uplink
# Probes sent between two looks at the replies. A reply is timestamped when the reader gets to it, so
# a batch bounds how late that can be: 128 sends take ~0.5 ms. Paced sweeps send 5 ms of probes at a time
# (50 at the default rate): a fifth of the wake-ups of 1 ms batches, ~9 % less CPU a sweep.
SEND_BATCH = 128
PACED_BATCH_S = 0.005
RECEIVE_BUFFER = 32 * 1024 * 1024  # room for a burst of 10^5 replies should the loop stall
SEND_RETRIES = 3  # a full send buffer is waited out this many times before the probe counts as lost
SERIALS = 1 << 32

# Linux values that Python's socket module does not export.
SOL_RAW, ICMP_FILTER = 255, 1  # IPv4 raw sockets: a bitmask of ICMP types NOT to deliver
ICMP6_FILTER = 1  # IPv6 raw sockets (level IPPROTO_ICMPV6): 256 bits, a set bit blocks that type

_fallback_logged = False


def _open(family: int) -> ICMPv4Socket | ICMPv6Socket:
    """A raw ICMP socket, or the kernel's unprivileged datagram one where raw sockets are not allowed."""
    global _fallback_logged
    factory = ICMPv4Socket if family == socket.AF_INET else ICMPv6Socket
    try:
        return factory(privileged=True)
    except SocketPermissionError:
        icmp = factory(privileged=False)
        if not _fallback_logged:
            log.warning("raw ICMP sockets not allowed; using unprivileged ICMP datagram sockets")
            _fallback_logged = True
        return icmp


def _accept_only_echo_replies(sock: socket.socket, family: int) -> None:
    """Let the kernel drop every other ICMP type, above all our own requests looping back on lo.

    That halves what the reader must drain on loopback; the reader still checks the type, since
    datagram sockets and other kernels do not filter.
    """
    try:
        if family == socket.AF_INET:
            sock.setsockopt(SOL_RAW, ICMP_FILTER, struct.pack("=I", 0xFFFFFFFF & ~(1 << 0)))
        else:
            words = [0xFFFFFFFF] * 8
            words[129 >> 5] &= ~(1 << (129 & 31))
            sock.setsockopt(socket.IPPROTO_ICMPV6, ICMP6_FILTER, struct.pack("=8I", *words))
    except OSError as error:
        log.debug("ICMP type filter not available (%s); filtering in Python", error)


class _EchoSocket:
    """One ICMP socket of one address family, registered with the event loop for as long as it is open."""

    def __init__(self, family: int, identifier: int, token: bytes, on_reply: Callable[[str, int, float], None]):
        self.icmp = _open(family)
        self.sock: socket.socket = self.icmp.sock
        self.privileged = self.icmp.is_privileged
        self.format = EchoFormat(family, identifier, token)
        # Only a raw IPv4 socket hands us the IP header; the kernel rewrites a datagram socket's identifier.
        self._ip_header = family == socket.AF_INET and self.privileged
        self._on_reply = on_reply
        self.sock.setblocking(False)
        enlarge_buffers(self.sock, receive=RECEIVE_BUFFER, send=RECEIVE_BUFFER // 4)
        if self.privileged:
            _accept_only_echo_replies(self.sock, family)
        asyncio.get_running_loop().add_reader(self.sock.fileno(), self._drain)

    def send(self, ip: str, serial: int) -> None:
        self.sock.sendto(self.format.request(serial), (ip, 0))

    def _drain(self) -> None:
        while True:
            try:
                packet, source = self.sock.recvfrom(2048)
            except (BlockingIOError, InterruptedError):
                return
            except OSError as error:  # an ICMP error queued on the socket: not a reply, keep draining
                log.debug("ICMP receive: %s", error)
                continue
            at = time.perf_counter()
            reply = self.format.reply(packet, (packet[0] & 0x0F) * 4 if self._ip_header else 0)
            if reply is None or (self.privileged and reply.identifier != self.format.identifier):
                continue  # another program's traffic, or another pinger's reply
            self._on_reply(source[0], reply.serial, at)

    def close(self) -> None:
        asyncio.get_running_loop().remove_reader(self.sock.fileno())
        self.icmp.close()


class _Sweep:
    """The probes of one sweep: serials base .. base + count*n - 1, probe i going to target i % n."""

    def __init__(
        self, base: int, ips: list[str], count: int, timeout: float, on_answered: Callable[[int], None]
    ) -> None:
        self.base, self.ips, self.n, self.count, self.timeout = base, ips, len(ips), count, timeout
        self.sent_at = [0.0] * (count * self.n)  # 0.0: not sent (yet, or the kernel refused it)
        self.rtt_ms: list[float | None] = [None] * (count * self.n)
        self.answered = [0] * self.n  # replies per target slot
        self.on_answered = on_answered  # called with a slot once all its probes are answered
        self.send_errors: dict[int, str] = {}  # target slot -> why the kernel refused a probe
        self.outstanding = 0
        self.sending = True
        self.all_answered = asyncio.Event()

    def sent(self, probe: int, at: float) -> None:
        self.sent_at[probe] = at
        self.outstanding += 1

    def on_reply(self, source: str, serial: int, at: float) -> None:
        probe = serial - self.base
        if not 0 <= probe < len(self.sent_at):
            return  # a late reply to an earlier sweep
        sent_at = self.sent_at[probe]
        if not sent_at or self.rtt_ms[probe] is not None or source != self.ips[probe % self.n]:
            return  # duplicate, or not from the address we asked
        if at - sent_at > self.timeout:
            return  # too late: that probe is lost
        self.rtt_ms[probe] = (at - sent_at) * 1000.0
        self.outstanding -= 1
        slot = probe % self.n
        self.answered[slot] += 1
        if self.answered[slot] == self.count:
            self.on_answered(slot)
        if not self.outstanding and not self.sending:
            self.all_answered.set()

    def done_sending(self) -> None:
        self.sending = False
        if not self.outstanding:
            self.all_answered.set()

    async def wait(self) -> None:
        """Until every probe is answered or the last one sent has timed out."""
        remaining = max(self.sent_at, default=0.0) + self.timeout - time.perf_counter()
        if remaining > 0:
            with contextlib.suppress(TimeoutError):  # what has not come back by now is lost
                await asyncio.wait_for(self.all_answered.wait(), remaining)

    def rtts_of(self, position: int) -> list[float]:
        """The RTTs of one target's answered probes, in the order they were sent."""
        return [rtt for rtt in self.rtt_ms[position :: self.n] if rtt is not None]


class IcmpPinger:
    """Async context manager holding one ICMP socket per family for its lifetime (reused across sweeps).

    Sockets open on first use; one that cannot be opened (no privilege, IPv6 disabled) turns its
    targets into error results. Sweeps on one pinger run one after the other.
    """

    def __init__(self) -> None:
        self._identifier = random.getrandbits(16)
        self._token = os.urandom(TOKEN_SIZE)
        self._sockets: dict[int, _EchoSocket] = {}
        self._next_serial = 0
        self._active: _Sweep | None = None
        self._lock = asyncio.Lock()

    async def __aenter__(self) -> "IcmpPinger":
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        for echo_socket in self._sockets.values():
            echo_socket.close()
        self._sockets.clear()

    def _socket(self, family: int) -> _EchoSocket | str:
        """The family's socket, or why it cannot be had."""
        if family not in self._sockets:
            try:
                self._sockets[family] = _EchoSocket(family, self._identifier, self._token, self._on_reply)
            except (ICMPLibError, OSError) as error:
                return f"no ICMP socket for {'IPv6' if family == socket.AF_INET6 else 'IPv4'}: {error}"
        return self._sockets[family]

    def _on_reply(self, source: str, serial: int, at: float) -> None:
        if self._active is not None:
            self._active.on_reply(source, serial, at)

    async def sweep(
        self,
        targets: Sequence[IcmpTarget],
        *,
        count: int = 3,
        interval: float = 0.2,
        timeout: float = 1.0,
        rate: float = DEFAULT_RATE_PPS,
        on_result: Callable[[int], None] | None = None,
    ) -> list[IcmpResult]:
        """Ping every target `count` times; one result per target, in input order.

        `interval` is the least time between two probes to one target, `timeout` how long each probe
        waits for its reply, `rate` the probes per second across all targets (0 for no pacing).
        `on_result(position)` is called once per target as soon as its result is settled: all its
        probes answered, or the sweep over (for progress reports; the results come at the end).
        """
        async with self._lock:  # one sweep at a time owns the reply path
            return await self._sweep(targets, count, interval, timeout, rate, on_result or _ignore)

    async def _sweep(
        self,
        targets: Sequence[IcmpTarget],
        count: int,
        interval: float,
        timeout: float,
        rate: float,
        on_result: Callable[[int], None],
    ) -> list[IcmpResult]:
        resolved = await resolve_all({target.address for target in targets})
        results = [_result(target, resolved[target.address]) for target in targets]
        live: list[int] = []  # positions of the targets that get probes
        for position, target in enumerate(targets):
            if results[position].error is None:
                outcome = self._socket(resolved[target.address].family)
                if isinstance(outcome, str):
                    results[position].error = outcome
                else:
                    live.append(position)
            if results[position].error is not None:
                on_result(position)
        if self._next_serial + count * len(live) >= SERIALS:
            self._next_serial = 0
        sweep = _Sweep(
            self._next_serial, [results[p].ip for p in live], count, timeout, lambda slot: on_result(live[slot])
        )
        self._next_serial += count * len(live)
        self._active = sweep
        try:
            await self._send_all(
                sweep,
                [self._sockets[resolved[targets[p].address].family] for p in live],
                count,
                interval,
                rate,
            )
            await sweep.wait()
        finally:
            self._active = None
        for slot, position in enumerate(live):
            _summarise(results[position], count, sweep.rtts_of(slot), sweep.send_errors.get(slot))
            if sweep.answered[slot] < count:
                on_result(position)  # settled by the timeout
        return results

    async def _send_all(
        self, sweep: _Sweep, sockets: list[_EchoSocket], count: int, interval: float, rate: float
    ) -> None:
        """Send every round in batches, paced by a token bucket of `rate` probes per second."""
        spacing = 1.0 / rate if rate > 0 else 0.0
        batch = max(1, min(SEND_BATCH, int(rate * PACED_BATCH_S))) if rate > 0 else SEND_BATCH
        batch_at = round_at = time.perf_counter()
        for round_number in range(count):
            round_at = batch_at = max(batch_at, round_at + (interval if round_number else 0.0))
            for first in range(0, sweep.n, batch):
                # Even an unpaced sweep yields here, so the reader drains replies between batches.
                await asyncio.sleep(max(0.0, batch_at - time.perf_counter()))
                slots = range(first, min(first + batch, sweep.n))
                for slot in slots:
                    for _attempt in range(SEND_RETRIES):
                        if _send_probe(sweep, sockets[slot], round_number * sweep.n + slot):
                            break
                        await asyncio.sleep(0.001)  # the send buffer is full: give the kernel a moment to drain it
                    else:
                        sweep.send_errors[slot] = "send buffer full"
                batch_at += len(slots) * spacing
        sweep.done_sending()


def _send_probe(sweep: _Sweep, echo_socket: _EchoSocket, probe: int) -> bool:
    """Send one probe; False when the socket's send buffer is full (try again), True otherwise. A plain call,
    not a coroutine: 300,000 probes a minute each paid for one."""
    at = time.perf_counter()
    try:
        echo_socket.send(sweep.ips[probe % sweep.n], sweep.base + probe)
    except BlockingIOError:
        return False
    except OSError as error:  # no route, refused by a local firewall: a probe that cannot arrive is lost
        sweep.send_errors[probe % sweep.n] = error.strerror or str(error)
        return True
    sweep.sent(probe, at)
    return True


def _ignore(_position: int) -> None:
    pass


def _result(target: IcmpTarget, resolved: Resolved) -> IcmpResult:
    return IcmpResult(key=target.key, address=target.address, ip=resolved.ip, error=resolved.error)


def _summarise(result: IcmpResult, count: int, rtts: list[float], send_error: str | None) -> None:
    result.sent, result.received, result.send_error = count, len(rtts), send_error
    if not rtts:
        return
    result.rtt_min_ms, result.rtt_max_ms = min(rtts), max(rtts)
    result.rtt_avg_ms = sum(rtts) / len(rtts)
    if len(rtts) > 1:  # jitter: the mean absolute difference of consecutive RTTs (RFC 3550's idea, unsmoothed)
        result.jitter_ms = sum(abs(b - a) for a, b in pairwise(rtts)) / (len(rtts) - 1)
