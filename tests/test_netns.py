"""The namespace harness itself: what it promises the remote-poller tests, checked with real packets."""

import os
import shutil
import socket
import subprocess
import sys

import pytest

from tests import netns

USABLE, WHY = netns.netns_usable()
pytestmark = [pytest.mark.needs_root, pytest.mark.skipif(not USABLE, reason=WHY)]
FPING = shutil.which("fping") or "/usr/bin/fping"
CONNECT = (
    "import socket, sys\n"
    "try:\n    socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=1.5)\n"
    "except TimeoutError:\n    sys.exit(3)\n"
)


def _alive(site: netns.Site, address: str) -> bool:
    return site.run(FPING, "-c1", "-t300", address, check=False).returncode == 0


def _connect(site: netns.Site, port: int) -> int:
    """0: connected to the host's listener; 3: timed out (silence); anything else: refused or unreachable."""
    return subprocess.run(
        site.argv(sys.executable, "-c", CONNECT, site.host_address, str(port)), capture_output=True
    ).returncode


@pytest.mark.skipif(not os.path.exists(FPING), reason="fping not installed: apt-get install fping")
def test_sites_reach_their_own_assets_and_the_host_and_a_cut_is_silence_until_restored():
    with netns.sites(2) as (berau, bontang):
        router, modem = berau.add_asset(), berau.add_asset()
        other = bontang.add_asset()
        assert _alive(berau, router) and _alive(berau, modem) and _alive(bontang, other)
        assert not _alive(berau, other)  # another site's LAN is not reachable from this one
        assert subprocess.run([FPING, "-c1", "-t300", router], capture_output=True).returncode != 0  # nor from the host

        berau.take_down(router)
        assert not _alive(berau, router) and _alive(berau, modem)
        berau.bring_up(router)
        assert _alive(berau, router)

        with socket.create_server((berau.host_address, 0)) as listener:
            port = listener.getsockname()[1]
            assert _connect(berau, port) == 0
            berau.cut_uplink()
            assert berau.uplink_cut() and not bontang.uplink_cut()
            assert _connect(berau, port) == 3  # a dead uplink: no answer at all, not a refusal
            assert _alive(berau, router)  # the site's own LAN still works
            berau.restore_uplink()
            assert not berau.uplink_cut()
            assert _connect(berau, port) == 0
        names = (berau.name, bontang.name, berau.host_if, bontang.host_if)
    listed = subprocess.run(["ip", "netns", "list"], capture_output=True, text=True).stdout
    links = subprocess.run(["ip", "-o", "link"], capture_output=True, text=True).stdout
    assert not any(name in listed or name in links for name in names)


def test_everything_is_removed_when_the_test_fails_midway():
    with pytest.raises(RuntimeError, match="the test broke"), netns.sites(1) as (site,):
        site.add_asset()
        site.cut_uplink()
        made = (site.name, site.host_if)
        raise RuntimeError("the test broke")
    assert made[0] not in subprocess.run(["ip", "netns", "list"], capture_output=True, text=True).stdout
    assert not os.path.exists(f"/sys/class/net/{made[1]}")
    tables = subprocess.run([netns.NFT, "list", "tables"], capture_output=True, text=True).stdout
    assert made[1] not in tables
