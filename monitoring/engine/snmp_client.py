"""SNMP GETs (v2c and v3) over ONE UDP socket per address family, shared by every agent a poller asks.

Each request waits on a future that a timer or a reply completes: no task per request and no
socket per agent. Replies are matched by their id (the v2c request-id, the v3 msgID, read from the
header without decoding the rest) AND the peer they came from; a late reply, one from another
address, or a retransmitted duplicate is dropped. Only then does the request decode its reply: a
v3 reply needs that request's keys.
"""

import asyncio
import logging
import random
import socket
import time
from dataclasses import dataclass
from typing import Protocol

from monitoring.engine.ber import SEQUENCE, BerError, enter, header, read_integer, skip
from monitoring.engine.sockets import enlarge_buffers
from monitoring.engine.v2c import REQUEST_ID_FIRST, REQUEST_ID_LAST, MalformedResponse

log = logging.getLogger("simpul.engine")

RECEIVE_BUFFER = 8 * 1024 * 1024
MAX_DATAGRAM = 65535


@dataclass(frozen=True, slots=True)
class Failure:
    status: str  # "timeout" | "error"
    reason: str


class Request(Protocol):
    """One message to send: its bytes for a given request-id (v2c) or msgID (v3), and how to read the reply."""

    def bytes_for(self, request_id: int) -> bytes: ...

    def parse(self, data: bytes) -> object:  # raises MalformedResponse
        ...


def message_id(data: bytes) -> int:
    """The id a reply echoes: the msgID of an SNMPv3 message, the request-id of a v1/v2c one; BerError if none."""
    start, _end = enter(data, 0, SEQUENCE)
    version, position = read_integer(data, start)
    if version == 3:  # msgGlobalData ::= SEQUENCE { msgID, ... }
        return read_integer(data, enter(data, position, SEQUENCE)[0])[0]
    return read_integer(data, header(data, skip(data, position))[0])[0]  # past the community, into the PDU


class _Waiting:
    __slots__ = ("data", "future", "peer", "request", "timeout", "timer", "tries_left")

    def __init__(self, peer: tuple[str, int], request: Request, data: bytes, future: asyncio.Future, timeout: float,
                 tries: int):  # fmt: skip
        self.peer, self.request, self.data, self.future = peer, request, data, future
        self.timeout, self.tries_left = timeout, tries
        self.timer: asyncio.TimerHandle | None = None


class SnmpClient:
    """Sends requests and hands back what each one's `parse` makes of its reply, or a Failure ("timeout", "error")."""

    def __init__(self) -> None:
        self._sockets: dict[int, socket.socket] = {}
        self._waiting: dict[int, _Waiting] = {}
        self._next_id = random.randint(REQUEST_ID_FIRST, REQUEST_ID_LAST)
        self._undecodable: dict[tuple[str, int], tuple[float, str]] = {}  # peer -> (when, why) of its last noise

    def close(self) -> None:
        loop = asyncio.get_running_loop()
        for sock in self._sockets.values():
            loop.remove_reader(sock.fileno())
            sock.close()
        self._sockets.clear()

    def _socket(self, family: int) -> socket.socket:
        if family not in self._sockets:
            sock = socket.socket(family, socket.SOCK_DGRAM)
            sock.setblocking(False)
            sock.bind(("::" if family == socket.AF_INET6 else "0.0.0.0", 0))
            enlarge_buffers(sock, receive=RECEIVE_BUFFER, send=RECEIVE_BUFFER // 4)
            asyncio.get_running_loop().add_reader(sock.fileno(), self._drain, sock)
            self._sockets[family] = sock
        return self._sockets[family]

    def _request_id(self) -> int:
        while True:
            request_id = self._next_id
            self._next_id = request_id + 1 if request_id < REQUEST_ID_LAST else REQUEST_ID_FIRST
            if request_id not in self._waiting:
                return request_id

    async def get(self, request: Request, *, ip: str, family: int, port: int, timeout: float, retries: int) -> object:
        """One GET, sent up to 1 + `retries` times, each try waiting `timeout` seconds."""
        try:
            sock = self._socket(family)
        except OSError as error:
            return Failure("error", f"no UDP socket: {error.strerror or error}")
        request_id = self._request_id()
        started = time.monotonic()
        waiting = _Waiting((ip, port), request, request.bytes_for(request_id),
                           asyncio.get_running_loop().create_future(), timeout, retries + 1)  # fmt: skip
        self._waiting[request_id] = waiting
        self._send(sock, request_id, waiting)
        try:
            outcome = await waiting.future
        finally:  # also when the caller is cancelled: forget the request and its timer
            self._waiting.pop(request_id, None)
            if waiting.timer is not None:
                waiting.timer.cancel()
        if isinstance(outcome, Failure) and outcome.status == "timeout":
            noise = self._undecodable.get(waiting.peer)
            if noise is not None and noise[0] >= started:
                return Failure("error", f"agent answered with something that is not SNMP we can read: {noise[1]}")
        return outcome

    def _send(self, sock: socket.socket, request_id: int, waiting: _Waiting) -> None:
        waiting.tries_left -= 1
        try:
            sock.sendto(waiting.data, waiting.peer)
        except BlockingIOError:
            pass  # send buffer full: this try is lost, the timer below tries again
        except OSError as error:  # no route, refused by a local firewall
            waiting.future.set_result(Failure("error", f"cannot send: {error.strerror or error}"))
            return
        loop = asyncio.get_running_loop()
        waiting.timer = loop.call_later(waiting.timeout, self._expire, sock, request_id)

    def _expire(self, sock: socket.socket, request_id: int) -> None:
        waiting = self._waiting.get(request_id)
        if waiting is None or waiting.future.done():
            return
        if waiting.tries_left:
            self._send(sock, request_id, waiting)
        else:
            waiting.future.set_result(Failure("timeout", "no response"))

    def _drain(self, sock: socket.socket) -> None:
        while True:
            try:
                data, source = sock.recvfrom(MAX_DATAGRAM)
            except (BlockingIOError, InterruptedError):
                return
            except OSError as error:  # an ICMP error queued on the socket (port unreachable): not a reply
                log.debug("SNMP receive: %s", error)
                continue
            self._receive(data, source[:2])

    def _receive(self, data: bytes, peer: tuple[str, int]) -> None:
        try:
            waiting = self._waiting.get(message_id(data))
            if waiting is None or waiting.peer != peer or waiting.future.done():
                return  # late (after its timeout), from another address, or a duplicate
            waiting.future.set_result(waiting.request.parse(data))
        except (BerError, MalformedResponse) as error:
            self._undecodable[peer] = (time.monotonic(), str(error))
            log.debug("undecodable datagram from %s: %s", peer, error)
