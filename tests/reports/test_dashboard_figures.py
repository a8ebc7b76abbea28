"""The dashboard API's figures: every asset on hand counted, trouble first, coverage instead of a hollow 100 %."""

from datetime import datetime, timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.choices import Role
from maintenance.models import WorkOrder
from monitoring.models import AssetState
from tests import factories
from tests.reports.network import kaltim_network


@pytest.fixture
def network(tree):
    return kaltim_network(tree)


def test_every_asset_on_hand_counts_once_and_trouble_comes_first(network, tree, client_for):
    data = client_for(tree["64"], Role.MANAGER).get("/api/reports/dashboard/").json()
    rows = {row["agency"]: row for row in data["agencies"]}
    # Down first; then Paser, whose radios were never called (it once showed all green); then the healthy ones.
    assert [row["agency"] for row in data["agencies"]] == ["64.02", "64.01", "64", "64.72"]
    assert [rows[code]["worst"] for code in ("64.02", "64.01", "64")] == ["down", "unchecked", "up"]
    assert rows["64.02"]["worst_label"] == "Mati" and rows["64.01"]["worst_label"] == "Belum dicek"
    kubar = rows["64.02"]["states"]
    assert (kubar["down"], kubar["up"], kubar["unchecked"], kubar["unmonitored"]) == (1, 1, 2, 2)
    assert rows["64.02"]["assets"] == 6 == sum(kubar.values())  # the retired radio counts nowhere
    assert rows["64.01"]["states"]["unchecked"] == 2 and rows["64.01"]["states"]["up"] == 0
    assert datetime.fromisoformat(rows["64.02"]["outage_since"]) == network["outage"].started_at
    assert rows["64.02"]["url"] == "/agencies/64.02/"
    totals = data["totals"]
    assert (totals["agencies"], totals["assets"], totals["states"]["down"], totals["open_outages"]) == (4, 10, 1, 1)
    assert totals["outage_since"] == rows["64.02"]["outage_since"]
    assert list(data["labels"]) == ["down", "unreachable", "degraded", "unknown", "unchecked", "unmonitored",
                                    "maintenance", "up"]  # fmt: skip
    assert data["labels"]["unmonitored"] == "Tidak dipantau"


def test_two_minutes_of_data_give_no_percentage_only_their_coverage(network, tree, client_for):
    rows = {row["agency"]: row for row in client_for(tree["64"]).get("/api/reports/dashboard/").json()["agencies"]}
    samarinda = rows["64.72"]["availability"]
    for label, window_s in (("24h", 86400), ("7d", 7 * 86400), ("30d", 30 * 86400)):
        assert samarinda[label]["value"] is None
        assert samarinda[label]["window_s"] == window_s
        assert 110 <= samarinda[label]["watched_s"] <= 130  # two minutes
    province = rows["64"]["availability"]
    assert province["30d"] == {"value": 1.0, "watched_s": 30 * 86400, "window_s": 30 * 86400, "coverage": 1.0}
    kubar = rows["64.02"]["availability"]["24h"]  # the router up all day, the repeater down for 3 of 24 hours
    assert kubar["value"] == pytest.approx(1 - 3 / 48, abs=1e-4)
    assert rows["64.01"]["availability"]["24h"]["value"] is None  # nothing watched at all
    assert rows["64.01"]["availability"]["24h"]["watched_s"] == 0


def test_the_agency_api_lists_every_asset_trouble_first_with_labels_and_reasons(network, tree, client_for):
    detail = client_for(network["kubar"]).get("/api/reports/dashboard/64.02/").json()
    listed = [(a["name"], a["state"], a["state_label"], a["reason_label"]) for a in detail["assets"]]
    assert listed == [
        ("Repeater Bukit Batu", "down", "Mati", ""),
        ("Link Starlink baru", "unchecked", "Belum dicek", "menunggu hasil pertama"),
        ("Radio VHF Pusdalops", "unchecked", "Belum dicek", "belum pernah diapelkan"),
        ("Genset 10 kVA", "unmonitored", "Tidak dipantau", "jenis ini tidak dipantau"),
        ("UPS cadangan", "unmonitored", "Tidak dipantau", "cadangan, tidak terpasang"),
        ("Router Pusdalops", "up", "Normal", ""),
    ]
    assert detail["asset_totals"]["assets"] == 6 and detail["asset_totals"]["states"]["down"] == 1
    [outage] = detail["outages"]
    assert outage["asset"] == "Repeater Bukit Batu" and outage["cause"] == "tidak menjawab ping"
    assert outage["work_order"] is None  # nobody is on it yet
    assert outage["started_at"].endswith("+08:00") and 3 * 3600 - 5 <= outage["duration_s"] <= 3 * 3600 + 60
    [site] = detail["sites"]
    assert (site["state"], site["state_label"]) == ("unchecked", "Belum dicek")  # the radio; the genset says nothing


def test_another_agencys_figures_are_404_and_absent_from_the_overview(network, client_for):
    client = client_for(network["kubar"])
    assert client.get("/api/reports/dashboard/64.01/").status_code == 404
    data = client.get("/api/reports/dashboard/").json()
    assert [row["agency"] for row in data["agencies"]] == ["64.02"]
    assert data["totals"]["assets"] == 6  # the totals line counts only what the reader sees


def test_query_counts_stay_flat_as_assets_grow(network, tree, client_for):
    client = client_for(tree["64"])

    def queries(path: str) -> int:
        cache.clear()  # computed afresh each time, as after a write
        with CaptureQueriesContext(connection) as captured:
            assert client.get(path).status_code == 200
        return len(captured)

    before = (queries("/api/reports/dashboard/"), queries("/api/reports/dashboard/64.02/"))
    kubar = network["kubar"]
    for n in range(20):
        asset = factories.asset(kubar, name=f"Router {n}", management_address=f"127.64.3.{n}")
        AssetState.objects.create(asset=asset, state="up", monitored_since=network["now"] - timedelta(days=2))
        factories.radio(kubar, name=f"HT {n}")
    assert (queries("/api/reports/dashboard/"), queries("/api/reports/dashboard/64.02/")) == before


def test_an_outage_says_who_is_on_it(network, client_for):
    technician = factories.user(network["kubar"], Role.TECHNICIAN, first_name="Budi", last_name="Santoso")
    order = WorkOrder.objects.create(
        agency=network["kubar"], asset=network["repeater"], kind="corrective", title="Ganti catu daya",
        status="assigned", assignee=technician, reporter=technician,
    )  # fmt: skip
    order.outages.add(network["outage"])
    WorkOrder.objects.create(  # finished work is nobody's now
        agency=network["kubar"], asset=network["repeater"], kind="corrective", title="Lama", status="done",
        reporter=technician,
    ).outages.add(network["outage"])  # fmt: skip
    [outage] = client_for(network["kubar"]).get("/api/reports/dashboard/64.02/").json()["outages"]
    assert outage["work_order"] == {
        "id": order.pk,
        "title": "Ganti catu daya",
        "status_label": "Ditugaskan",
        "assignee": "Budi Santoso",
    }
