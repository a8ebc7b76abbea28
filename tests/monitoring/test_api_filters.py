"""Monitoring filters, one line each: parameters in, count out (as a province manager, who sees everything below)."""

from datetime import UTC, datetime, timedelta

import pytest

from monitoring.models import (
    AssetState,
    Event,
    HourlyRollup,
    MaintenanceWindow,
    Outage,
    ProbeConfig,
    RadioCheck,
    Sample,
)
from tests import factories

T = datetime(2026, 10, 1, 12, tzinfo=UTC)
H = timedelta(hours=1)


@pytest.fixture
def network(tree):
    site = factories.site(tree["64.01"], name="Pusdalops Paser")
    router = factories.asset(tree["64.01"], site=site, name="Router Pusdalops", management_address="127.0.0.10")
    radio = factories.radio(tree["64.01"], site=site, name="Base VHF")
    ups = factories.asset(tree["64.72"], kind="ups", name="UPS Samarinda")
    AssetState.objects.create(asset=router, state="up")
    AssetState.objects.create(asset=radio, state="down")
    AssetState.objects.create(asset=ups, state="degraded")
    Outage.objects.create(asset=router, started_at=T - 10 * H, ended_at=T - 8 * H, cause="link putus")
    Outage.objects.create(asset=radio, started_at=T - 3 * H)
    Outage.objects.create(asset=ups, started_at=T - 30 * H, ended_at=T - 26 * H)
    Event.objects.create(asset=router, at=T - 5 * H, kind="reboot", detail="sysUpTime 900 -> 3")
    Event.objects.create(asset=ups, at=T - H, kind="snmp_auth_error")
    for minute, verdict in enumerate(["up", "up", "down", "up", "degraded"]):
        Sample.objects.create(asset=router, at=T + timedelta(minutes=minute), source="icmp", verdict=verdict)
    Sample.objects.create(asset=ups, at=T, source="snmp", verdict="up")
    for hour in range(3):
        HourlyRollup.objects.create(asset=router, hour=T + hour * H, samples=60, up=58)
    ProbeConfig.objects.create(asset=router, snmp=True, snmp_community="public")
    ProbeConfig.objects.create(asset=ups, depends_on=None, enabled=False)
    MaintenanceWindow.objects.create(agency=tree["64.01"], starts_at=T - H, ends_at=T + H, reason="Ganti aki")
    MaintenanceWindow.objects.create(
        agency=tree["64.72"], asset=ups, starts_at=T - 48 * H, ends_at=T - 47 * H, reason="x"
    )
    RadioCheck.objects.create(agency=tree["64.01"], held_at=T, net="VHF 147.000 Pusdalops")
    RadioCheck.objects.create(agency=tree["64.72"], held_at=T - 24 * H, net="HF 7.055")
    return {"site": site, "router": router, "radio": radio, "ups": ups}


CASES = [
    ("status", {}, 3),
    ("status", {"agency": "64.01"}, 2),
    ("status", {"agency": "64"}, 0),
    ("status", {"state": ["down", "degraded"]}, 2),
    ("status", {"kind": ["ups", "vhf_radio"]}, 2),
    ("status", {"q": "127.0.0.10"}, 1),
    ("status", {"q": "pusdalops"}, 1),
    ("outages", {}, 3),
    ("outages", {"open": "true"}, 1),
    ("outages", {"open": "false"}, 2),
    ("outages", {"agency": "64.72"}, 1),
    ("outages", {"kind": "router"}, 1),
    ("outages", {"from": (T - 9 * H).isoformat(), "to": (T - 4 * H).isoformat()}, 1),  # router's, overlapping
    ("outages", {"from": (T - 8 * H).isoformat()}, 1),  # the router's ended exactly then: [start, end)
    ("outages", {"from": (T - 40 * H).isoformat(), "to": T.isoformat()}, 3),
    ("outages", {"to": (T - 26 * H).isoformat()}, 1),
    ("outages", {"q": "link putus"}, 1),
    ("events", {}, 2),
    ("events", {"kind": "reboot"}, 1),
    ("events", {"agency": "64.72"}, 1),
    ("events", {"from": (T - 2 * H).isoformat()}, 1),
    ("events", {"from": (T - 5 * H).isoformat(), "to": (T - H).isoformat()}, 1),
    ("samples", {"asset": "router"}, 5),
    ("samples", {"asset": "router", "from": (T + timedelta(minutes=2)).isoformat()}, 3),
    ("samples", {"asset": "router", "to": (T + timedelta(minutes=2)).isoformat()}, 2),
    ("samples", {"asset": "router", "verdict": "down"}, 1),
    ("samples", {"asset": "ups", "source": "snmp"}, 1),
    ("rollups", {"asset": "router"}, 3),
    ("rollups", {"asset": "router", "from": (T + H).isoformat()}, 2),
    ("rollups", {"asset": "radio"}, 0),
    ("probe-configs", {}, 2),
    ("probe-configs", {"snmp": "true"}, 1),
    ("probe-configs", {"enabled": "false"}, 1),
    ("probe-configs", {"agency": "64.01"}, 1),
    ("maintenance-windows", {}, 2),
    ("maintenance-windows", {"agency": "64.72"}, 1),
    ("maintenance-windows", {"active_at": T.isoformat()}, 1),
    ("maintenance-windows", {"asset": "ups"}, 1),
    ("radio-checks", {}, 2),
    ("radio-checks", {"agency": "64.01"}, 1),
    ("radio-checks", {"net": "vhf"}, 1),
    ("radio-checks", {"from": (T - H).isoformat()}, 1),
]


@pytest.mark.parametrize(("endpoint", "params", "expected"), CASES)
def test_filter(network, client_for, tree, endpoint, params, expected):
    # Asset names in params stand for the ids of the network fixture's assets.
    params = {name: network[value].pk if name == "asset" else value for name, value in params.items()}
    response = client_for(tree["64"], "manager").get(f"/api/monitoring/{endpoint}/", params)
    assert response.status_code == 200, response.content
    assert len(response.json()["results"]) == expected


def test_filter_by_site_and_agency_id(network, client_for, tree):
    client = client_for(tree["64"], "manager")
    site = network["site"].pk
    assert len(client.get("/api/monitoring/status/", {"site": site}).json()["results"]) == 2
    assert len(client.get("/api/monitoring/outages/", {"site": site}).json()["results"]) == 2
    assert len(client.get("/api/monitoring/status/", {"agency_id": tree["64.72"].pk}).json()["results"]) == 1


@pytest.mark.parametrize(
    ("params", "first"),
    [({"ordering": "-last_rtt_ms"}, "UPS Samarinda"), ({"ordering": "asset__name"}, "Base VHF")],
)
def test_status_ordering(network, client_for, tree, params, first):
    AssetState.objects.filter(asset=network["ups"]).update(last_rtt_ms=900)
    rows = client_for(tree["64"], "manager").get("/api/monitoring/status/", params).json()["results"]
    assert rows[0]["asset_name"] == first


@pytest.mark.parametrize("url", ["/api/monitoring/samples/", "/api/monitoring/rollups/"])
def test_history_needs_an_asset(network, client_for, tree, url):
    response = client_for(tree["64"], "manager").get(url)
    assert response.status_code == 400
    assert "asset" in response.json()
