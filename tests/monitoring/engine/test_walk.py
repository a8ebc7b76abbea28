"""Walks by GETBULK against Debian's snmpd, checked against Net-SNMP's own snmpwalk."""

import asyncio
import subprocess

import pytest

from monitoring.engine import SnmpPoller, SnmpTarget
from monitoring.engine.interfaces import interface_table
from monitoring.engine.snmp_client import Failure
from tests.peers import COMMUNITY, V3_AUTH_KEY, V3_PRIV_KEY, V3_PYSNMP_USERS, V3_USER, free_udp_port

IF_TABLE = "1.3.6.1.2.1.2.2.1"
STEADY_COLUMNS = ("1", "2", "3", "4", "5", "7", "8")  # ifIndex, ifDescr, ifType, ifMtu, ifSpeed, admin/oper status


def run(coroutine_of):
    async def inside():
        async with SnmpPoller(timeout=1.0, retries=1) as poller:
            return await coroutine_of(poller)

    return asyncio.run(inside())


def snmpwalk(port: int, root: str) -> dict[str, str]:
    out = subprocess.run(
        ["snmpwalk", "-v2c", "-c", COMMUNITY, "-On", "-Oq", "-Oe", "-Ot", f"127.0.0.1:{port}", root],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    return {oid.removeprefix("."): value.strip('"') for oid, value in (line.split(" ", 1) for line in out.splitlines())}


TARGETS = {
    "v2c": lambda port: SnmpTarget(key=1, address="127.0.0.1", port=port, community=COMMUNITY),
    "v3": lambda port: SnmpTarget(
        key=1,
        address="127.0.0.1",
        port=port,
        version="3",
        username=V3_USER,
        auth_protocol="SHA",
        auth_key=V3_AUTH_KEY,
        priv_protocol="AES",
        priv_key=V3_PRIV_KEY,
    ),
}


@pytest.mark.parametrize("version", TARGETS)
def test_a_getbulk_walk_gives_what_snmpwalk_gives(snmp_port, version):
    walked = run(lambda poller: poller.walk(TARGETS[version](snmp_port), IF_TABLE, max_repetitions=7))
    expected = snmpwalk(snmp_port, IF_TABLE)
    assert [oid for oid, _value in walked] == list(expected)  # every object, in order, across many requests
    for oid, value in walked:
        if oid.split(".")[len(IF_TABLE.split("."))] in STEADY_COLUMNS:
            assert str(value) == expected[oid], oid


def test_the_interface_table_names_each_interface(snmp_port):
    interfaces = run(lambda poller: interface_table(poller, TARGETS["v2c"](snmp_port)))
    names = snmpwalk(snmp_port, "1.3.6.1.2.1.31.1.1.1.1")
    assert [(i.index, i.name) for i in interfaces] == [(int(oid.rsplit(".", 1)[1]), n) for oid, n in names.items()]
    assert interfaces[0].name == "lo" and interfaces[0].speed_mbps == 10  # snmpd says 10 Mbit/s for lo


def test_a_walk_of_a_silent_agent_is_a_timeout():
    silent = SnmpTarget(key=1, address="127.0.0.1", port=free_udp_port(), community=COMMUNITY)
    outcome = run(lambda poller: poller.walk(silent, IF_TABLE))
    assert isinstance(outcome, Failure) and outcome.status == "timeout"


@pytest.mark.parametrize(("auth", "priv"), [("MD5", "DES"), ("SHA512", "AES")])
def test_v3_protocols_left_to_pysnmp_walk_too(snmp_port, auth, priv):
    """MD5/DES and SHA-512 go through pysnmp's GETBULK: the same objects, in order, as snmpwalk's."""
    target = SnmpTarget(key=1, address="127.0.0.1", port=snmp_port, version="3", username=V3_PYSNMP_USERS[auth],
                        auth_protocol=auth, auth_key=V3_AUTH_KEY, priv_protocol=priv, priv_key=V3_PRIV_KEY)  # fmt: skip
    walked = run(lambda poller: poller.walk(target, IF_TABLE, max_repetitions=7))
    assert not isinstance(walked, Failure), walked
    expected = snmpwalk(snmp_port, IF_TABLE)
    assert [oid for oid, _value in walked] == list(expected)
    descr = f"{IF_TABLE}.2.1"
    assert dict(walked)[descr] == expected[descr] == "lo"
