import os

import pytest

from tests.peers import drop_icmp_to, nft_usable, snmp_agent


@pytest.fixture(scope="session")
def snmp_port():
    try:
        with snmp_agent() as port:
            yield port
    except FileNotFoundError as missing:
        pytest.skip(str(missing))


@pytest.fixture
def dropped():
    """127.99.0.0/16 made unreachable by an nftables rule of the test's own, removed afterwards."""
    if not nft_usable():
        pytest.skip("needs root and nftables (apt-get install nftables) to make an unreachable loopback range")
    with drop_icmp_to("127.99.0.0/16"):
        yield "127.99"


@pytest.fixture
def flaky():
    if not nft_usable():
        pytest.skip("needs root and nftables to drop some packets")
    with drop_icmp_to("127.98.0.0/16", every_other=True):
        yield "127.98"


@pytest.fixture(autouse=True)
def _root_or_datagram_icmp():
    # Raw sockets need root; otherwise the kernel's ping sockets must be allowed for this group.
    if os.geteuid() != 0:
        with open("/proc/sys/net/ipv4/ping_group_range") as ranges:
            low, high = (int(v) for v in ranges.read().split())
        if not low <= os.getegid() <= high:
            pytest.skip("neither root nor an allowed ping group: no ICMP socket can be opened")
