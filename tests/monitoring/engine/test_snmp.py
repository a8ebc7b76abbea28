"""The SNMP engine against Debian's snmpd on a loopback port, and against an agent that answers garbage."""

import asyncio
import socket
import threading

import pytest

from monitoring.engine import SnmpPoller, SnmpTarget, classify_snmp, reboot_detected
from tests.peers import COMMUNITY, SYS_NAME, V3_AUTH_KEY, V3_AUTH_ONLY_USER, V3_PRIV_KEY, V3_USER, free_udp_port


def poll(targets, **options):
    async def run():
        async with SnmpPoller(**({"timeout": 0.5, "retries": 0} | options)) as poller:
            return await poller.poll(targets)

    return asyncio.run(run())


def v3(port, **changes):
    values = {
        "key": 3,
        "address": "127.0.0.1",
        "port": port,
        "version": "3",
        "username": V3_USER,
        "auth_protocol": "SHA",
        "auth_key": V3_AUTH_KEY,
        "priv_protocol": "AES",
        "priv_key": V3_PRIV_KEY,
    }
    return SnmpTarget(**(values | changes))


def test_v2c_reads_the_system_group_interfaces_and_extra_oids(snmp_port):
    [result] = poll(
        [
            SnmpTarget(
                1,
                "127.0.0.1",
                snmp_port,
                community=COMMUNITY,
                if_indexes=(1,),
                extra_oids=(("hr_uptime", "1.3.6.1.2.1.25.1.1.0"), ("missing", "1.3.6.1.4.1.99999.1.0")),
            )
        ]
    )
    assert result.status == "ok", result.reason
    assert result.sys_name == SYS_NAME and "Linux" in result.sys_descr and result.sys_uptime >= 0
    assert result.if_oper_status == {1: 1}  # lo is up
    assert isinstance(result.extras["hr_uptime"], int) and result.extras["missing"] is None
    assert classify_snmp(result).state == "up"


def test_v3_auth_priv_and_auth_no_priv(snmp_port):
    priv, auth_only = poll(
        [v3(snmp_port), v3(snmp_port, key=4, username=V3_AUTH_ONLY_USER, priv_protocol="", priv_key="")]
    )
    assert priv.status == "ok" and priv.sys_name == SYS_NAME
    assert auth_only.status == "ok" and auth_only.sys_name == SYS_NAME


def test_wrong_v3_key_is_an_auth_error_not_down_even_beside_the_right_one(snmp_port):
    right, wrong, unknown = poll(
        [v3(snmp_port), v3(snmp_port, key=5, auth_key="wrong-key-98765"), v3(snmp_port, key=6, username="nobody")]
    )
    assert right.status == "ok"
    assert wrong.status == "auth_error" and "authentication" in wrong.reason.lower()
    assert unknown.status == "auth_error"
    assert classify_snmp(wrong).state == "error"


def test_wrong_community_and_dead_port_are_timeouts_within_the_timeout(snmp_port):
    import time

    started = time.perf_counter()
    wrong, dead = poll(
        [
            SnmpTarget(1, "127.0.0.1", snmp_port, community="salah"),
            SnmpTarget(2, "127.0.0.1", free_udp_port(), community=COMMUNITY),
        ],
        timeout=0.3,
        retries=1,
    )
    assert wrong.status == dead.status == "timeout"
    assert time.perf_counter() - started < 0.3 * 2 + 1.0  # both in parallel, each at most timeout x tries
    assert classify_snmp(dead).state == "down"


def test_many_targets_in_one_poll(snmp_port):
    results = poll(
        [SnmpTarget(i, "127.0.0.1", snmp_port, community=COMMUNITY) for i in range(200)],
        concurrency=50,
        timeout=2.0,
        retries=1,
    )
    assert [r.key for r in results] == list(range(200))
    assert all(r.status == "ok" for r in results)


def test_bad_addresses_are_error_results():
    bad, name = poll([SnmpTarget(1, "999.1.1.1"), SnmpTarget(2, "router.example")])
    assert bad.status == "error" and "malformed" in bad.reason
    assert name.status == "error" and "IP address" in name.reason


@pytest.fixture
def garbage_agent():
    """A UDP server on loopback that answers every datagram with bytes that are not SNMP."""
    server = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    server.bind(("127.0.0.1", 0))
    server.settimeout(0.2)
    stop = threading.Event()

    def serve():
        while not stop.is_set():
            try:
                _data, peer = server.recvfrom(4096)
            except TimeoutError:
                continue
            server.sendto(b"\x30\x03\x02\x01\xff garbage \x00\x01" * 3, peer)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield server.getsockname()[1]
    stop.set()
    thread.join()
    server.close()


def test_agent_answering_garbage_is_a_result_not_an_exception(garbage_agent):
    [result] = poll([SnmpTarget(1, "127.0.0.1", garbage_agent, community=COMMUNITY)], timeout=0.3, retries=0)
    assert result.status in {"timeout", "error"}


def test_reboot_detection():
    assert reboot_detected(500_000, 100)
    assert not reboot_detected(100, 500_000)
    assert not reboot_detected(None, 5)
