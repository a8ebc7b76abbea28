"""ICMP echo packets: build a request and read a reply, fast enough for 10^4 probes per sweep.

icmplib's ICMPRequest/ICMPReply objects and its per-packet checksum cost tens of microseconds each;
here every probe of a pinger shares one payload layout, so the request is one `Struct.pack` and its
IPv4 checksum is a few additions to a sum taken once per pinger.

The payload carries the pinger's random token and a 32-bit probe serial. The echo header only has a
16-bit sequence (the kernel also rewrites the identifier of unprivileged datagram sockets), so the
serial in the payload, which every host echoes back untouched, is what matches a reply to its probe.
"""

import socket
import struct
from dataclasses import dataclass

ECHO_REQUEST = {socket.AF_INET: 8, socket.AF_INET6: 128}
ECHO_REPLY = {socket.AF_INET: 0, socket.AF_INET6: 129}
TOKEN_SIZE = 8
PADDING = b"simpul-echo".ljust(20, b".")  # 8 + 4 + 20 = a 32-byte payload
_PACKET = struct.Struct(f"!BBHHH{TOKEN_SIZE}sI{len(PADDING)}s")
_HEADER = struct.Struct(f"!BBHHH{TOKEN_SIZE}sI")  # what a reply must hold for us to read it


def _fold(total: int) -> int:
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return total


def _word_sum(data: bytes) -> int:
    return sum(struct.unpack(f"!{len(data) // 2}H", data))


@dataclass(frozen=True, slots=True)
class Reply:
    identifier: int  # ours on a raw socket; the kernel's own on a datagram socket
    serial: int


class EchoFormat:
    """Requests of one pinger (one identifier, one token) for one address family."""

    def __init__(self, family: int, identifier: int, token: bytes) -> None:
        self.family, self.identifier, self.token = family, identifier, token
        self.request_type, self.reply_type = ECHO_REQUEST[family], ECHO_REPLY[family]
        # Everything but sequence and serial is the same in every request: sum it once.
        self._constant_sum = (self.request_type << 8) + identifier + _word_sum(token) + _word_sum(PADDING)

    def request(self, serial: int) -> bytes:
        """An echo request; an IPv6 checksum covers a pseudo-header only the kernel knows: it fills that in."""
        sequence = serial & 0xFFFF
        checksum = 0
        if self.family == socket.AF_INET:
            checksum = ~_fold(self._constant_sum + sequence + (serial >> 16) + sequence) & 0xFFFF
        return _PACKET.pack(self.request_type, 0, checksum, self.identifier, sequence, self.token, serial, PADDING)

    def reply(self, packet: bytes, offset: int) -> Reply | None:
        """The reply in `packet` (ICMP header at `offset`), or None for anything but one of our replies.

        On loopback a raw socket also sees our own requests, and any socket sees other programs' traffic.
        """
        if len(packet) < offset + _HEADER.size or packet[offset] != self.reply_type:
            return None
        _type, _code, _checksum, identifier, sequence, token, serial = _HEADER.unpack_from(packet, offset)
        if token != self.token or sequence != serial & 0xFFFF:
            return None
        return Reply(identifier, serial)
