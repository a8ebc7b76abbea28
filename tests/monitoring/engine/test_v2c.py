"""SNMPv2c messages: a patched template is the request pysnmp would send; any datagram parses or is refused."""

import contextlib
import random

import pytest
from pyasn1.codec.ber import decoder, encoder
from pysnmp.proto import rfc1902

from monitoring.engine.v2c import (
    REQUEST_ID_FIRST,
    REQUEST_ID_LAST,
    V2C,
    GetRequest,
    MalformedResponse,
    parse_response,
    value_of,
)
from tests.monitoring.engine.mangling import mangled

OIDS = ("1.3.6.1.2.1.1.3.0", "1.3.6.1.2.1.1.5.0", "1.3.6.1.2.1.2.2.1.8.1")


def _response(request_id: int, varbinds) -> bytes:
    pdu = V2C.GetResponsePDU()
    V2C.apiPDU.set_defaults(pdu)
    V2C.apiPDU.set_request_id(pdu, request_id)
    V2C.apiPDU.set_varbinds(pdu, varbinds)
    message = V2C.Message()
    V2C.apiMessage.set_defaults(message)
    V2C.apiMessage.set_community(message, "public")
    V2C.apiMessage.set_pdu(message, pdu)
    return encoder.encode(message)


@pytest.mark.parametrize("community", ["public", "c" * 200])  # a long community needs a long-form length
@pytest.mark.parametrize("request_id", [REQUEST_ID_FIRST, 0x12345678, REQUEST_ID_LAST])
def test_template_is_the_request_pysnmp_encodes(community, request_id):
    message, rest = decoder.decode(GetRequest(community, OIDS).bytes_for(request_id), asn1Spec=V2C.Message())
    pdu = V2C.apiMessage.get_pdu(message)
    assert rest == b"" and str(V2C.apiMessage.get_community(message)) == community
    assert int(V2C.apiPDU.get_request_id(pdu)) == request_id
    assert tuple(str(oid) for oid, _value in V2C.apiPDU.get_varbinds(pdu)) == OIDS


def test_response_values_become_plain_python():
    data = _response(
        0x01020304,
        [
            ("1.3.6.1.2.1.1.3.0", rfc1902.TimeTicks(4242)),
            ("1.3.6.1.2.1.1.5.0", rfc1902.OctetString("bpbd-kukar")),
            ("1.3.6.1.2.1.1.2.0", rfc1902.ObjectIdentifier("1.3.6.1.4.1.8072")),
            ("1.3.6.1.2.1.4.20.1.1.1", rfc1902.IpAddress("10.64.0.1")),
            ("1.3.6.1.2.1.31.1.1.1.6.1", rfc1902.Counter64(2**40)),
            ("1.3.6.1.2.1.1.9.0", V2C.NoSuchInstance("")),
        ],
    )
    response = parse_response(data)
    assert (response.request_id, response.error_status) == (0x01020304, 0)
    assert list(response.values.values()) == [4242, "bpbd-kukar", "1.3.6.1.4.1.8072", "10.64.0.1", 2**40, None]


def _random_value(rng: random.Random):
    kind = rng.randrange(12)
    text = bytes(
        rng.randrange(256) if rng.random() < 0.2 else rng.randrange(32, 127) for _ in range(rng.randrange(300))
    )
    return [
        lambda: rfc1902.Integer32(rng.randint(-(2**31), 2**31 - 1)),
        lambda: rfc1902.OctetString(text),
        lambda: rfc1902.OctetString(b""),
        lambda: rfc1902.ObjectIdentifier(
            (rng.randrange(3), rng.randrange(40), *(rng.randrange(2**32) for _ in range(5)))
        ),
        lambda: rfc1902.IpAddress(bytes(rng.randrange(256) for _ in range(4))),
        lambda: rfc1902.Counter32(rng.randrange(2**32)),
        lambda: rfc1902.Gauge32(rng.randrange(2**32)),
        lambda: rfc1902.TimeTicks(rng.randrange(2**32)),
        lambda: rfc1902.Counter64(rng.randrange(2**64)),
        lambda: rfc1902.Opaque(text),
        lambda: V2C.NoSuchObject(""),
        lambda: (V2C.NoSuchInstance, V2C.EndOfMibView)[rng.randrange(2)](""),
    ][kind]()


def test_responses_read_by_hand_give_what_value_of_makes_of_pysnmps_decoding():
    rng = random.Random(7)
    for number in range(300):
        varbinds = [(f"1.3.6.1.4.1.{number}.{index}", _random_value(rng)) for index in range(rng.randrange(1, 8))]
        data = _response(REQUEST_ID_FIRST + number, varbinds)
        pdu = V2C.apiMessage.get_pdu(decoder.decode(data, asn1Spec=V2C.Message())[0])
        expected = {str(oid): value_of(value) for oid, value in V2C.apiPDU.get_varbinds(pdu)}
        assert parse_response(data).values == expected


def test_requests_and_noise_are_refused_with_a_reason():
    with pytest.raises(MalformedResponse, match="not a response"):
        parse_response(GetRequest("public", OIDS).bytes_for(REQUEST_ID_FIRST))
    with pytest.raises(MalformedResponse):
        parse_response(b"HTTP/1.1 400 Bad Request\r\n\r\n")


def test_mangled_responses_only_ever_raise_malformed_response():
    data = _response(REQUEST_ID_FIRST, [(OIDS[0], rfc1902.TimeTicks(1)), (OIDS[1], rfc1902.OctetString("x"))])
    for damaged in mangled(data, seed=1):
        with contextlib.suppress(MalformedResponse):  # any other exception fails the test
            parse_response(damaged)
