"""A management address names one device: broadcast, multicast and the unspecified address are refused
when typed, and never probed if a name resolves to one. Loopback and private addresses stay allowed."""

import pytest

from monitoring.engine.addresses import parse_literal


@pytest.fixture
def technician(tree, client_for):
    return client_for(tree["64.01"], "technician")


def create(client, address: str):
    body = {"kind": "router", "name": f"R {address}", "management_address": address}
    return client.post("/api/assets/", body, format="json")


@pytest.mark.parametrize(
    ("address", "kind"),
    [
        ("255.255.255.255", "broadcast"),
        ("::ffff:255.255.255.255", "broadcast"),
        ("224.0.0.1", "multicast"),
        ("239.255.255.250", "multicast"),
        ("ff02::1", "multicast"),
        ("0.0.0.0", "tak-tertentu"),
        ("::", "tak-tertentu"),
    ],
)
def test_addresses_of_no_single_device_are_refused(technician, address, kind):
    response = create(technician, address)
    assert response.status_code == 400
    assert response.json()["management_address"] == [f"{address} adalah alamat {kind}, bukan alamat satu perangkat."]
    assert parse_literal(address).ip is None  # and a stored one is never probed


@pytest.mark.parametrize("address", ["127.64.1.3", "10.64.1.2", "192.168.1.254", "::1", "172.16.0.1"])
def test_loopback_and_private_devices_stay_allowed(technician, address):
    assert create(technician, address).status_code == 201
    assert parse_literal(address).ip is not None
