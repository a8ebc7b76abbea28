"""Real network peers for tests and benchmarks, all on loopback: Debian's snmpd, and a nftables drop rule."""

import os
import shutil
import socket
import subprocess
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

SNMPD = shutil.which("snmpd") or "/usr/sbin/snmpd"
NFT = shutil.which("nft") or "/usr/sbin/nft"
COMMUNITY = "simpul-ro"
V3_USER, V3_AUTH_KEY, V3_PRIV_KEY = "simpul", "auth-key-123456", "priv-key-123456"
V3_AUTH_ONLY_USER = "simpul-auth"
V3_SHA256_USER = "simpul-sha256"
V3_PYSNMP_USERS = {"SHA512": "simpul-sha512", "MD5": "simpul-md5"}  # protocols left to pysnmp (snmp.py)
SYS_NAME = "simpul-test-agent"


def free_udp_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class SnmpAgent:
    """snmpd on 127.0.0.1:port: a community, authPriv v3 users (SHA, SHA-256, SHA-512 with AES; MD5/DES), authNoPriv.

    `restart()` keeps the state directory, so the engine ID stays and snmpEngineBoots goes up, as
    after a power cut.
    """

    def __init__(self, port: int, state: str, extra_config: str = "") -> None:
        self.port, self.state = port, state
        self.process: subprocess.Popen | None = None
        self.config = Path(state) / "agent.conf"  # not snmpd.conf: snmpd writes its persistent state there
        self.config.write_text(
            f"agentAddress udp:127.0.0.1:{port}\n"
            f"rocommunity {COMMUNITY} 127.0.0.1\n"
            f"sysName {SYS_NAME}\nsysLocation Pusdalops test\nsysContact test@simpul\n"
            f"createUser {V3_USER} SHA {V3_AUTH_KEY} AES {V3_PRIV_KEY}\n"
            f"createUser {V3_SHA256_USER} SHA-256 {V3_AUTH_KEY} AES {V3_PRIV_KEY}\n"
            f"createUser {V3_AUTH_ONLY_USER} SHA {V3_AUTH_KEY}\n"
            f"createUser {V3_PYSNMP_USERS['SHA512']} SHA-512 {V3_AUTH_KEY} AES {V3_PRIV_KEY}\n"
            f"createUser {V3_PYSNMP_USERS['MD5']} MD5 {V3_AUTH_KEY} DES {V3_PRIV_KEY}\n"
            f"rouser {V3_USER} priv\nrouser {V3_SHA256_USER} priv\nrouser {V3_AUTH_ONLY_USER} auth\n"
            f"rouser {V3_PYSNMP_USERS['SHA512']} priv\nrouser {V3_PYSNMP_USERS['MD5']} priv\n"
            f"persistentDir {state}\n"
            f"{extra_config}"
            "[snmp] serverRecvBuf 4194304\n"  # room for a burst of 256 requests: the default 208 KiB drops some
        )

    def start(self) -> None:
        self.process = subprocess.Popen(
            [SNMPD, "-f", "-Lo", "-C", "-c", f"{self.config},{self.state}/snmpd.conf", "-p", f"{self.state}/snmpd.pid",
             "--agentXSocket=/dev/null"],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env={**os.environ, "SNMP_PERSISTENT_DIR": self.state},
        )  # fmt: skip
        _wait_until_answering(self.port, self.process)

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()  # a clean stop: snmpd saves its boots counter
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
            self.process = None

    def restart(self) -> None:
        self.stop()
        self.start()


@contextmanager
def restartable_snmp_agent(port: int | None = None, extra_config: str = ""):
    """`extra_config`: more snmpd.conf lines; "{state}" in them is the agent's state directory."""
    if not os.path.exists(SNMPD):
        raise FileNotFoundError("snmpd not installed: apt-get install snmpd")
    with tempfile.TemporaryDirectory(prefix="simpul-snmpd-") as state:
        agent = SnmpAgent(port or free_udp_port(), state, extra_config.replace("{state}", state))
        try:
            agent.start()
            yield agent
        finally:
            agent.stop()


@contextmanager
def snmp_agent(port: int | None = None):
    """Start snmpd (see SnmpAgent) on 127.0.0.1:port; yield the port."""
    with restartable_snmp_agent(port) as agent:
        yield agent.port


def _wait_until_answering(port: int, process: subprocess.Popen, limit: float = 10.0) -> None:
    # Net-SNMP's own snmpget decides when the agent is ready: no dependency on the code under test.
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"snmpd exited: {process.stderr.read().decode(errors='replace')[-500:]}")
        result = subprocess.run(
            ["snmpget", "-v2c", "-c", COMMUNITY, "-t", "0.3", "-r", "0", f"127.0.0.1:{port}", "1.3.6.1.2.1.1.5.0"],
            capture_output=True, text=True,
        )  # fmt: skip
        if result.returncode == 0:
            return
        time.sleep(0.1)
    raise RuntimeError("snmpd did not answer in time")


@contextmanager
def drop_icmp_to(prefix: str, *, every_other: bool = False):
    """Silently drop echo replies from `prefix` (e.g. 127.99.0.0/16), as a dead link would.

    The rule sits in a nftables table of our own, on the input hook (a drop on output would make
    sendto() fail with EPERM, which no real outage does), and the table is removed afterwards.
    """
    table = f"simpul_test_{os.getpid()}"
    rule = f"ip saddr {prefix} icmp type echo-reply " + ("numgen inc mod 2 0 drop" if every_other else "drop")
    script = (
        f"add table inet {table}\n"
        f"add chain inet {table} in {{ type filter hook input priority 0 ; }}\n"
        f"add rule inet {table} in {rule}\n"
    )
    subprocess.run([NFT, "-f", "-"], input=script, text=True, check=True, capture_output=True)
    try:
        yield table
    finally:
        subprocess.run([NFT, "delete", "table", "inet", table], capture_output=True)


def nft_usable() -> bool:
    if not os.path.exists(NFT) or os.geteuid() != 0:
        return False
    probe = subprocess.run([NFT, "list", "tables"], capture_output=True)
    return probe.returncode == 0
