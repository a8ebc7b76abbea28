"""The lean SNMPv3 client against Debian's snmpd on loopback, checked against Net-SNMP's own snmpget."""

import asyncio
import contextlib
import subprocess

import pytest

from monitoring.engine import SnmpPoller, SnmpTarget
from monitoring.engine import v3 as usm
from monitoring.engine.v2c import MalformedResponse, get_pdu
from tests.monitoring.engine.mangling import mangled
from tests.peers import (
    SYS_NAME,
    V3_AUTH_KEY,
    V3_PRIV_KEY,
    V3_PYSNMP_USERS,
    V3_SHA256_USER,
    V3_USER,
    restartable_snmp_agent,
    snmp_agent,
)

ENGINE_BOOTS, ENGINE_ID = "1.3.6.1.6.3.10.2.1.2.0", "1.3.6.1.6.3.10.2.1.1.0"
USERS = {"SHA": V3_USER, "SHA256": V3_SHA256_USER}
NET_SNMP_AUTH = {"SHA": "SHA", "SHA256": "SHA-256"}


def target(port, key=1, auth="SHA", **changes):
    values = {"key": key, "address": "127.0.0.1", "port": port, "version": "3", "username": USERS[auth],
              "auth_protocol": auth, "auth_key": V3_AUTH_KEY, "priv_protocol": "AES",
              "priv_key": V3_PRIV_KEY}  # fmt: skip
    return SnmpTarget(**(values | changes))


def poll(targets, **options):
    async def run():
        async with SnmpPoller(**({"timeout": 0.5, "retries": 0} | options)) as poller:
            return await poller.poll(targets)

    return asyncio.run(run())


def snmpget(port, auth, *oids):
    command = ["snmpget", "-v3", "-l", "authPriv", "-u", USERS[auth], "-a", NET_SNMP_AUTH[auth], "-A", V3_AUTH_KEY,
               "-x", "AES", "-X", V3_PRIV_KEY, "-Oqv", "-t", "1", f"127.0.0.1:{port}", *oids]  # fmt: skip
    lines = subprocess.run(command, capture_output=True, text=True, check=True).stdout.splitlines()
    return [line.strip('"') for line in lines]  # snmpget quotes strings


@pytest.fixture
def count_calls(monkeypatch):
    """count_calls(owner, name) -> a list that gets one entry per call of owner.name (which still runs)."""

    def spy(owner, name):
        calls, real = [], getattr(owner, name)

        def counted(*args, **kwargs):
            calls.append(args)
            return real(*args, **kwargs)

        monkeypatch.setattr(owner, name, counted)
        return calls

    return spy


@pytest.mark.parametrize("auth", ["SHA", "SHA256"])
def test_values_are_what_net_snmp_reads(snmp_port, auth):
    [result] = poll([target(snmp_port, auth=auth, if_indexes=(1,), extra_oids=(("boots", ENGINE_BOOTS),))])
    name, descr, status, boots = snmpget(snmp_port, auth, "1.3.6.1.2.1.1.5.0", "1.3.6.1.2.1.1.1.0",
                                         "1.3.6.1.2.1.2.2.1.8.1", ENGINE_BOOTS)  # fmt: skip
    assert result.status == "ok", result.reason
    assert (result.sys_name, result.sys_descr) == (SYS_NAME, descr) == (name, descr)
    assert result.if_oper_status == {1: 1} and status in ("1", "up")  # "up" where the IF-MIB is installed
    assert result.extras == {"boots": int(boots)}


@pytest.mark.parametrize("auth", ["SHA", "SHA256"])
def test_wrong_auth_key_or_user_is_auth_error_wrong_priv_key_a_timeout(snmp_port, auth):
    right, wrong_auth, wrong_user, wrong_priv = poll(
        [
            target(snmp_port, 1, auth),
            target(snmp_port, 2, auth, auth_key="wrong-key-98765"),
            target(snmp_port, 3, auth, username="nobody"),
            target(snmp_port, 4, auth, priv_key="wrong-priv-98765"),
        ],
        timeout=0.3,
    )
    assert right.status == "ok", right.reason
    assert (wrong_auth.status, wrong_auth.reason) == ("auth_error", "SNMP authentication failed: usmStatsWrongDigests")
    assert (wrong_user.status, wrong_user.reason) == (
        "auth_error",
        "SNMP authentication failed: usmStatsUnknownUserNames",
    )
    assert wrong_priv.status == "timeout"


def test_a_sha256_user_with_sha_keys_is_refused(snmp_port):
    [result] = poll([target(snmp_port, auth="SHA256", auth_protocol="SHA")])
    assert result.status == "auth_error"


def test_protocols_left_to_pysnmp_answer_beside_the_lean_ones(snmp_port):
    results = poll(
        [
            target(snmp_port, 1),
            target(snmp_port, 2, username=V3_PYSNMP_USERS["SHA512"], auth_protocol="SHA512"),
            target(snmp_port, 3, username=V3_PYSNMP_USERS["MD5"], auth_protocol="MD5", priv_protocol="DES"),
            target(snmp_port, 4, auth="SHA256"),
        ],
        timeout=2.0,
    )
    assert [(r.status, r.sys_name) for r in results] == [("ok", SYS_NAME)] * 4, [r.reason for r in results]


def test_short_keys_are_input_errors_not_requests(snmp_port):
    short_auth, short_priv = poll([target(snmp_port, 1, auth_key="short"), target(snmp_port, 2, priv_key="short")])
    assert (short_auth.status, short_priv.status) == ("error", "error")
    assert "auth key shorter" in short_auth.reason and "privacy key shorter" in short_priv.reason


def test_a_restarted_agent_is_rediscovered_and_keeps_answering(count_calls):
    probes = count_calls(usm.Discovery, "bytes_for")

    async def run():
        async with SnmpPoller(timeout=1.0, retries=0) as poller:
            with restartable_snmp_agent() as agent:
                targets = [target(agent.port, key, extra_oids=(("boots", ENGINE_BOOTS),)) for key in range(20)]
                before = await poller.poll(targets)
                agent.restart()
                after = await poller.poll(targets)
                return before, after

    before, after = asyncio.run(run())
    assert {r.status for r in before} == {r.status for r in after} == {"ok"}, after[0].reason
    assert {r.extras["boots"] for r in after} == {before[0].extras["boots"] + 1}
    assert len(probes) == 1  # the NotInTimeWindows report gave the new boots and time: no second probe


def test_an_agent_replaced_by_another_engine_on_the_same_port_is_discovered_afresh(count_calls):
    probes = count_calls(usm.Discovery, "bytes_for")

    async def run():
        async with SnmpPoller(timeout=1.0, retries=0) as poller:
            with snmp_agent() as port:
                first = await poller.poll([target(port, extra_oids=(("engine", ENGINE_ID),))])
            with snmp_agent(port):  # a new state directory: a new engine ID
                second = await poller.poll([target(port, extra_oids=(("engine", ENGINE_ID),))])
            return first + second

    first, second = asyncio.run(run())
    assert first.status == second.status == "ok", second.reason
    assert first.extras["engine"] != second.extras["engine"]
    assert len(probes) == 2  # the usmStatsUnknownEngineIDs report sent the client back to discovery


def test_keys_are_localized_once_per_engine_and_each_agent_is_discovered_once(count_calls):
    localized, probes = count_calls(usm, "localize"), count_calls(usm.Discovery, "bytes_for")
    with contextlib.ExitStack() as agents:
        ports = [agents.enter_context(snmp_agent()) for _ in range(3)]
        targets = [target(ports[key % 3], key, auth=("SHA", "SHA256")[key % 2]) for key in range(600)]

        async def run():
            async with SnmpPoller(concurrency=64, timeout=2.0, retries=1) as poller:
                return await poller.poll(targets), await poller.poll(targets)

        first, second = asyncio.run(run())
    assert [(r.key, r.status) for r in first + second] == [(k, "ok") for k in range(600)] * 2
    assert len(probes) == 3
    engines = {engine_id for _hash, _password, engine_id in localized}
    assert len(engines) == 3 and len(localized) == 3 * 2 * 2  # 3 engines x 2 users x (auth key, priv key)


def test_a_report_with_an_engine_clock_out_of_range_is_refused():
    probe = usm.Discovery()
    data = probe.bytes_for(0x01020304).replace(b"\x02\x01\x00\x02\x01\x00", b"\x02\x01\x00\x02\x01\xff", 1)
    with pytest.raises(MalformedResponse, match="out of range"):  # time -1: it would break the next request
        probe.parse(data)


def test_password_to_key_and_localization_match_rfc_3414_a_3_2():
    engine_id = bytes.fromhex("000000000000000000000002")
    assert usm.password_to_key("sha1", "maplesyrup").hex() == "9fb5cc0381497b3793528939ff788d5d79145211"
    assert usm.localize("sha1", "maplesyrup", engine_id).hex() == "6695febc9288e36282235fc7151f128497b38f3f"


def test_mangled_replies_only_ever_raise_malformed_response():
    """Our own authPriv message (its digest and encryption check out), damaged: refused, never an exception."""
    engine = usm.Engine(b"\x80\x00\x1f\x88\x04test", 1, 100, 0.0)
    credentials = usm.Credentials(V3_USER, "SHA", V3_AUTH_KEY, "AES", V3_PRIV_KEY)
    keys = usm.UserKeys(credentials, engine.id)
    request = usm.Get(keys, engine, get_pdu(("1.3.6.1.2.1.1.5.0",)))
    data = request.bytes_for(0x01020304)  # a request parses as far as its PDU, which is no response
    with pytest.raises(MalformedResponse, match="not a response"):
        request.parse(data)
    probe = usm.Discovery().bytes_for(0x01020304)  # in clear: the damage reaches the scopedPDU and the PDU
    for parse, damaged in [*((request.parse, d) for d in mangled(data, seed=3)),
                           *((usm.Discovery().parse, d) for d in mangled(probe, seed=4))]:  # fmt: skip
        with contextlib.suppress(MalformedResponse):  # any other exception fails the test
            parse(damaged)
