"""SNMP GETs per second against Debian's snmpd on loopback: Simpul's SnmpPoller vs a plain get_cmd loop vs snmpget.

Run: .venv/bin/python bench/snmp.py [--gets 3000] [--agents 1]
Each GET asks sysUpTime.0, sysName.0, sysDescr.0 and ifOperStatus.1 (one PDU), as a poll does;
v2c first, then SNMPv3 authPriv (SHA/AES-128 and SHA-256/AES-128) against the same peers.
snmpd runs on the second core and the poller on the first, so "ours" is a one-core figure; the
CPU seconds each side used are printed, to show which one is the bottleneck. The last line is JSON.
"""

import argparse
import asyncio
import contextlib
import os
import resource
import shutil
import subprocess
import time
from functools import partial
from pathlib import Path

from _peers import emit, pin, print_table
from pysnmp.hlapi.v3arch.asyncio import (
    CommunityData,
    ContextData,
    ObjectIdentity,
    ObjectType,
    SnmpEngine,
    UdpTransportTarget,
    UsmUserData,
    get_cmd,
    usmAesCfb128Protocol,
    usmHMAC192SHA256AuthProtocol,
    usmHMACSHAAuthProtocol,
)

from monitoring.engine import SnmpPoller, SnmpTarget
from monitoring.engine.snmp import IF_OPER_STATUS, SYS_DESCR, SYS_NAME, SYS_UPTIME
from tests.peers import COMMUNITY, V3_AUTH_KEY, V3_PRIV_KEY, V3_SHA256_USER, V3_USER, snmp_agent

OIDS = (SYS_UPTIME, SYS_NAME, SYS_DESCR, f"{IF_OPER_STATUS}1")
V2C_ARGS = ["-v2c", "-c", COMMUNITY]
# SNMPv3 authPriv users of the test snmpd: (our auth name, user, pysnmp auth protocol, snmpget -a)
V3_USERS = {"SHA": (V3_USER, usmHMACSHAAuthProtocol, "SHA"),
            "SHA256": (V3_SHA256_USER, usmHMAC192SHA256AuthProtocol, "SHA-256")}  # fmt: skip
AGENT_CPU, POLLER_CPU = 1, 0


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def poller_cpu_seconds() -> float:
    """This process and the children it has reaped: the snmpget runs count as poller CPU, snmpd does not."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def our_snmpd_pids() -> list[int]:
    """The snmpd processes this bench started (its children), to read how much CPU they used."""
    pids = []
    for entry in Path("/proc").iterdir():
        with contextlib.suppress(OSError):  # a process that ended while we looked
            parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1]) if entry.name.isdigit() else 0
            if parent == os.getpid() and (entry / "comm").read_text().strip() == "snmpd":
                pids.append(int(entry.name))
    return pids


def measure(run, pids: list[int]) -> tuple[float, int, float, float]:
    """(wall seconds, GETs that succeeded, our CPU seconds, the agents' CPU seconds) of one run."""
    agents_before = sum(map(cpu_seconds, pids))
    cpu_before, started = poller_cpu_seconds(), time.perf_counter()
    ok = run()
    wall, cpu = time.perf_counter() - started, poller_cpu_seconds() - cpu_before
    return wall, ok, cpu, sum(map(cpu_seconds, pids)) - agents_before


def ours(targets: list[SnmpTarget], concurrency: int) -> int:
    async def run() -> int:
        async with SnmpPoller(concurrency=concurrency, timeout=2.0, retries=1) as poller:
            await poller.poll(targets[:50])  # warm up: sockets, encoded requests, v3 engine discovery
            results = await poller.poll(targets)
        return sum(result.status == "ok" for result in results)

    return asyncio.run(run())


def v3_targets(auth: str, ports: list[int], gets: int) -> list[SnmpTarget]:
    return [SnmpTarget(k, "127.0.0.1", ports[k % len(ports)], version="3", username=V3_USERS[auth][0],
                       auth_protocol=auth, auth_key=V3_AUTH_KEY, priv_protocol="AES", priv_key=V3_PRIV_KEY,
                       if_indexes=(1,)) for k in range(gets)]  # fmt: skip


def pysnmp_user(auth: str) -> UsmUserData:
    user, protocol, _net_snmp = V3_USERS[auth]
    return UsmUserData(user, V3_AUTH_KEY, V3_PRIV_KEY, authProtocol=protocol, privProtocol=usmAesCfb128Protocol)


def snmpget_v3_args(auth: str) -> list[str]:
    user, _protocol, net_snmp = V3_USERS[auth]
    return ["-v3", "-l", "authPriv", "-u", user, "-a", net_snmp, "-A", V3_AUTH_KEY, "-x", "AES", "-X", V3_PRIV_KEY]


def plain_get_cmd(ports: list[int], gets: int, auth_data: CommunityData | UsmUserData) -> int:
    """What a straightforward pysnmp poller does: one await get_cmd per target, new target objects each time."""

    async def run() -> int:
        engine, ok = SnmpEngine(), 0
        for number in range(gets):
            port = ports[number % len(ports)]
            error_indication, error_status, _index, _binds = await get_cmd(
                engine,
                auth_data,
                await UdpTransportTarget.create(("127.0.0.1", port), timeout=2.0, retries=1),
                ContextData(),
                *(ObjectType(ObjectIdentity(oid)) for oid in OIDS),
            )
            ok += not error_indication and not error_status
        engine.close_dispatcher()
        return ok

    return asyncio.run(run())


def snmpget_runs(ports: list[int], runs: int, version_args: list[str]) -> int:
    """How LibreNMS-style pollers do it: one snmpget process per device (for v3: a discovery each time)."""
    ok = 0
    for number in range(runs):
        agent = f"127.0.0.1:{ports[number % len(ports)]}"
        command = ["snmpget", *version_args, "-t", "2", "-r", "1", "-On", agent, *OIDS]
        ok += subprocess.run(command, capture_output=True).returncode == 0
    return ok


def bottleneck(poller_share: float, agent_share: float) -> str:
    if agent_share > 0.9:
        return "snmpd is the bottleneck"
    if poller_share > 0.9:
        return "the poller is the bottleneck"
    return "neither is busy: both wait for a core on a loaded machine, or for the network"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gets", type=int, default=3000, help="GETs for our poller")
    parser.add_argument("--plain-gets", type=int, default=1000, help="GETs for the plain get_cmd loop")
    parser.add_argument("--snmpget-runs", type=int, default=200)
    parser.add_argument("--agents", type=int, default=1, help="snmpd instances, on different ports")
    parser.add_argument("--concurrency", type=int, default=256)
    options = parser.parse_args()
    if not shutil.which("snmpd") or not shutil.which("snmpget"):
        raise SystemExit("snmpd or snmpget missing: apt-get install snmpd snmp")
    with contextlib.ExitStack() as stack:
        pin(AGENT_CPU)  # snmpd inherits this affinity...
        ports = [stack.enter_context(snmp_agent()) for _ in range(options.agents)]
        pids = our_snmpd_pids()
        pin(POLLER_CPU)  # ...and the poller gets the other core to itself
        v2c = [SnmpTarget(k, "127.0.0.1", ports[k % len(ports)], community=COMMUNITY, if_indexes=(1,))
               for k in range(options.gets)]  # fmt: skip
        results = {
            "ours": (options.gets, measure(partial(ours, v2c, options.concurrency), pids)),
            "get_cmd": (options.plain_gets, measure(partial(plain_get_cmd, ports, options.plain_gets,
                                                            CommunityData(COMMUNITY)), pids)),
            "snmpget": (options.snmpget_runs, measure(partial(snmpget_runs, ports, options.snmpget_runs, V2C_ARGS),
                                                      pids)),
        }  # fmt: skip
        for auth in V3_USERS:
            v3 = v3_targets(auth, ports, options.gets)
            results[f"v3_{auth}"] = (len(v3), measure(partial(ours, v3, options.concurrency), pids))
            results[f"v3_get_cmd_{auth}"] = (options.plain_gets, measure(
                partial(plain_get_cmd, ports, options.plain_gets, pysnmp_user(auth)), pids))  # fmt: skip
            results[f"v3_snmpget_{auth}"] = (options.snmpget_runs, measure(
                partial(snmpget_runs, ports, options.snmpget_runs, snmpget_v3_args(auth)), pids))  # fmt: skip
    labels = {
        "ours": f"simpul SnmpPoller v2c (concurrency {options.concurrency})",
        "get_cmd": "pysnmp await get_cmd loop (v2c)",
        "snmpget": "snmpget process per GET (v2c)",
    }
    for auth in V3_USERS:
        labels[f"v3_{auth}"] = f"simpul SnmpPoller v3 authPriv {auth}/AES (concurrency {options.concurrency})"
        labels[f"v3_get_cmd_{auth}"] = f"pysnmp await get_cmd loop (v3 {auth}/AES)"
        labels[f"v3_snmpget_{auth}"] = f"snmpget -v3 process per GET ({auth}/AES)"
    rate = {name: count / wall for name, (count, (wall, _ok, _cpu, _agent)) in results.items()}
    print(f"SNMP GETs (4 OIDs each) against {options.agents} snmpd on loopback; poller pinned to CPU {POLLER_CPU}\n")
    print_table(
        ["poller", "GETs", "ok", "wall s", "GET/s", "poller CPU s", "snmpd CPU s"],
        [
            [labels[name], count, ok, wall, rate[name], cpu, agent_cpu]
            for name, (count, (wall, ok, cpu, agent_cpu)) in results.items()
        ],
    )
    print()
    for name in ("ours", "v3_SHA", "v3_SHA256"):
        wall, _ok, cpu, agent_cpu = results[name][1]
        print(f"{labels[name]}: poller busy {cpu / wall:.0%} of its core, snmpd {agent_cpu / wall:.0%} of a core "
              f"({bottleneck(cpu / wall, agent_cpu / wall)})")  # fmt: skip
    wall, _ok, cpu, agent_cpu = results["ours"][1]
    emit(
        {
            "gets": options.gets,
            "agents": options.agents,
            "ours_get_per_s": round(rate["ours"]),
            "ours_ok": results["ours"][1][1],
            "get_cmd_per_s": round(rate["get_cmd"]),
            "snmpget_per_s": round(rate["snmpget"], 1),
            "ratio_vs_get_cmd": round(rate["ours"] / rate["get_cmd"], 2),
            "v3_get_per_s": round(rate["v3_SHA"]),
            "v3_ok": results["v3_SHA"][1][1],
            "v3_get_cmd_per_s": round(rate["v3_get_cmd_SHA"]),
            "v3_snmpget_per_s": round(rate["v3_snmpget_SHA"], 1),
            "v3_ratio_vs_get_cmd": round(rate["v3_SHA"] / rate["v3_get_cmd_SHA"], 2),
            "v3_sha256_get_per_s": round(rate["v3_SHA256"]),
            "v3_sha256_ok": results["v3_SHA256"][1][1],
            "v3_sha256_get_cmd_per_s": round(rate["v3_get_cmd_SHA256"]),
            "v3_sha256_snmpget_per_s": round(rate["v3_snmpget_SHA256"], 1),
            "v3_sha256_ratio_vs_get_cmd": round(rate["v3_SHA256"] / rate["v3_get_cmd_SHA256"], 2),
            "ours_cpu_share": round(cpu / wall, 2),
            "snmpd_cpu_share": round(agent_cpu / wall, 2),
            "v3_cpu_share": round(results["v3_SHA"][1][2] / results["v3_SHA"][1][0], 2),
        }
    )


if __name__ == "__main__":
    main()
