"""SNMP GETs for thousands of agents: one GET per target, bounded concurrency, errors as values.

One GET carries sysUpTime.0, sysName.0, sysDescr.0, ifOperStatus of the chosen interfaces and the
kind's extra OIDs; an agent that answers tooBig is asked for them in halves. SNMPv2c, most of the
network, and SNMPv3 with SHA or SHA-256 auth and AES-128 or no privacy go through lean clients on one
shared UDP socket (see v2c.py and v3.py for why). The other SNMPv3 protocols (MD5, DES, AES-256,
SHA-512, noAuthNoPriv), rare here, stay on pysnmp 7's asyncio command generator, on ONE SnmpEngine
with its shared transport.

What a failure means:

* "timeout": nothing came back after every try. A wrong v2c community looks exactly like this:
  an agent drops a request with an unknown community without a word (RFC 3584), so a silent agent
  and a mistyped community cannot be told apart on the wire.
  So does a wrong SNMPv3 privacy key with a right auth key: the digest checks out, so no report,
  and the agent drops the undecryptable PDU as a parse error (Net-SNMP's snmpget times out too).
* "auth_error": an SNMPv3 agent answered with a USM report (usmStatsUnknownUserNames,
  usmStatsWrongDigests, ...). The agent is alive; our user name or auth key is wrong.
* "error": anything else - a bad address or OID, an agent's error-status, an answer that is not SNMP.
"""

import asyncio
import logging
import math
import socket
import time
from collections.abc import Callable, Iterator, Sequence
from functools import partial

from pyasn1.error import PyAsn1Error
from pysnmp.error import PySnmpError
from pysnmp.hlapi.v3arch.asyncio import (
    ContextData,
    ObjectIdentity,
    ObjectType,
    SnmpEngine,
    Udp6TransportTarget,
    UdpTransportTarget,
    UsmUserData,
    bulk_cmd,
    get_cmd,
    usmAesCfb128Protocol,
    usmAesCfb256Protocol,
    usmDESPrivProtocol,
    usmHMAC192SHA256AuthProtocol,
    usmHMAC384SHA512AuthProtocol,
    usmHMACMD5AuthProtocol,
    usmHMACSHAAuthProtocol,
    usmNoAuthProtocol,
    usmNoPrivProtocol,
)
from pysnmp.proto import errind, rfc1905

from monitoring.engine.addresses import Resolved, resolve_all
from monitoring.engine.results import SnmpResult, SnmpTarget
from monitoring.engine.snmp_client import Failure, SnmpClient
from monitoring.engine.v2c import BulkRequest, GetRequest, Response, Template, Value, bulk_pdu, get_pdu, value_of
from monitoring.engine.v3 import Credentials
from monitoring.engine.v3_client import V3Client, accelerated

log = logging.getLogger("simpul.engine")

SYS_DESCR, SYS_UPTIME, SYS_NAME = "1.3.6.1.2.1.1.1.0", "1.3.6.1.2.1.1.3.0", "1.3.6.1.2.1.1.5.0"
IF_OPER_STATUS = "1.3.6.1.2.1.2.2.1.8."
TOO_BIG = 1  # error-status tooBig (RFC 3416)
WALK_LIMIT = 10_000  # objects in one walked column: more is an agent that never says endOfMibView
AUTH_PROTOCOLS = {
    "": usmNoAuthProtocol,
    "MD5": usmHMACMD5AuthProtocol,
    "SHA": usmHMACSHAAuthProtocol,
    "SHA256": usmHMAC192SHA256AuthProtocol,
    "SHA512": usmHMAC384SHA512AuthProtocol,
}
PRIV_PROTOCOLS = {
    "": usmNoPrivProtocol,
    "DES": usmDESPrivProtocol,
    "AES": usmAesCfb128Protocol,
    "AES256": usmAesCfb256Protocol,
}
# USM reports: the agent is up but refuses our user or keys.
AUTH_FAILURES = (
    errind.WrongDigest,
    errind.UnknownUserName,
    errind.UnknownSecurityName,
    errind.UnsupportedSecurityLevel,
    errind.AuthenticationError,
    errind.DecryptionError,
)


def oids_of(target: SnmpTarget) -> tuple[str, ...]:
    interfaces = (f"{IF_OPER_STATUS}{index}" for index in target.if_indexes)
    extras = (_numeric(oid) for _label, oid in target.extra_oids)
    return (SYS_UPTIME, SYS_NAME, SYS_DESCR, *interfaces, *extras)


def _numeric(oid: str) -> str:
    return oid.strip().removeprefix(".")  # ".1.3.6..." as copied from a MIB browser


def credentials_of(target: SnmpTarget) -> Credentials:
    return Credentials(target.username, target.auth_protocol, target.auth_key, target.priv_protocol, target.priv_key)


def credential_rounds(targets: Sequence[SnmpTarget]) -> list[list[int]]:
    """Target positions in rounds such that, within a round, each SNMPv3 user name has ONE set of keys.

    pysnmp's USM holds one set of keys per user name: a second set for the same name (a key mistyped
    on one agent, two agencies choosing the same name) replaces the first. Those targets wait for a
    later round instead, so one engine serves every credential without mixing them up. The lean v3
    client keys by the whole credentials and needs no rounds.
    """
    rounds: list[list[int]] = []
    keys_by_user: dict[str, list[tuple[str, ...]]] = {}
    for position, target in enumerate(targets):
        level = 0
        if target.version == "3" and not accelerated(credentials_of(target)):
            known = keys_by_user.setdefault(target.username, [])
            keys = (target.auth_protocol, target.auth_key, target.priv_protocol, target.priv_key)
            if keys not in known:
                known.append(keys)
            level = known.index(keys)
        while len(rounds) <= level:
            rounds.append([])
        rounds[level].append(position)
    return rounds


class SnmpPoller:
    """Async context manager: `await poller.poll(targets)` gives one SnmpResult per target, in input order.

    At most `concurrency` GETs are in flight; each try waits `timeout` seconds, `retries` more tries
    follow a silent one. Polls on one poller run one after the other.
    """

    def __init__(self, *, concurrency: int = 256, timeout: float = 1.0, retries: int = 1) -> None:
        self.concurrency, self.timeout, self.retries = max(1, concurrency), timeout, retries
        self._engine: SnmpEngine | None = None
        self._client = SnmpClient()
        self._v3 = V3Client(self._client)
        self._requests: dict[tuple, GetRequest | Template | str] = {}  # built once, reused
        self._users: dict[tuple[str, ...], UsmUserData] = {}
        self._transports: dict[tuple[str, int], UdpTransportTarget | Udp6TransportTarget] = {}
        self._context = ContextData()
        self._lock = asyncio.Lock()

    async def __aenter__(self) -> "SnmpPoller":
        self._engine = SnmpEngine()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        self._client.close()
        if self._engine is not None:
            self._engine.close_dispatcher()
            self._engine = None

    async def poll(
        self, targets: Sequence[SnmpTarget], *, on_result: Callable[[int], None] | None = None
    ) -> list[SnmpResult]:
        """`on_result(position)` is called once per target as soon as its result is in (for progress reports)."""
        async with self._lock:  # credential rounds must not interleave with another poll's
            resolved = await resolve_all({target.address for target in targets})
            results: list[SnmpResult] = [SnmpResult(t.key, t.address, "error", "not polled") for t in targets]
            for positions in credential_rounds(targets):
                pending = iter(positions)  # the workers share it: a pool of `concurrency`, not a task per target
                workers = min(self.concurrency, len(positions))
                await asyncio.gather(
                    *(self._worker(pending, targets, resolved, results, on_result) for _ in range(workers))
                )
            return results

    async def _worker(
        self,
        pending: Iterator[int],
        targets: Sequence[SnmpTarget],
        resolved: dict[str, Resolved],
        results: list[SnmpResult],
        on_result: Callable[[int], None] | None,
    ) -> None:
        for position in pending:
            results[position] = await self._poll_one(targets[position], resolved[targets[position].address])
            if on_result is not None:
                on_result(position)

    async def _poll_one(self, target: SnmpTarget, resolved: Resolved) -> SnmpResult:
        if resolved.error is not None:
            return SnmpResult(target.key, target.address, "error", resolved.error)
        started = time.perf_counter()
        if target.version == "2c":
            outcome = await self._get_all(partial(self._get_v2c, target, resolved), oids_of(target))
        elif target.version == "3":
            outcome = await self._get_all(partial(self._get_v3, target, resolved), oids_of(target))
        else:
            outcome = Failure("error", f"unsupported SNMP version {target.version!r} (use 2c or 3)")
        if isinstance(outcome, Failure):
            return SnmpResult(target.key, target.address, outcome.status, outcome.reason)
        return _result(target, outcome, (time.perf_counter() - started) * 1000.0)

    async def walk(
        self, target: SnmpTarget, column: str, *, max_repetitions: int = 25
    ) -> list[tuple[str, Value]] | Failure:
        """Every object under `column` (a table column), in order, by GETBULK: one request per `max_repetitions`.

        SNMPv2c and SNMPv3: on the lean client for SHA or SHA-256 with AES or no privacy, the others on pysnmp.
        """
        resolved = (await resolve_all({target.address}))[target.address]
        if resolved.error is not None:
            return Failure("error", resolved.error)
        root = _numeric(column)
        found: list[tuple[str, Value]] = []
        after, last = root, _oid_key(root)
        while len(found) < WALK_LIMIT:
            outcome = await self._bulk(target, resolved, after, max_repetitions)
            if isinstance(outcome, Failure):
                return outcome
            if outcome.error_status:
                return Failure("error", f"agent error {outcome.error_status} at variable {outcome.error_index}")
            for oid, value in outcome.values.items():
                if not oid.startswith(root + ".") or value is None:  # past the column, or endOfMibView
                    return found
                if _oid_key(oid) <= last:
                    return Failure("error", f"agent answered {oid} after {after}: not increasing")
                found.append((oid, value))
                after, last = oid, _oid_key(oid)
            if not outcome.values:
                return found
        return found

    async def _bulk(self, target: SnmpTarget, resolved: Resolved, after: str, repetitions: int) -> Response | Failure:
        try:
            if target.version == "2c":
                request = BulkRequest(target.community, after, repetitions)
                return await self._client.get(request, **self._options(target, resolved))
            if target.version == "3" and accelerated(credentials_of(target)):
                pdu = bulk_pdu(after, repetitions)
                return await self._v3.get(credentials_of(target), pdu, **self._options(target, resolved))
        except (PyAsn1Error, ValueError) as error:
            return Failure("error", f"malformed OID {after}: {error}")
        if target.version == "3":  # the protocols left to pysnmp (MD5, DES, AES-256, SHA-512)
            async with self._lock:  # its USM holds one key set per user name: not while a poll's round runs
                return await self._pysnmp(bulk_cmd, target, resolved, 0, repetitions, ObjectType(ObjectIdentity(after)))
        return Failure("error", f"unsupported SNMP version {target.version!r} (use 2c or 3)")

    def _request(self, build: Callable[..., GetRequest | Template], *key: object) -> GetRequest | Template | str:
        """The encoded v2c request (community, OIDs) or v3 PDU (OIDs), or why it cannot be built."""
        if key not in self._requests:
            try:
                self._requests[key] = build(*key)
            except (PyAsn1Error, ValueError) as error:
                self._requests[key] = f"malformed OID in {key[-1]}: {error}"
        return self._requests[key]

    async def _get_all(self, get: Callable, oids: tuple[str, ...]) -> Response | Failure:
        """One GET of every OID; an agent that answers tooBig (the reply would not fit its or our largest
        message: many interfaces, long labels) is asked for each half, and each half's halves if need be."""
        outcome = await get(oids)
        if isinstance(outcome, Failure) or outcome.error_status != TOO_BIG or len(oids) < 2:
            return outcome
        half = len(oids) // 2
        first = await self._get_all(get, oids[:half])
        if isinstance(first, Failure) or first.error_status:
            return first
        second = await self._get_all(get, oids[half:])
        if isinstance(second, Failure) or second.error_status:
            return second
        return Response(second.request_id, 0, 0, {**first.values, **second.values})

    async def _get_v2c(self, target: SnmpTarget, resolved: Resolved, oids: tuple[str, ...]) -> Response | Failure:
        request = self._request(GetRequest, target.community, oids)
        if isinstance(request, str):
            return Failure("error", request)
        return await self._client.get(request, **self._options(target, resolved))

    def _options(self, target: SnmpTarget, resolved: Resolved) -> dict:
        return {"ip": resolved.ip, "family": resolved.family, "port": target.port, "timeout": self.timeout,
                "retries": self.retries}  # fmt: skip

    def _user(self, target: SnmpTarget) -> UsmUserData | str:
        if target.auth_protocol not in AUTH_PROTOCOLS or target.priv_protocol not in PRIV_PROTOCOLS:
            return f"unknown SNMPv3 protocols {target.auth_protocol!r}/{target.priv_protocol!r}"
        key = (target.username, target.auth_protocol, target.auth_key, target.priv_protocol, target.priv_key)
        if key not in self._users:
            self._users[key] = UsmUserData(
                target.username,
                authKey=target.auth_key or None,
                privKey=target.priv_key or None,
                authProtocol=AUTH_PROTOCOLS[target.auth_protocol],
                privProtocol=PRIV_PROTOCOLS[target.priv_protocol],
            )
        return self._users[key]

    async def _transport(self, resolved: Resolved, port: int) -> UdpTransportTarget | Udp6TransportTarget:
        key = (resolved.ip, port)
        if key not in self._transports:
            factory = Udp6TransportTarget if resolved.family == socket.AF_INET6 else UdpTransportTarget
            self._transports[key] = await factory.create(key, timeout=self.timeout, retries=self.retries)
        return self._transports[key]

    async def _get_v3(self, target: SnmpTarget, resolved: Resolved, oids: tuple[str, ...]) -> Response | Failure:
        credentials = credentials_of(target)
        if accelerated(credentials):
            pdu = self._request(get_pdu, oids)
            if isinstance(pdu, str):
                return Failure("error", pdu)
            return await self._v3.get(credentials, pdu, **self._options(target, resolved))
        return await self._get_pysnmp(target, resolved, oids)

    async def _get_pysnmp(self, target: SnmpTarget, resolved: Resolved, oids: tuple[str, ...]) -> Response | Failure:
        return await self._pysnmp(get_cmd, target, resolved, *(ObjectType(ObjectIdentity(oid)) for oid in oids))

    async def _pysnmp(
        self, command: Callable, target: SnmpTarget, resolved: Resolved, *arguments
    ) -> Response | Failure:
        """A GET or GETBULK (`command`) through pysnmp's command generator."""
        user = self._user(target)
        if isinstance(user, str):
            return Failure("error", user)
        try:
            error_indication, error_status, error_index, var_binds = await command(
                self._engine,
                user,
                await self._transport(resolved, target.port),
                self._context,
                *arguments,
                lookupMib=False,
            )
        except (PySnmpError, PyAsn1Error, ValueError) as error:  # bad keys (too short), bad OIDs: our input
            log.info("SNMPv3 request to %s not made: %s", target.address, error)
            return Failure("error", f"{type(error).__name__}: {error}")
        if isinstance(error_indication, AUTH_FAILURES):
            return Failure("auth_error", f"SNMP authentication failed: {error_indication}")
        if isinstance(error_indication, errind.RequestTimedOut):
            return Failure("timeout", str(error_indication))
        if error_indication:
            return Failure("error", str(error_indication))
        values = {str(oid): value_of(value) for oid, value in var_binds}
        return Response(0, int(error_status), int(error_index), values)


def _oid_key(oid: str) -> tuple[int, ...]:
    return tuple(int(part) for part in oid.split("."))


def _int(value: Value) -> int | None:
    return value if isinstance(value, int) else None


def _extra(value: Value) -> str | int | float | None:
    """Numbers stay numbers; text that spells a finite number (an SNR of "23.5") becomes a float."""
    if not isinstance(value, str):
        return value
    try:
        number = float(value)
    except ValueError:
        return value
    return number if math.isfinite(number) else value


def _result(target: SnmpTarget, response: Response, rtt_ms: float) -> SnmpResult:
    if response.error_status:
        name = rfc1905.errorStatus.clone(response.error_status).prettyPrint()
        return SnmpResult(target.key, target.address, "error", f"agent error {name} at variable {response.error_index}")
    values = response.values
    interfaces = {index: _int(values.get(f"{IF_OPER_STATUS}{index}")) for index in target.if_indexes}
    return SnmpResult(
        key=target.key,
        address=target.address,
        status="ok",
        sys_uptime=_int(values.get(SYS_UPTIME)),
        sys_name=_text(values.get(SYS_NAME)),
        sys_descr=_text(values.get(SYS_DESCR)),
        if_oper_status={index: status for index, status in interfaces.items() if status is not None},
        extras={label: _extra(values.get(_numeric(oid))) for label, oid in target.extra_oids},
        rtt_ms=rtt_ms,
    )


def _text(value: Value) -> str | None:
    return None if value is None else str(value)
