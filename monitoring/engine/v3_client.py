"""SNMPv3 GETs on the shared SNMP socket: engine discovery once per agent, keys localized once per engine.

Per agent (address and port) the client keeps what discovery taught it: the engine ID and the
engine's boots and time. A restarted agent (boots went up) or a drifted clock answers with a
usmStatsNotInTimeWindows report that carries the engine's current boots and time, authenticated
with our keys; a new engine ID gives usmStatsUnknownEngineIDs, and then discovery runs again.
Either way the client tries once more.
Other reports (unknown user, wrong digest, ...) mean our credentials are wrong: "auth_error".
"""

import asyncio

from monitoring.engine.snmp_client import Failure, SnmpClient
from monitoring.engine.v2c import Response, Template
from monitoring.engine.v3 import (
    AUTH_HASHES,
    MIN_PASSWORD,
    NOT_IN_TIME_WINDOWS,
    PRIVACY,
    UNKNOWN_ENGINE_IDS,
    Credentials,
    Discovery,
    Engine,
    Get,
    Report,
    UserKeys,
)

_DISCOVERY = Discovery()
_RESYNC = (NOT_IN_TIME_WINDOWS, UNKNOWN_ENGINE_IDS)


def accelerated(credentials: Credentials) -> bool:
    """Whether this client speaks the credentials' protocols; the rest stays on pysnmp."""
    return credentials.auth in AUTH_HASHES and credentials.priv in PRIVACY


class V3Client:
    """SNMPv3 GETs for the protocols `accelerated` names; what it learns of each agent lasts as long as it does."""

    def __init__(self, client: SnmpClient) -> None:
        self._client = client
        self._engines: dict[tuple[str, int], Engine] = {}
        self._discoveries: dict[tuple[str, int], asyncio.Future] = {}  # one probe per agent, however many ask
        self._keys: dict[tuple[Credentials, bytes], UserKeys] = {}

    async def get(
        self, credentials: Credentials, pdu: Template, *, ip: str, family: int, port: int, timeout: float, retries: int
    ) -> Response | Failure:
        """One GET of `pdu`'s OIDs; a discovery first if the agent is new to this client."""
        problem = _unusable(credentials)
        if problem:
            return Failure("error", problem)
        peer, options = (ip, port), {"ip": ip, "family": family, "port": port, "timeout": timeout, "retries": retries}
        for _attempt in range(2):
            engine = self._engines.get(peer) or await self._discover(peer, options)
            if isinstance(engine, Failure):
                return engine
            outcome = await self._client.get(Get(self._user_keys(credentials, engine.id), engine, pdu), **options)
            if not isinstance(outcome, Report):
                return outcome
            if outcome.oid not in _RESYNC:
                return Failure("auth_error", f"SNMP authentication failed: {outcome.name}")
            if outcome.oid == NOT_IN_TIME_WINDOWS and outcome.authenticated and outcome.engine.id == engine.id:
                self._engines[peer] = outcome.engine  # the report carries the engine's boots and time now
            else:  # a new engine, or a clock we cannot trust: discover again
                self._engines.pop(peer, None)
        return Failure("error", f"agent still answers {outcome.name} after a resync")

    async def _discover(self, peer: tuple[str, int], options: dict) -> Engine | Failure:
        if peer not in self._discoveries:
            probe = self._discoveries[peer] = asyncio.ensure_future(self._probe(peer, options))
            probe.add_done_callback(lambda _probe: self._discoveries.pop(peer, None))
        return await asyncio.shield(self._discoveries[peer])  # a cancelled caller does not cancel the others' probe

    async def _probe(self, peer: tuple[str, int], options: dict) -> Engine | Failure:
        outcome = await self._client.get(_DISCOVERY, **options)
        if isinstance(outcome, Failure):
            return outcome
        if not isinstance(outcome, Report) or outcome.oid != UNKNOWN_ENGINE_IDS or not outcome.engine.id:
            return Failure("error", "agent did not answer engine discovery with its engine ID")
        self._engines[peer] = outcome.engine
        return outcome.engine

    def _user_keys(self, credentials: Credentials, engine_id: bytes) -> UserKeys:
        key = (credentials, engine_id)
        if key not in self._keys:
            self._keys[key] = UserKeys(credentials, engine_id)
        return self._keys[key]


def _unusable(credentials: Credentials) -> str | None:
    for what, password in (("auth", credentials.auth_password), ("privacy", credentials.priv_password)):
        if (what == "auth" or credentials.priv) and len(password) < MIN_PASSWORD:
            return f"SNMPv3 {what} key shorter than {MIN_PASSWORD} characters"
    return None
