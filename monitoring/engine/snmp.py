"""SNMP GETs with pysnmp 7's asyncio API: one engine and one shared UDP transport per poller.

One GET per target carries sysUpTime, sysName, sysDescr, the ifOperStatus of the chosen interfaces and
the kind's extra OIDs. Credentials and transport targets are built once per distinct value and
reused, and a semaphore bounds the requests in flight, so a poll of thousands of agents is
CPU-bound in pysnmp's codec rather than waiting on one agent at a time.

Errors come back as values: a silent agent is "timeout" (and so is a wrong v2c community: the
agent drops the request without a word, indistinguishable on the wire); a v3 agent that rejects the
user or the key answers with a USM report, which is "auth_error", not a sign the asset is down.
"""

import asyncio
import time
from collections.abc import Sequence

from pysnmp.hlapi.v3arch.asyncio import (
    CommunityData,
    ContextData,
    ObjectIdentity,
    ObjectType,
    SnmpEngine,
    Udp6TransportTarget,
    UdpTransportTarget,
    UsmUserData,
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
from pysnmp.proto import errind

from monitoring.engine.addresses import parse_literal
from monitoring.engine.results import SnmpResult, SnmpTarget

SYS_DESCR, SYS_UPTIME, SYS_NAME = "1.3.6.1.2.1.1.1.0", "1.3.6.1.2.1.1.3.0", "1.3.6.1.2.1.1.5.0"
IF_OPER_STATUS = "1.3.6.1.2.1.2.2.1.8."
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
AUTH_FAILURES = (
    errind.WrongDigest,
    errind.UnknownUserName,
    errind.UnknownSecurityName,
    errind.UnsupportedSecurityLevel,
    errind.AuthenticationError,
    errind.DecryptionError,
)


class SnmpPoller:
    """Async context manager: `await poller.poll(targets)` returns one SnmpResult per target, in order."""

    def __init__(self, *, concurrency: int = 200, timeout: float = 1.0, retries: int = 1) -> None:
        self.concurrency, self.timeout, self.retries = concurrency, timeout, retries
        # pysnmp's USM keeps one set of keys per user name and engine: a user name seen again with other
        # keys (a wrong key on one agent, say) gets an engine of its own, never the first keys silently.
        self._engines: list[tuple[SnmpEngine, dict[str, tuple]]] = []
        self._auth: dict[tuple, CommunityData | UsmUserData] = {}
        self._transports: dict[tuple, UdpTransportTarget] = {}
        self._context = ContextData()

    async def __aenter__(self) -> "SnmpPoller":
        self._engines = [(SnmpEngine(), {})]
        return self

    async def __aexit__(self, *exc_info) -> None:
        for engine, _users in self._engines:
            engine.close_dispatcher()
        self._engines = []

    def _engine_for(self, target: SnmpTarget) -> SnmpEngine:
        if target.version != "3":
            return self._engines[0][0]
        credentials = (target.auth_protocol, target.auth_key, target.priv_protocol, target.priv_key)
        for engine, users in self._engines:
            if users.setdefault(target.username, credentials) == credentials:
                return engine
        self._engines.append((SnmpEngine(), {target.username: credentials}))
        return self._engines[-1][0]

    def _auth_data(self, target: SnmpTarget):
        if target.version == "3":
            key = (
                "3",
                target.username,
                target.auth_protocol,
                target.auth_key,
                target.priv_protocol,
                target.priv_key,
            )
            if key not in self._auth:
                self._auth[key] = UsmUserData(
                    target.username,
                    authKey=target.auth_key or None,
                    privKey=target.priv_key or None,
                    authProtocol=AUTH_PROTOCOLS[target.auth_protocol],
                    privProtocol=PRIV_PROTOCOLS[target.priv_protocol],
                )
        else:
            key = ("2c", target.community)
            if key not in self._auth:
                self._auth[key] = CommunityData(target.community, mpModel=1)
        return self._auth[key]

    async def _transport(self, ip: str, family_v6: bool, port: int):
        key = (ip, port)
        if key not in self._transports:
            factory = Udp6TransportTarget if family_v6 else UdpTransportTarget
            self._transports[key] = await factory.create((ip, port), timeout=self.timeout, retries=self.retries)
        return self._transports[key]

    async def poll(self, targets: Sequence[SnmpTarget]) -> list[SnmpResult]:
        semaphore = asyncio.Semaphore(self.concurrency)

        async def one(target: SnmpTarget) -> SnmpResult:
            async with semaphore:
                return await self._get(target)

        return list(await asyncio.gather(*(one(t) for t in targets)))

    async def _get(self, target: SnmpTarget) -> SnmpResult:
        result = SnmpResult(key=target.key, address=target.address, status="error")
        literal = parse_literal(target.address)
        if literal is None or literal.error:
            result.reason = literal.error if literal else f"SNMP needs an IP address, not {target.address!r}"
            return result
        if target.version == "3" and target.auth_protocol not in AUTH_PROTOCOLS:
            result.reason = f"unknown SNMPv3 auth protocol {target.auth_protocol!r}"
            return result
        oids = [
            SYS_UPTIME,
            SYS_NAME,
            SYS_DESCR,
            *(f"{IF_OPER_STATUS}{i}" for i in target.if_indexes),
            *(oid for _label, oid in target.extra_oids),
        ]
        started = time.perf_counter()
        try:
            transport = await self._transport(literal.ip, ":" in literal.ip, target.port)
            error_indication, error_status, error_index, var_binds = await get_cmd(
                self._engine_for(target),
                self._auth_data(target),
                transport,
                self._context,
                *(ObjectType(ObjectIdentity(oid)) for oid in oids),
                lookupMib=False,
            )
        except Exception as error:  # pysnmp raises its own errors for malformed input: a result, not a crash
            result.reason = f"{type(error).__name__}: {error}"
            return result
        result.rtt_ms = (time.perf_counter() - started) * 1000.0
        if error_indication:
            result.status = (
                "auth_error"
                if isinstance(error_indication, AUTH_FAILURES)
                else ("timeout" if isinstance(error_indication, errind.RequestTimedOut) else "error")
            )
            result.reason = (
                f"SNMP authentication failed: {error_indication}"
                if result.status == "auth_error"
                else str(error_indication)
            )
            return result
        if error_status:
            result.reason = f"{error_status.prettyPrint()} at {error_index}"
            return result
        values = {str(name): value for name, value in var_binds}
        result.status = "ok"
        result.sys_uptime = _int_or_none(values.get(SYS_UPTIME))
        result.sys_name = _text_or_none(values.get(SYS_NAME))
        result.sys_descr = _text_or_none(values.get(SYS_DESCR))
        result.if_oper_status = {
            i: status
            for i in target.if_indexes
            if (status := _int_or_none(values.get(f"{IF_OPER_STATUS}{i}"))) is not None
        }
        result.extras = {label: _extra(values.get(oid)) for label, oid in target.extra_oids}
        return result


def _is_missing(value) -> bool:
    return value is None or type(value).__name__ in ("NoSuchObject", "NoSuchInstance", "EndOfMibView")


def _int_or_none(value) -> int | None:
    if _is_missing(value):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _text_or_none(value) -> str | None:
    return None if _is_missing(value) else value.prettyPrint()


def _extra(value):
    if _is_missing(value):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        text = value.prettyPrint()
        try:
            return float(text)
        except ValueError:
            return text
