"""SNMP GET PDUs and SNMPv2c messages, cheap enough for thousands of GETs/s on one core.

pysnmp's full command generator spends ~0.9 ms of CPU per GET (MIB resolution, the local
configuration datastore, message and security dispatch); its BER decoder alone needs ~0.3 ms.
A GET needs none of that: for one community and one OID list the request is the same bytes every
time but for its request-id, so it is encoded once by pysnmp and only the request-id is patched in
per request. Responses are read by hand (ber.py), strictly: every length must fit its parent, and
the values come out as `value_of` makes them of pysnmp's objects (the tests check both agree).
The same PDU code serves SNMPv3, inside its scopedPDU (v3.py).
"""

from dataclasses import dataclass

from pyasn1.codec.ber import encoder
from pyasn1.type import univ
from pysnmp.proto import api, rfc1902, rfc1905

from monitoring.engine.ber import (
    INTEGER,
    NULL,
    OBJECT_IDENTIFIER,
    OCTET_STRING,
    SEQUENCE,
    BerError,
    enter,
    header,
    integer_value,
    oid_value,
    read_integer,
    read_octets,
    skip,
)

V2C = api.PROTOCOL_MODULES[api.SNMP_VERSION_2C]
REQUEST_ID_BYTES = 4
# Request-ids from this range always encode in exactly four bytes, which is what makes patching safe.
REQUEST_ID_FIRST, REQUEST_ID_LAST = 0x01000000, 0x7FFFFFFF
_MISSING = (rfc1905.NoSuchObject, rfc1905.NoSuchInstance, rfc1905.EndOfMibView)
_RESPONSE, _REPORT = 0xA2, 0xA8  # PDU tags
# SMIv2 application types (RFC 2578): IpAddress, Counter32, Gauge32/Unsigned32, TimeTicks, Opaque, Counter64
_IP_ADDRESS, _UNSIGNED, _OPAQUE = 0x40, frozenset((0x41, 0x42, 0x43, 0x46)), 0x44
_EXCEPTIONS = frozenset((0x80, 0x81, 0x82))  # noSuchObject, noSuchInstance, endOfMibView

Value = str | int | None


class MalformedResponse(ValueError):
    """A datagram that is not an SNMP response to us (noise, another protocol, a broken agent, a wrong key)."""


@dataclass(frozen=True, slots=True)
class Response:
    request_id: int
    error_status: int  # 0 noError, 2 noSuchName, 5 genErr, ...
    error_index: int
    values: dict[str, Value]  # numeric OID -> value; None where the agent has no such object


class Template:
    """Encoded bytes with a four-byte request-id hole at `position` (the INTEGER's tag byte)."""

    def __init__(self, data: bytes, position: int) -> None:
        assert data[position : position + 2] == bytes((INTEGER, REQUEST_ID_BYTES)), "request-id is not 4 bytes"
        self._head, self._tail = data[: position + 2], data[position + 2 + REQUEST_ID_BYTES :]

    def bytes_for(self, request_id: int) -> bytes:
        return self._head + request_id.to_bytes(REQUEST_ID_BYTES, "big") + self._tail


def get_pdu(oids: tuple[str, ...]) -> Template:
    """The bare GetRequest-PDU for `oids` (what an SNMPv3 scopedPDU carries); PyAsn1Error for a non-numeric OID."""
    data = encoder.encode(_get_pdu(oids))
    return Template(data, header(data, 0)[0])


def bulk_pdu(oid: str, max_repetitions: int) -> Template:
    """The bare GetBulkRequest-PDU for the `max_repetitions` objects after `oid` (a walk's step, for SNMPv3)."""
    data = encoder.encode(_bulk_pdu(oid, max_repetitions))
    return Template(data, header(data, 0)[0])


def _get_pdu(oids: tuple[str, ...]) -> univ.Sequence:
    pdu = V2C.GetRequestPDU()
    V2C.apiPDU.set_defaults(pdu)
    V2C.apiPDU.set_request_id(pdu, REQUEST_ID_FIRST)
    V2C.apiPDU.set_varbinds(pdu, [(univ.ObjectIdentifier(oid), V2C.null) for oid in oids])
    return pdu


def _bulk_pdu(oid: str, max_repetitions: int) -> univ.Sequence:
    # GetBulkRequest-PDU ::= { request-id, non-repeaters, max-repetitions, variable-bindings }: the
    # request-id comes first as in a GET, so the same template patching serves it.
    pdu = V2C.GetBulkRequestPDU()
    V2C.apiBulkPDU.set_defaults(pdu)
    V2C.apiBulkPDU.set_request_id(pdu, REQUEST_ID_FIRST)
    V2C.apiBulkPDU.set_non_repeaters(pdu, 0)
    V2C.apiBulkPDU.set_max_repetitions(pdu, max_repetitions)
    V2C.apiBulkPDU.set_varbinds(pdu, [(univ.ObjectIdentifier(oid), V2C.null)])
    return pdu


class GetRequest(Template):
    """The GET request for one community and one list of OIDs; `bytes_for(request_id)` is all that varies.

    Raises pyasn1's PyAsn1Error for an OID that is not numeric.
    """

    def __init__(self, community: str, oids: tuple[str, ...], *, pdu: univ.Sequence | None = None) -> None:
        message = V2C.Message()
        V2C.apiMessage.set_defaults(message)
        V2C.apiMessage.set_community(message, community)
        V2C.apiMessage.set_pdu(message, _get_pdu(oids) if pdu is None else pdu)
        data = encoder.encode(message)
        # Message ::= SEQUENCE { version, community, PDU { request-id, ... } }
        position = skip(data, skip(data, header(data, 0)[0]))  # into the message, past version and community
        super().__init__(data, header(data, position)[0])  # into the PDU: the request-id comes first

    def parse(self, data: bytes) -> "Response":
        return parse_response(data)


class BulkRequest(GetRequest):
    """A GETBULK of the `max_repetitions` objects after `oid` for one community (one step of a walk)."""

    def __init__(self, community: str, oid: str, max_repetitions: int) -> None:
        super().__init__(community, (), pdu=_bulk_pdu(oid, max_repetitions))


def value_of(value: object) -> Value:
    """A plain Python value: numbers as int, OIDs dotted, strings as text (hex when not printable)."""
    if isinstance(value, _MISSING):
        return None
    if isinstance(value, univ.Integer):  # Integer32, Counter32/64, Gauge32, TimeTicks, Unsigned32
        return int(value)
    if isinstance(value, univ.ObjectIdentifier):
        return str(value)
    if isinstance(value, rfc1902.IpAddress):
        return ".".join(map(str, value.asNumbers()))
    return value.prettyPrint()  # OctetString, Opaque, Bits


def parse_response(data: bytes) -> Response:
    """An SNMPv2c Response; MalformedResponse for anything else."""
    try:
        start, end = enter(data, 0, SEQUENCE)
        if end != len(data):
            raise MalformedResponse(f"{len(data) - end} bytes after the message")
        _version, position = read_integer(data, start)
        _community, position = read_octets(data, position)
        tag, response = _read_pdu(data, position, end)
    except BerError as error:
        raise MalformedResponse(str(error)) from error
    if tag != _RESPONSE:
        raise MalformedResponse(f"not a response but a PDU of tag 0x{tag:02x}")
    return response


def parse_pdu(data: bytes, position: int, end: int) -> Response | tuple[str, ...]:
    """The Response-PDU at data[position:end] as a Response, a Report-PDU as its OIDs (SNMPv3 scopedPDU contents).

    MalformedResponse for anything else.
    """
    try:
        tag, response = _read_pdu(data, position, end)
    except BerError as error:
        raise MalformedResponse(str(error)) from error
    if tag == _REPORT:
        return tuple(response.values)
    if tag != _RESPONSE:
        raise MalformedResponse(f"not a response but a PDU of tag 0x{tag:02x}")
    return response


def _read_pdu(data: bytes, position: int, end: int) -> tuple[int, Response]:
    """(tag, contents) of the PDU that fills data[position:end]."""
    tag = data[position] if position < end else -1
    if not 0xA0 <= tag <= 0xA8:
        raise BerError(f"no PDU at byte {position}")
    start, pdu_end = header(data, position)
    pdu_end += start
    if pdu_end != end:
        raise BerError(f"{end - pdu_end} bytes after the PDU")
    request_id, position = read_integer(data, start)
    error_status, position = read_integer(data, position)
    error_index, position = read_integer(data, position)
    position, binds_end = enter(data, position, SEQUENCE)
    if binds_end != end:
        raise BerError("bytes after the variable bindings")
    values: dict[str, Value] = {}
    while position < binds_end:
        start, bind_end = enter(data, position, SEQUENCE)
        oid_start, oid_end = enter(data, start, OBJECT_IDENTIFIER)
        value_start, value_length = header(data, oid_end)
        if value_start + value_length != bind_end:
            raise BerError(f"variable binding at byte {position} has more or less than one value")
        values[oid_value(data[oid_start:oid_end])] = _value(data[oid_end], data[value_start:bind_end])
        position = bind_end
    if position != binds_end:
        raise BerError("a variable binding runs past its list")
    return tag, Response(request_id, error_status, error_index, values)


def _value(tag: int, content: bytes) -> Value:
    """What `value_of` gives for the pysnmp object of this type and content."""
    if tag == INTEGER:
        return integer_value(content)
    if tag in _UNSIGNED:  # unsigned, also from agents that leave out the leading zero byte
        return integer_value(content, signed=False)
    if tag in (OCTET_STRING, _OPAQUE):
        return _text(content)
    if tag == OBJECT_IDENTIFIER:
        return oid_value(content)
    if tag == _IP_ADDRESS and len(content) == 4:
        return ".".join(map(str, content))
    if tag in _EXCEPTIONS and not content:
        return None
    if tag == NULL and not content:
        return ""
    raise BerError(f"no SNMP value of tag 0x{tag:02x} and {len(content)} bytes")


def _text(content: bytes) -> str:
    """pyasn1's OctetString.prettyPrint: printable ASCII as text, anything else as 0x-hex."""
    if all(32 <= byte <= 126 for byte in content):
        return content.decode("ascii")
    return "0x" + content.hex()
