"""Network namespaces of a test's own: a remote site's LAN, its uplink to the centre, and a cut of that uplink.

Each `Site` is one namespace joined to the host by a veth pair with a /30 of 10.254.0.0/16 that this module
assigns (the host end is the centre's address for that site); its assets are extra /32 addresses on the
namespace's loopback, so a poller inside reaches them and nothing outside does. No namespace gets a default
route and forwarding is never switched on, so no packet can leave the machine. nftables tables of our own:
inside the namespace, a set of addresses whose echo replies are dropped (an asset down); on both ends of the
veth, an ingress hook that drops everything (the uplink cut, silent both ways as a dead link is). Deleting
the namespace deletes its end of the veth, its tables and its addresses; `sites()` does that on the way out
whatever happened, and `reap_stale()` removes what a killed test run left behind.
"""

import ipaddress
import os
import re
import subprocess
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

from tests.peers import NFT

IP = "/usr/sbin/ip" if os.path.exists("/usr/sbin/ip") else "ip"
UPLINKS = ipaddress.ip_network("10.254.0.0/16")  # /30 per site: host .1, site .2
ASSET_NET = "10.253.{site}.{host}"  # on the site's loopback only, invisible to the host
PREFIX = "simpul"  # namespace names: simpul-<pid>-<letter>
CUT_TABLE = "simpul_uplink_cut"
ASSET_TABLE = "simpul_assets"


def _run(*argv: str, stdin: str | None = None, check: bool = True) -> subprocess.CompletedProcess:
    result = subprocess.run(argv, input=stdin, text=True, capture_output=True)
    if check and result.returncode:
        raise RuntimeError(f"{' '.join(argv)}: {result.stderr.strip()}")
    return result


def netns_usable() -> tuple[bool, str]:
    """Whether this machine lets a test make namespaces and nftables tables, and why not."""
    if os.geteuid() != 0:
        return False, "needs root for network namespaces and nftables"
    if not os.path.exists(NFT):
        return False, "nftables not installed: apt-get install nftables"
    probe = f"{PREFIX}-probe-{os.getpid()}"
    made = _run(IP, "netns", "add", probe, check=False)
    if made.returncode:
        return False, f"cannot create a network namespace: {made.stderr.strip()}"
    _run(IP, "netns", "delete", probe, check=False)
    return True, ""


@dataclass
class Site:
    """One namespace: the LAN of a regency, reached from the host through its own veth pair."""

    name: str  # the namespace
    host_if: str
    site_if: str
    host_address: str  # the centre, as this site sees it
    address: str  # the site's end of the uplink
    index: int
    assets: list[str]

    def argv(self, *command: str) -> list[str]:
        """`command` run inside the namespace (ip netns exec keeps the process id: signals reach it)."""
        return [IP, "netns", "exec", self.name, *command]

    def run(self, *command: str, stdin: str | None = None, check: bool = True) -> subprocess.CompletedProcess:
        return _run(*self.argv(*command), stdin=stdin, check=check)

    def add_asset(self) -> str:
        """A new address on the namespace's loopback: an asset only a poller inside can reach."""
        address = ASSET_NET.format(site=self.index, host=len(self.assets) + 1)
        self.run(IP, "addr", "add", f"{address}/32", "dev", "lo")
        self.assets.append(address)
        return address

    def take_down(self, address: str) -> None:
        """The asset stops answering pings (its echo replies are dropped inside the namespace)."""
        self.run(NFT, "add", "element", "inet", ASSET_TABLE, "down", f"{{ {address} }}")

    def bring_up(self, address: str) -> None:
        self.run(NFT, "delete", "element", "inet", ASSET_TABLE, "down", f"{{ {address} }}")

    def cut_uplink(self) -> None:
        """Drop every packet arriving on either end of the veth: both sides see silence, not a refusal."""
        for device, run in ((self.host_if, _run), (self.site_if, self.run)):
            run(
                NFT,
                "-f",
                "-",
                stdin=(
                    f"add table netdev {CUT_TABLE}_{device}\n"
                    f"add chain netdev {CUT_TABLE}_{device} in "
                    f"{{ type filter hook ingress device {device} priority 0 ; policy drop ; }}\n"
                ),
            )

    def restore_uplink(self) -> None:
        for device, run in ((self.host_if, _run), (self.site_if, self.run)):
            run(NFT, "delete", "table", "netdev", f"{CUT_TABLE}_{device}", check=False)

    def uplink_cut(self) -> bool:
        return f"{CUT_TABLE}_{self.host_if}" in _run(NFT, "list", "tables", "netdev").stdout


def _free_uplinks(count: int) -> Iterator[ipaddress.IPv4Network]:
    """/30s of UPLINKS not on any host interface, starting at a place chosen by this process's id."""
    used = {
        ipaddress.ip_interface(word).network
        for word in _run(IP, "-4", "-o", "addr", "show").stdout.split()
        if re.fullmatch(r"\d+\.\d+\.\d+\.\d+/\d+", word)
    }
    blocks = list(UPLINKS.subnets(new_prefix=30))
    start = (os.getpid() * 7) % len(blocks)
    found = 0
    for offset in range(len(blocks)):
        block = blocks[(start + offset) % len(blocks)]
        if not any(block.overlaps(other) for other in used):
            yield block
            found += 1
            if found == count:
                return
    raise RuntimeError("no free /30 left in 10.254.0.0/16")


def _make(site: Site) -> Site:
    """Create the planned site: namespace, veth pair, addresses, and the table that takes assets down."""
    _run(IP, "netns", "add", site.name)
    _run(IP, "link", "add", site.host_if, "type", "veth", "peer", "name", site.site_if, "netns", site.name)
    _run(IP, "addr", "add", f"{site.host_address}/30", "dev", site.host_if)
    _run(IP, "link", "set", site.host_if, "up")
    site.run(IP, "addr", "add", f"{site.address}/30", "dev", site.site_if)
    site.run(IP, "link", "set", site.site_if, "up")
    site.run(IP, "link", "set", "lo", "up")
    site.run(
        NFT,
        "-f",
        "-",
        stdin=(
            f"add table inet {ASSET_TABLE}\n"
            f"add set inet {ASSET_TABLE} down {{ type ipv4_addr ; }}\n"
            f"add chain inet {ASSET_TABLE} in {{ type filter hook input priority 0 ; }}\n"
            f"add rule inet {ASSET_TABLE} in ip saddr @down icmp type echo-reply drop\n"
        ),
    )
    return site


def _remove(site: Site) -> None:
    _run(NFT, "delete", "table", "netdev", f"{CUT_TABLE}_{site.host_if}", check=False)
    _run(IP, "netns", "delete", site.name, check=False)  # takes the veth pair, its tables and addresses along
    _run(IP, "link", "delete", site.host_if, check=False)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and Path(f"/sys/class/net/{site.host_if}").exists():
        time.sleep(0.05)  # the kernel removes the host end asynchronously


@contextmanager
def sites(count: int) -> Iterator[list[Site]]:
    """`count` namespaces joined to the host; all removed afterwards, also when the test fails."""
    reap_stale()
    with ExitStack() as cleanup:
        made = []
        for index, block in enumerate(_free_uplinks(count)):
            site = _planned(index, block)
            cleanup.callback(_remove, site)  # registered first: a half-made site is removed too
            made.append(_make(site))
        yield made


def _tag(pid: int, letter: str) -> str:
    return f"sp{pid % 10**7}{letter}"  # interface names are at most 15 characters


def _planned(index: int, block: ipaddress.IPv4Network) -> Site:
    """A site's names and addresses before it exists, so its removal is registered before anything is made."""
    letter = "abcdefghijklmnopqrstuvwxyz"[index]
    tag, hosts = _tag(os.getpid(), letter), list(block.hosts())
    return Site(f"{PREFIX}-{os.getpid()}-{letter}", f"{tag}h", f"{tag}s", str(hosts[0]), str(hosts[1]), index + 1, [])


def reap_stale() -> None:
    """Remove namespaces of earlier test runs whose process is gone (a run killed before its cleanup)."""
    for line in _run(IP, "netns", "list", check=False).stdout.splitlines():
        found = re.match(rf"{PREFIX}-(\d+)-([a-z])\b", line)
        if found and not Path(f"/proc/{found[1]}").exists():
            pid, letter = found[1], found[2]
            _run(NFT, "delete", "table", "netdev", f"{CUT_TABLE}_{_tag(int(pid), letter)}h", check=False)
            _run(IP, "netns", "delete", found[0], check=False)
