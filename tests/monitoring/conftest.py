"""Real peers shared by the monitoring tests."""

import pytest

from tests.peers import snmp_agent


@pytest.fixture(scope="session")
def snmp_port():
    """Debian's snmpd on a free loopback UDP port: a community, an authPriv and an authNoPriv v3 user."""
    try:
        with snmp_agent() as port:
            yield port
    except FileNotFoundError as missing:
        pytest.skip(str(missing))
