"""The little BER that SNMP's message headers need, read and written by hand: pyasn1 costs ~100x more CPU.

Only what SNMP messages use: one-byte tags, definite lengths, non-negative INTEGERs. PDUs and their
values are still encoded and decoded by pyasn1 (see v2c.py); this module walks around them.
"""

INTEGER, OCTET_STRING, NULL, OBJECT_IDENTIFIER, SEQUENCE = 0x02, 0x04, 0x05, 0x06, 0x30


class BerError(ValueError):
    """Bytes that are not the BER element expected at that place."""


def header(data: bytes, position: int) -> tuple[int, int]:
    """(content start, content length) of the element at `position`; BerError if it runs past the end."""
    try:
        length = data[position + 1]
        start = position + 2
        if length == 0x80:
            raise BerError(f"indefinite length at byte {position}")
        if length > 0x80:
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
    return integer_value(data[start:end]), end


def integer_value(content: bytes, *, signed: bool = True) -> int:
    if not content:
        raise BerError("an INTEGER without content")
    return int.from_bytes(content, "big", signed=signed)


def oid_value(content: bytes) -> str:
    """The dotted form of an OBJECT IDENTIFIER's content (X.690 8.19)."""
    arcs, arc = [], 0
    for position, byte in enumerate(content):
        if arc == 0 and byte == 0x80:
            raise BerError(f"OID sub-identifier padded at byte {position}")
        arc = arc << 7 | byte & 0x7F
        if not byte & 0x80:
            arcs.append(arc)
            arc = 0
    if not content or content[-1] & 0x80:
        raise BerError("truncated OID")
    first = arcs[0]
    head = (first // 40, first % 40) if first < 80 else (2, first - 80)
    return ".".join(map(str, (*head, *arcs[1:])))


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
