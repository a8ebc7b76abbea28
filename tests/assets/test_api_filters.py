"""Filters: parameters in, expected count out."""

from datetime import date

import pytest

from tests import factories


@pytest.fixture
def inventory(tree):
    a, b = tree["64.01"], tree["64.72"]
    hill = factories.site(a, name="Bukit", kind="repeater_site")
    factories.asset(
        a,
        kind="repeater",
        band="vhf",
        tx_freq_mhz="147.6",
        rx_freq_mhz="147.0",
        site=hill,
        name="Repeater Paser",
        management_address="127.64.1.10",
    )
    factories.asset(a, kind="uhf_radio", name="HT UHF", status="faulty")
    factories.asset(
        a,
        kind="internet_link",
        provider="Telkom Indonesia",
        medium="fibre",
        link_role="primary",
        contract_end=date(2026, 12, 31),
        management_address="127.64.1.1",
    )
    factories.asset(
        b,
        kind="internet_link",
        provider="Telkomsel",
        medium="cellular",
        link_role="backup",
        contract_end=date(2027, 6, 30),
    )
    factories.asset(b, kind="router", warranty_end=date(2025, 1, 1), serial_number="MT-77", manufacturer="MikroTik")
    factories.asset(b, kind="satellite_terminal", sat_network="starlink", name="Starlink Samarinda")
    return tree


@pytest.mark.parametrize(
    ("params", "count"),
    [
        ({}, 6),
        ({"agency": "64.01"}, 3),
        ({"agency": "64.72"}, 3),
        ({"kind": "internet_link"}, 2),
        ({"kind": ["internet_link", "router"]}, 3),
        ({"status": "faulty"}, 1),
        ({"band": "vhf"}, 1),
        ({"band": "uhf"}, 1),
        ({"provider": "telkom"}, 2),
        ({"provider": "telkomsel"}, 1),
        ({"medium": "fibre"}, 1),
        ({"link_role": "backup"}, 1),
        ({"contract_before": "2027-01-01"}, 1),
        ({"warranty_before": "2025-06-01"}, 1),
        ({"sat_network": "starlink"}, 1),
        ({"q": "paser"}, 1),
        ({"q": "MT-77"}, 1),
        ({"q": "127.64.1"}, 2),
        ({"has_address": "true"}, 2),
        ({"agency": "99.99"}, 0),
    ],
)
def test_asset_filters(inventory, client_for, params, count):
    response = client_for(inventory["64"], "manager").get("/api/assets/", params)
    assert response.status_code == 200, response.content
    assert len(response.json()["results"]) == count


def test_site_filter_and_agency_id(inventory, client_for):
    client = client_for(inventory["64"], "manager")
    assert client.get("/api/sites/", {"kind": "repeater_site"}).json()["count"] == 1
    agency_id = inventory["64.01"].pk
    assert len(client.get("/api/assets/", {"agency_id": agency_id}).json()["results"]) == 3
    assert client.get("/api/sites/", {"agency_id": agency_id, "q": "buk"}).json()["count"] == 1


def test_ordering_and_pagination(inventory, client_for):
    client = client_for(inventory["64"], "manager")
    names = [row["name"] for row in client.get("/api/assets/", {"ordering": "-name"}).json()["results"]]
    assert names == sorted(names, reverse=True)
    first = client.get("/api/assets/", {"page_size": 2}).json()
    page = client.get(first["next"]).json()
    assert len(page["results"]) == 2 and page["previous"] and page["next"]
    assert client.get("/api/assets/", {"ordering": "serial_number; drop"}).status_code == 200  # ignored, not a crash


def test_agency_filters(tree, client_for):
    client = client_for(tree["64"], "manager")
    assert client.get("/api/agencies/", {"level": "regency"}).json()["count"] == 1
    assert client.get("/api/agencies/", {"parent": "64"}).json()["count"] == 2
    assert client.get("/api/agencies/64.72/").json()["parent"] == "64"
