"""Real peers for the engine tests, all on this machine: loopback addresses, Debian's snmpd, nftables rules."""

import os
import socket
import threading

import pytest

from tests.peers import drop_icmp_to, nft_usable


@pytest.fixture(autouse=True)
def _icmp_possible():
    # Raw sockets need root (CAP_NET_RAW); otherwise the kernel's ping sockets must be allowed for our group.
    if os.geteuid() != 0:
        with open("/proc/sys/net/ipv4/ping_group_range") as ranges:
            low, high = (int(v) for v in ranges.read().split())
        if not low <= os.getegid() <= high:
            pytest.skip("neither root nor an allowed ping group: no ICMP socket can be opened")


def _nft_or_skip() -> None:
    if not nft_usable():
        pytest.skip("needs root and nftables (apt-get install nftables) to make loopback addresses unreachable")


@pytest.fixture
def dropped():
    """127.99.0.0/16 made unreachable by a nftables table of the test's own, deleted afterwards."""
    _nft_or_skip()
    with drop_icmp_to("127.99.0.0/16"):
        yield "127.99"


@pytest.fixture
def flaky():
    """127.98.0.0/16 losing every other echo reply."""
    _nft_or_skip()
    with drop_icmp_to("127.98.0.0/16", every_other=True):
        yield "127.98"


@pytest.fixture
def garbage_agent():
    """A UDP server on loopback that answers every datagram with random bytes that are not SNMP."""
    server = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    server.bind(("127.0.0.1", 0))
    server.settimeout(0.1)
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                _data, peer = server.recvfrom(4096)
            except TimeoutError:
                continue
            server.sendto(b"\x30\x82" + os.urandom(60), peer)  # a SEQUENCE header, then noise

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield server.getsockname()[1]
    stop.set()
    thread.join()
    server.close()
