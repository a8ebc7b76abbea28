"""Metric profiles through the API (administrators write, bad input named by field) and the charts' JSON."""

from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from monitoring.metrics import store
from tests import factories

URL = "/api/monitoring/metric-profiles/"


def test_default_profiles_are_seeded_per_kind(tree, client_for):
    profiles = {p["kind"]: p for p in client_for(tree["64.01"], "technician").get(URL).json()["results"]}
    assert profiles["ups"]["groups"] == ["ups_mib"] and profiles["ups"]["on_battery_degraded"] is True
    assert profiles["internet_link"]["groups"] == ["if_mib"] and profiles["internet_link"]["throughput_above_pct"] == 90


@pytest.mark.parametrize(("role", "expected"), [("technician", 403), ("manager", 403), ("administrator", 201)])
def test_profiles_are_written_by_administrators_only(tree, client_for, role, expected):
    client = client_for(tree["64.01"], role)
    body = {"kind": "repeater", "oids": {"snr_db": "1.3.6.1.4.1.9999.1.2.0"}}
    assert client.post(URL, body, format="json").status_code == expected
    if expected == 201:
        response = client.patch(f"{URL}ups/", {"charge_below_pct": 30}, format="json")
        assert response.status_code == 200 and response.json()["charge_below_pct"] == 30


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"oids": {"cpu": "1.3.6.x"}}, "oids"),
        ({"oids": {"if_in_bps": "1.3.6.1.2.1.25.3.3.1.2.1"}}, "oids"),  # a standard metric's name
        ({"oids": {"bad label": "1.3.6.1.2.1.25.3.3.1.2.1"}}, "oids"),
        ({"oids": ["1.3.6.1"]}, "oids"),
        ({"groups": ["host_mib"]}, "groups"),
        ({"groups": "if_mib"}, "groups"),
        ({"charge_below_pct": 101}, "charge_below_pct"),
        ({"throughput_above_pct": 0}, "throughput_above_pct"),
        ({"throughput_minutes": 0}, "throughput_minutes"),
        ({"kind": "toaster"}, "kind"),
        ({"kind": "ups"}, "kind"),  # seeded already
    ],
)
def test_bad_profiles_are_refused_by_field(tree, client_for, body, field):
    response = client_for(tree["64"], "administrator").post(URL, {"kind": "repeater"} | body, format="json")
    assert response.status_code == 400 and field in response.json(), response.content


def test_chart_data_is_scoped_like_the_asset(tree, client_for):
    link = factories.asset(
        tree["64.01"], kind="internet_link", name="Link", provider="Telkom", medium="fibre", down_mbps=20, up_mbps=5
    )
    hour = timezone.now().replace(minute=0, second=0, microsecond=0) - timedelta(hours=1)
    store.write([(link.pk, "if_in_bps", hour + timedelta(minutes=m), 1e6 * m) for m in (10, 20)])
    store.write([(link.pk, "snr_db", hour, 23.5)])
    url = f"/api/monitoring/metrics/{link.pk}/"
    data = client_for(tree["64.01"], "technician").get(url, {"metric": "snr_db"}).json()
    ((hour_shown, row),) = [(datetime.fromisoformat(r.pop("hour")), r) for r in data["series"]["if_in_bps"]]
    assert hour_shown == hour and row == {"avg": 15e6, "max": 20e6}
    assert data["series"]["snr_db"][0]["avg"] == 23.5 and data["series"]["ups_charge_pct"] == []
    assert data["down_mbps"] == 20.0
    assert client_for(tree["64"], "manager").get(url).status_code == 200  # the province sees its regencies
    assert client_for(tree["63.01"], "technician").get(url).status_code == 404  # another agency's asset
    assert client_for(tree["64.72"], "technician").get(url).status_code == 404
