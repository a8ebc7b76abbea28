"""SNMPv3 USM messages for GETs (RFC 3412, RFC 3414, RFC 3826, RFC 7860), built and read without pysnmp's engine.

pysnmp's command generator spends ~3 ms of CPU per authPriv GET; the work a GET really needs is
one HMAC and one AES-CFB pass each way plus decoding the PDU. Here the message header and the USM
security parameters are written and walked by hand (ber.py), the GetRequest-PDU is a template
and the response PDU is read as for v2c (v2c.py), and the crypto is `cryptography`'s and hashlib's.
Keys are localized once per (password, engine ID) by the caller (v3_client.py).

A response is accepted only with a valid digest, for a msgID still waiting (snmp_client.py); its
boots and time are not checked against a window (RFC 3414 3.2.7): a replayed response would have
to carry the msgID of a request sent within the last `timeout` seconds.

Covered: HMAC-SHA-96 ("SHA") and HMAC-SHA-256-192 ("SHA256"), each with no privacy or AES-128-CFB
("AES"). Everything else (MD5, DES, AES-256, SHA-512, noAuthNoPriv) stays on pysnmp (snmp.py).
"""

import functools
import hashlib
import hmac
import itertools
import random
import time
from dataclasses import dataclass

from cryptography.hazmat.decrepit.ciphers.modes import CFB  # RFC 3826 needs CFB, which TLS no longer does
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms

from monitoring.engine.ber import (
    OCTET_STRING,
    SEQUENCE,
    BerError,
    enter,
    integer,
    octets,
    read_integer,
    read_octets,
    tlv,
)
from monitoring.engine.v2c import MalformedResponse, Response, Template, get_pdu, parse_pdu

AUTH_HASHES = {"SHA": ("sha1", 12), "SHA256": ("sha256", 24)}  # name -> (hash, MAC length); RFC 3414, RFC 7860
PRIVACY = ("", "AES")  # none, or AES-128-CFB (RFC 3826)
MIN_PASSWORD = 8  # RFC 3414 11.2; Net-SNMP and pysnmp refuse shorter ones too
MAX_MESSAGE_SIZE = 65507
USM_STATS = "1.3.6.1.6.3.15.1.1."
NOT_IN_TIME_WINDOWS, UNKNOWN_ENGINE_IDS = f"{USM_STATS}2.0", f"{USM_STATS}4.0"
REPORT_NAMES = {
    f"{USM_STATS}1.0": "usmStatsUnsupportedSecLevels",
    NOT_IN_TIME_WINDOWS: "usmStatsNotInTimeWindows",
    f"{USM_STATS}3.0": "usmStatsUnknownUserNames",
    UNKNOWN_ENGINE_IDS: "usmStatsUnknownEngineIDs",
    f"{USM_STATS}5.0": "usmStatsWrongDigests",
    f"{USM_STATS}6.0": "usmStatsDecryptionErrors",
}
_REPORTABLE, _AUTH, _PRIV = 0x04, 0x01, 0x02
_USM = 3
_MAX_CLOCK = 2**31 - 1  # snmpEngineBoots and snmpEngineTime (RFC 3414 2.2.1)
_MEGABYTE = 1_048_576
_salts = itertools.count(random.getrandbits(64))  # RFC 3826 3.1.2.1: a 64-bit counter from a random start


@dataclass(frozen=True, slots=True)
class Credentials:
    """What a target names: user, protocols and passwords (the passwords, not keys: they are localized per engine)."""

    user: str
    auth: str  # a key of AUTH_HASHES
    auth_password: str
    priv: str  # "" or "AES"
    priv_password: str


@dataclass(frozen=True, slots=True)
class Engine:
    """An agent's snmpEngineID, and its snmpEngineBoots/Time as last learnt at monotonic time `at`."""

    id: bytes
    boots: int
    seconds: int  # snmpEngineTime
    at: float

    def clock(self) -> tuple[int, int]:
        return self.boots, self.seconds + int(time.monotonic() - self.at)


@dataclass(frozen=True, slots=True)
class Report:
    """A USM report: the agent refused or could not place our message, and says why (and its engine's state)."""

    oid: str
    engine: Engine
    authenticated: bool  # only then may its engine clock be believed (RFC 3414 3.2.7)

    @property
    def name(self) -> str:
        return REPORT_NAMES.get(self.oid, self.oid)


@functools.lru_cache(maxsize=256)  # one agency uses one password on hundreds of agents
def password_to_key(hash_name: str, password: str) -> bytes:
    """RFC 3414 A.2: the hash of the password repeated to one megabyte (~2 ms)."""
    data = password.encode()
    return hashlib.new(hash_name, (data * (_MEGABYTE // len(data) + 1))[:_MEGABYTE]).digest()


def localize(hash_name: str, password: str, engine_id: bytes) -> bytes:
    """RFC 3414 A.2: the key for one engine, H(Ku || engineID || Ku)."""
    key = password_to_key(hash_name, password)
    return hashlib.new(hash_name, key + engine_id + key).digest()


class UserKeys:
    """A user's keys localized for one engine: a keyed HMAC to copy per message and the AES key, if any."""

    __slots__ = ("_mac", "mac_length", "priv_key", "user")

    def __init__(self, credentials: Credentials, engine_id: bytes) -> None:
        hash_name, self.mac_length = AUTH_HASHES[credentials.auth]
        self.user = credentials.user.encode()
        self._mac = hmac.new(localize(hash_name, credentials.auth_password, engine_id), digestmod=hash_name)
        # RFC 3826 3.1.2.1: the AES-128 key is the first 16 bytes of the priv password localized with the auth hash
        self.priv_key = localize(hash_name, credentials.priv_password, engine_id)[:16] if credentials.priv else None

    def mac(self, message: bytes) -> bytes:
        digest = self._mac.copy()
        digest.update(message)
        return digest.digest()[: self.mac_length]


def _aes(key: bytes, boots: int, engine_time: int, salt: bytes):
    iv = boots.to_bytes(4, "big") + engine_time.to_bytes(4, "big") + salt  # RFC 3826 3.1.2.1
    return Cipher(algorithms.AES(key), CFB(iv))


def _message(message_id: int, flags: int, security: bytes, data: bytes) -> bytes:
    header = integer(message_id) + integer(MAX_MESSAGE_SIZE) + octets(bytes((flags,))) + integer(_USM)
    return tlv(SEQUENCE, integer(3) + tlv(SEQUENCE, header) + octets(security) + data)


class Discovery:
    """The empty-user probe (RFC 3414 4): any agent answers it with a usmStatsUnknownEngineIDs report."""

    _pdu = get_pdu(())

    def bytes_for(self, message_id: int) -> bytes:
        security = tlv(SEQUENCE, octets(b"") + integer(0) + integer(0) + octets(b"") * 3)
        scoped = tlv(SEQUENCE, octets(b"") * 2 + self._pdu.bytes_for(message_id))
        return _message(message_id, _REPORTABLE, security, scoped)

    def parse(self, data: bytes) -> Response | Report:
        return read_message(data, None)


class Get:
    """A GET to one engine as one user; `bytes_for` stamps the engine's clock and encrypts with a fresh salt."""

    __slots__ = ("engine", "keys", "pdu")

    def __init__(self, keys: UserKeys, engine: Engine, pdu: Template) -> None:
        self.keys, self.engine, self.pdu = keys, engine, pdu

    def bytes_for(self, message_id: int) -> bytes:
        keys, engine = self.keys, self.engine
        boots, engine_time = engine.clock()
        scoped = tlv(SEQUENCE, octets(engine.id) + octets(b"") + self.pdu.bytes_for(message_id))
        if keys.priv_key is None:
            flags, salt, data = _REPORTABLE | _AUTH, b"", scoped
        else:
            flags, salt = _REPORTABLE | _AUTH | _PRIV, (next(_salts) & 0xFFFF_FFFF_FFFF_FFFF).to_bytes(8, "big")
            encryptor = _aes(keys.priv_key, boots, engine_time, salt).encryptor()
            data = octets(encryptor.update(scoped) + encryptor.finalize())
        head = octets(engine.id) + integer(boots) + integer(engine_time) + octets(keys.user)
        tail = octets(salt) + data  # what follows the MAC in the message
        message = _message(message_id, flags, tlv(SEQUENCE, head + octets(bytes(keys.mac_length)) + octets(salt)), data)
        mac_end = len(message) - len(tail)
        return message[: mac_end - keys.mac_length] + keys.mac(message) + message[mac_end:]

    def parse(self, data: bytes) -> Response | Report:
        return read_message(data, self.keys)


def read_message(data: bytes, keys: UserKeys | None) -> Response | Report:
    """The Response of an authPriv (or authNoPriv) reply, or the Report an agent sent instead.

    MalformedResponse for anything else: not SNMPv3, a wrong digest, a response weaker than asked for.
    A report may come unauthenticated (an unknown user or engine cannot be answered with our keys).
    """
    try:
        start, _end = enter(data, 0, SEQUENCE)
        version, position = read_integer(data, start)
        if version != 3:
            raise MalformedResponse(f"SNMP version {version}, not 3")
        start, position = enter(data, position, SEQUENCE)  # msgGlobalData
        _message_id, start = read_integer(data, start)
        _max_size, start = read_integer(data, start)
        flags, start = read_octets(data, start)
        flags = flags[0] if flags else 0
        start, position = enter(data, position, OCTET_STRING)  # msgSecurityParameters
        start, _end = enter(data, start, SEQUENCE)
        engine_id, start = read_octets(data, start)
        boots, start = read_integer(data, start)
        engine_time, start = read_integer(data, start)
        if not (0 <= boots <= _MAX_CLOCK and 0 <= engine_time <= _MAX_CLOCK):
            raise MalformedResponse(f"engine boots {boots} or time {engine_time} out of range")
        _user, start = read_octets(data, start)
        mac_start, mac_end = enter(data, start, OCTET_STRING)
        salt, _end = read_octets(data, mac_end)
        if flags & _AUTH:
            if keys is None or mac_end - mac_start != keys.mac_length:
                raise MalformedResponse("authenticated with a MAC we cannot check")
            mac = keys.mac(data[:mac_start] + bytes(keys.mac_length) + data[mac_end:])
            if not hmac.compare_digest(mac, data[mac_start:mac_end]):
                raise MalformedResponse("wrong digest (not our keys, or altered on the way)")
        if flags & _PRIV:
            if not flags & _AUTH or keys is None or keys.priv_key is None or len(salt) != 8:
                raise MalformedResponse("encrypted where we asked for no privacy")
            encrypted, _end = read_octets(data, position)
            decryptor = _aes(keys.priv_key, boots, engine_time, salt).decryptor()
            data, position = decryptor.update(encrypted) + decryptor.finalize(), 0
        start, end = enter(data, position, SEQUENCE)  # scopedPDU
        start = read_octets(data, read_octets(data, start)[1])[1]  # past contextEngineID and contextName
        pdu = parse_pdu(data, start, end)
    except (BerError, IndexError) as error:
        raise MalformedResponse(f"not an SNMPv3 message: {error}") from error
    if isinstance(pdu, tuple):
        engine = Engine(engine_id, boots, engine_time, time.monotonic())
        return Report(pdu[0] if pdu else "", engine, authenticated=bool(flags & _AUTH))
    if keys is None or not flags & _AUTH or (keys.priv_key is not None and not flags & _PRIV):
        raise MalformedResponse("a response with less security than asked for")
    return pdu
