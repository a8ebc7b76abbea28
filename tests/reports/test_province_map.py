"""The province map's data: who sees it, which agencies and sites it holds, where a seat is, which colour wins."""

from datetime import timedelta

from django.utils import timezone

from assets.choices import SiteKind
from monitoring.models import AssetState
from tests import factories


def _watch(asset, state):
    AssetState.objects.create(asset=asset, state=state, monitored_since=timezone.now() - timedelta(days=1))


def test_the_province_dashboard_maps_every_agency_it_sees_in_its_worst_state(client, tree):
    paser, samarinda = tree["64.01"], tree["64.72"]
    factories.site(paser, name="Gudang Paser", kind=SiteKind.WAREHOUSE, latitude="-1.91", longitude="116.20")
    office = factories.site(paser, name="Pusdalops Paser", latitude="-1.90", longitude="116.19")
    hill = factories.site(paser, name="Bukit Paser", kind=SiteKind.REPEATER_SITE, latitude="-1.85", longitude="116.3")
    _watch(factories.asset(paser, site=office, name="Router"), "up")
    _watch(factories.asset(paser, site=hill, name="UPS bukit", kind="ups"), "down")
    factories.site(samarinda, name="Gudang Samarinda", kind=SiteKind.WAREHOUSE, latitude="-0.49", longitude="117.14")
    factories.site(tree["63.01"], name="Lain provinsi", latitude="-3.3", longitude="114.6")
    client.force_login(factories.user(tree["64"], "manager"))

    page = client.get("/")
    data = page.context["province_map"]
    agencies = {row["code"]: row for row in data["agencies"]}
    assert set(agencies) == {"64", "64.01", "64.72"}  # never the neighbouring province
    assert (agencies["64.01"]["lat"], agencies["64.01"]["lon"]) == (-1.9, 116.19)  # the Pusdalops office, not A-Z
    assert agencies["64.01"]["state"] == "down" and agencies["64.01"]["state_label"] == "Mati"
    assert [(c["label"], c["count"]) for c in agencies["64.01"]["counts"]] == [("Mati", 1), ("Normal", 1)]
    assert (agencies["64.72"]["lat"], agencies["64.72"]["state"]) == (-0.49, "unknown")  # no Pusdalops: a site
    assert agencies["64"]["lat"] is None and data["unplaced"] == [agencies["64"]["name"]]
    sites = {row["name"]: row["state"] for row in data["sites"]}
    assert sites == {
        "Gudang Paser": "unknown",
        "Pusdalops Paser": "up",
        "Bukit Paser": "down",
        "Gudang Samarinda": "unknown",
    }
    legend = {row["state"]: (row["agencies"], row["sites"]) for row in data["legend"]}
    assert legend["down"] == (1, 1) and legend["unknown"] == (2, 2) and legend["up"] == (0, 1)
    assert [row["state"] for row in data["legend"]][:2] == ["down", "unreachable"]  # trouble first
    html = page.content.decode()
    assert 'id="province-map"' in html and "/static/simpul/province_map.js" in html
    assert "Belum punya lokasi di peta" in html and "Mati:" in html


def test_a_regency_sees_no_province_map_and_the_province_page_has_it(client, tree):
    client.force_login(factories.user(tree["64.01"], "manager"))
    page = client.get("/")
    assert page.context["province_map"] is None and 'id="province-map"' not in page.content.decode()
    assert client.get("/agencies/64.01/").context["province_map"] is None
    assert client.get("/agencies/64/").status_code == 404  # the province is above, not below

    client.force_login(factories.user(tree["64"], "technician"))
    data = client.get("/agencies/64/").context["province_map"]
    assert {row["code"] for row in data["agencies"]} == {"64", "64.01", "64.72"}
    assert client.get("/agencies/64.01/").context["province_map"] is None  # a regency's page is the regency's
    assert client.get("/agencies/63/").status_code == 404
