"""The little BER that SNMP's message headers need, read and written by hand: pyasn1 costs ~100x more CPU.

Only what SNMP messages use: one-byte tags, definite lengths, non-negative INTEGERs. PDUs and their
values are still encoded and decoded by pyasn1 (see v2c.py); this module walks around them.
"""

INTEGER, OCTET_STRING, SEQUENCE = 0x02, 0x04, 0x30


class BerError(ValueError):
    """Bytes that are not the BER element expected at that place."""


def header(data: bytes, position: int) -> tuple[int, int]:
    """(content start, content length) of the element at `position`; BerError if it runs past the end."""
    try:
        length = data[position + 1]
        start = position + 2
        if length >= 0x80:
            start += length & 0x7F
            length = int.from_bytes(data[position + 2 : start], "big")
    except IndexError:
        raise BerError(f"truncated at byte {position}") from None
    if start + length > len(data):
        raise BerError(f"element at byte {position} runs past the end")
    return start, length


def skip(data: bytes, position: int) -> int:
    start, length = header(data, position)
    return start + length


def enter(data: bytes, position: int, tag: int) -> tuple[int, int]:
    """(content start, content end) of the element at `position`, which must carry `tag`."""
    if position >= len(data) or data[position] != tag:
        raise BerError(f"expected tag 0x{tag:02x} at byte {position}")
    start, length = header(data, position)
    return start, start + length


def read_integer(data: bytes, position: int) -> tuple[int, int]:
    """(value, next position) of the INTEGER at `position`."""
    start, end = enter(data, position, INTEGER)
    return int.from_bytes(data[start:end], "big", signed=True), end


def read_octets(data: bytes, position: int) -> tuple[bytes, int]:
    """(content, next position) of the OCTET STRING at `position`."""
    start, end = enter(data, position, OCTET_STRING)
    return data[start:end], end


def tlv(tag: int, content: bytes) -> bytes:
    size = len(content)
    if size < 0x80:
        return bytes((tag, size)) + content
    length = size.to_bytes((size.bit_length() + 7) // 8, "big")
    return bytes((tag, 0x80 | len(length))) + length + content


def integer(value: int) -> bytes:
    """A non-negative INTEGER in the fewest bytes (a leading zero byte where the top bit would read as a sign)."""
    return tlv(INTEGER, value.to_bytes(value.bit_length() // 8 + 1, "big"))


def octets(content: bytes) -> bytes:
    return tlv(OCTET_STRING, content)
