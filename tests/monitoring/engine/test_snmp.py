"""The SNMP engine against Debian's snmpd on a loopback port, and against an agent that answers garbage."""

import asyncio
import time

from monitoring.engine import SnmpPoller, SnmpTarget, classify_snmp, reboot_detected
from monitoring.engine.snmp import credential_rounds
from tests.peers import (
    COMMUNITY,
    SYS_NAME,
    V3_AUTH_KEY,
    V3_AUTH_ONLY_USER,
    V3_PRIV_KEY,
    V3_PYSNMP_USERS,
    V3_USER,
    free_udp_port,
    restartable_snmp_agent,
)

HR_SYSTEM_UPTIME = "1.3.6.1.2.1.25.1.1.0"


def poll(targets, **options):
    async def run():
        async with SnmpPoller(**({"timeout": 0.5, "retries": 0} | options)) as poller:
            return await poller.poll(targets)

    return asyncio.run(run())


def v2c(port, key=1, **changes):
    return SnmpTarget(**({"key": key, "address": "127.0.0.1", "port": port, "community": COMMUNITY} | changes))


def v3(port, key=3, **changes):
    values = {
        "key": key,
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
    extras = (("hr_uptime", HR_SYSTEM_UPTIME), ("copied", "." + HR_SYSTEM_UPTIME), ("missing", "1.3.6.1.4.1.99999.1.0"))
    [result] = poll([v2c(snmp_port, if_indexes=(1, 999), extra_oids=extras)])
    assert result.status == "ok", result.reason
    assert result.sys_name == SYS_NAME and "Linux" in result.sys_descr
    assert isinstance(result.sys_uptime, int) and result.sys_uptime >= 0
    assert result.if_oper_status == {1: 1}  # lo is up; interface 999 does not exist
    assert isinstance(result.extras["hr_uptime"], int) and result.extras["copied"] >= result.extras["hr_uptime"]
    assert result.extras["missing"] is None
    assert 0 < result.rtt_ms < 500
    assert classify_snmp(result).state == "up"


def test_localhost_by_name_and_over_ipv4_mapped_address(snmp_port):
    by_name, mapped = poll([v2c(snmp_port, address="localhost"), v2c(snmp_port, 2, address="::ffff:127.0.0.1")])
    assert by_name.status == mapped.status == "ok"


def test_v3_auth_priv_and_auth_no_priv(snmp_port):
    priv, auth_only = poll([v3(snmp_port), v3(snmp_port, 4, username=V3_AUTH_ONLY_USER, priv_protocol="", priv_key="")])
    assert (priv.status, priv.sys_name) == ("ok", SYS_NAME), priv.reason
    assert (auth_only.status, auth_only.sys_name) == ("ok", SYS_NAME), auth_only.reason
    assert isinstance(priv.sys_uptime, int)


def test_wrong_v3_credentials_are_auth_errors_not_down_even_beside_the_right_ones(snmp_port):
    right, wrong_auth, unknown, right_again = poll(
        [
            v3(snmp_port),
            v3(snmp_port, 5, auth_key="wrong-key-98765"),
            v3(snmp_port, 7, username="nobody"),
            v3(snmp_port, 8),
        ],
        timeout=1.0,
    )
    assert right.status == right_again.status == "ok"
    for result in (wrong_auth, unknown):
        assert result.status == "auth_error", result.reason
        verdict = classify_snmp(result)
        assert verdict.state == "error" and verdict.reason.startswith("SNMP authentication failed")


def test_wrong_v3_privacy_key_is_a_timeout_as_for_net_snmp_itself(snmp_port):
    # The digest is right, so no USM report; the agent decrypts noise and drops it (snmpget times out too).
    [result] = poll([v3(snmp_port, 6, priv_key="wrong-priv-98765")], timeout=0.3)
    assert result.status == "timeout"


def test_wrong_community_and_dead_port_are_timeouts_within_timeout_times_tries(snmp_port):
    started = time.perf_counter()
    wrong, dead = poll([v2c(snmp_port, community="salah"), v2c(free_udp_port(), 2)], timeout=0.3, retries=1)
    elapsed = time.perf_counter() - started
    assert wrong.status == dead.status == "timeout"
    assert 0.6 <= elapsed < 0.6 + 0.5  # both at once, each 0.3 s x 2 tries
    assert classify_snmp(dead).state == "down"


def test_dead_port_over_v3_is_a_timeout_too():
    [dead] = poll([v3(free_udp_port())], timeout=0.3, retries=0)
    assert dead.status == "timeout" and classify_snmp(dead).state == "down"


def test_many_targets_in_one_poll_all_answer_in_order(snmp_port):
    targets = [v2c(snmp_port, key, if_indexes=(1,)) for key in range(200)]
    results = poll(targets, concurrency=50, timeout=2.0, retries=1)
    assert [r.key for r in results] == list(range(200))
    assert all(r.status == "ok" and r.if_oper_status == {1: 1} for r in results)


def test_v2c_and_v3_targets_mixed_in_one_poll(snmp_port):
    targets = [v2c(snmp_port, k) if k % 2 else v3(snmp_port, k) for k in range(20)]
    results = poll(targets, timeout=2.0)
    assert [(r.key, r.status) for r in results] == [(k, "ok") for k in range(20)]


def test_input_errors_are_error_results(snmp_port):
    results = poll(
        [
            v2c(snmp_port, 1, address="999.1.1.1"),
            v2c(snmp_port, 2, address="router.invalid"),
            v2c(snmp_port, 3, version="1"),
            v2c(snmp_port, 4, extra_oids=(("bad", "1.3.six"),)),
            v3(snmp_port, 5, auth_protocol="SHA3"),
        ]
    )
    assert [r.status for r in results] == ["error"] * 5
    assert "malformed" in results[0].reason and "unresolvable" in results[1].reason
    assert "version" in results[2].reason and "OID" in results[3].reason and "SHA3" in results[4].reason


def test_agent_answering_garbage_is_an_error_result_not_an_exception(garbage_agent):
    [result] = poll([v2c(garbage_agent)], timeout=0.3, retries=0)
    assert result.status == "error" and "not SNMP" in result.reason


def test_one_user_name_with_two_key_sets_is_polled_in_rounds_on_pysnmp_only():
    md5 = {"auth_protocol": "MD5", "priv_protocol": "DES"}  # pysnmp's USM: one key set per user name
    a, b = v3(161, 1, **md5), v3(161, 2, auth_key="another-key-1", **md5)
    rounds = credential_rounds(
        [a, SnmpTarget(3, "10.0.0.1"), b, v3(161, 4, **md5), v3(161, 5, username="other", **md5)]
    )
    assert rounds == [[0, 1, 3, 4], [2]]
    assert credential_rounds([v3(161, 1), v3(161, 2, auth_key="another-key-1")]) == [[0, 1]]  # the lean client


def test_reboot_detection():
    assert reboot_detected(500_000, 100)
    assert not reboot_detected(100, 500_000)
    assert not reboot_detected(100, 100)
    assert not reboot_detected(None, 5) and not reboot_detected(5, None)


def test_each_target_is_reported_once_as_its_result_comes_in(snmp_port):
    settled = []

    async def run():
        async with SnmpPoller(timeout=0.3, retries=0) as poller:
            targets = [v2c(snmp_port), v3(snmp_port, 2, auth_key="wrong-key-98765"), v2c(free_udp_port(), 3)]
            return await poller.poll(targets, on_result=settled.append)

    ok, refused, silent = asyncio.run(run())
    assert sorted(settled) == [0, 1, 2]
    assert (ok.status, refused.status, silent.status) == ("ok", "auth_error", "timeout")


def test_an_answer_too_big_for_one_message_is_asked_for_in_halves():
    """snmpd answers tooBig when the reply would pass the largest message (65,507 bytes over UDP): 300 copies
    of a 250-character sysDescr. The poller asks for each half (and each half's halves) and gets every value,
    on the lean v3 client and on pysnmp's alike."""
    descr = "Pusdalops " * 25
    extras = tuple((f"descr_{n}", "1.3.6.1.2.1.1.1.0") for n in range(300))
    with restartable_snmp_agent(extra_config=f"sysDescr {descr}\n") as agent:
        lean, md5 = poll(
            [
                v3(agent.port, extra_oids=extras),
                v3(agent.port, 4, username=V3_PYSNMP_USERS["MD5"], auth_protocol="MD5", priv_protocol="DES",
                   extra_oids=extras),
            ],
            timeout=2,
        )  # fmt: skip
        [whole] = poll([v3(agent.port, extra_oids=extras[:100])], timeout=2)
    assert whole.status == "ok" and whole.extras["descr_0"] == descr.strip()
    for result in (lean, md5):
        assert result.status == "ok", result.reason
        assert result.sys_name == SYS_NAME and len(result.extras) == 300
        assert set(result.extras.values()) == {descr.strip()}
