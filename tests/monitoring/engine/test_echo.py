"""Echo packets: what goes out is a valid ICMP echo request, and only our own replies are read back."""

import socket

from monitoring.engine.echo import ECHO_REPLY, EchoFormat

TOKEN = b"\x01\x02\x03\x04\x05\x06\x07\x08"


def _ones_complement(data: bytes) -> int:
    total = sum(int.from_bytes(data[i : i + 2], "big") for i in range(0, len(data), 2))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return total


def _as_reply(request: bytes, family: int = socket.AF_INET) -> bytes:
    return bytes([ECHO_REPLY[family]]) + request[1:]


def test_ipv4_checksum_is_valid_for_every_kind_of_serial():
    echo = EchoFormat(socket.AF_INET, 0x1234, TOKEN)
    for serial in (0, 1, 0xFFFF, 0x10000, 0xBEEF_CAFE, 0xFFFF_FFFF):
        packet = echo.request(serial)
        assert _ones_complement(packet) == 0xFFFF
        assert packet[0] == 8 and int.from_bytes(packet[6:8], "big") == serial & 0xFFFF


def test_ipv6_request_leaves_the_checksum_to_the_kernel():
    packet = EchoFormat(socket.AF_INET6, 7, TOKEN).request(5)
    assert packet[0] == 128 and packet[2:4] == b"\x00\x00"


def test_a_reply_gives_back_identifier_and_32_bit_serial():
    echo = EchoFormat(socket.AF_INET, 0x1234, TOKEN)
    reply = echo.reply(_as_reply(echo.request(0x0001_0002)), 0)
    assert (reply.identifier, reply.serial) == (0x1234, 0x0001_0002)


def test_reply_behind_an_ip_header_is_read_at_its_offset():
    echo = EchoFormat(socket.AF_INET, 1, TOKEN)
    assert echo.reply(bytes(20) + _as_reply(echo.request(9)), 20).serial == 9


def test_requests_foreign_tokens_mangled_and_short_packets_are_not_replies():
    echo = EchoFormat(socket.AF_INET, 1, TOKEN)
    request = echo.request(42)
    assert echo.reply(request, 0) is None  # our own request, seen on loopback
    assert EchoFormat(socket.AF_INET, 1, b"another!").reply(_as_reply(request), 0) is None
    mangled = bytearray(_as_reply(request))
    mangled[7] ^= 0xFF  # sequence no longer matches the serial
    assert echo.reply(bytes(mangled), 0) is None
    assert echo.reply(_as_reply(request)[:12], 0) is None
