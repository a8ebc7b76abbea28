"""Dashboard, agency and gap pages through Django's test client (the browser test drives them in Chromium)."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from monitoring.models import AssetState, Outage
from tests import factories


@pytest.fixture
def watched(tree):
    paser = tree["64.01"]
    site = factories.site(paser, name="Pusdalops Tana Paser")
    up = factories.asset(paser, site=site, name="Router", management_address="127.0.0.1")
    down = factories.asset(paser, site=site, kind="ups", name="UPS", management_address="127.0.0.2")
    now = timezone.now()
    AssetState.objects.create(asset=up, state="up", monitored_since=now - timedelta(days=2), last_rtt_ms=1.5)
    AssetState.objects.create(asset=down, state="down", monitored_since=now - timedelta(days=2))
    Outage.objects.create(asset=down, started_at=now - timedelta(hours=6), cause="no reply")
    return paser


def test_dashboard_lists_visible_agencies_with_figures(client, tree, watched):
    client.force_login(factories.user(tree["64"], "manager"))
    page = client.get("/")
    assert page.status_code == 200
    overview = page.context["overview"]
    rows = {row["agency"]: row for row in overview["agencies"]}
    assert set(rows) == {"64", "64.01", "64.72"}
    assert rows["64.01"]["states"]["up"] == 1 and rows["64.01"]["states"]["down"] == 1
    assert rows["64.01"]["open_outages"] == 1 and rows["64.01"]["longest_outage_s"] >= 6 * 3600
    assert rows["64.01"]["availability"]["24h"]["value"] == pytest.approx(0.875, abs=0.001)  # one of two down 6 h of 24
    assert "/agencies/64.01/" in page.content.decode()


def test_agency_page_has_map_with_local_leaflet_and_site_state(client, tree, watched, settings):
    settings.MAP_TILE_URL = ""
    client.force_login(factories.user(tree["64.01"], "manager"))
    page = client.get("/agencies/64.01/")
    html = page.content.decode()
    assert "/static/vendor/leaflet/leaflet.js" in html and "unpkg" not in html and "cdn" not in html.lower()
    [site] = page.context["detail"]["sites"]
    assert site["state"] == "down"  # the worst asset colours the marker
    assert len(page.context["detail"]["daily_availability"]) == 30
    assert client.get("/agencies/64.72/").status_code == 404


def test_dashboard_json_refresh_endpoint(client, tree, watched):
    client.force_login(factories.user(tree["64.01"], "technician"))
    data = client.get("/api/reports/dashboard/").json()
    assert [row["agency"] for row in data["agencies"]] == ["64.01"]
    assert client.get("/api/reports/dashboard/64.01/").json()["outages"][0]["asset"] == "UPS"


def test_gap_page(client, tree):
    client.force_login(factories.user(tree["64"], "procurement"))
    page = client.get("/procurement/gaps/", {"horizon_days": "90"})
    assert page.status_code == 200 and "?format=xlsx&amp;horizon_days=90" in page.content.decode()
    report = page.context["report"]
    assert report.cost_idr > 0 and report.yearly_cost_idr > 0  # the seeded standard against an empty inventory
    shown = re.sub(r'value="[^"]*"', "", page.content.decode())
    assert "Rp " in shown and "Link internet (utama)" in shown and "internet_link" not in shown
    bad = client.get("/procurement/gaps/", {"horizon_days": "x", "kind": "bukan", "agency": "63"})
    assert bad.status_code == 200 and bad.context["report"].cost_idr == report.cost_idr  # bad filters: all


def test_pages_need_login(client, db):
    assert client.get("/").status_code == 302
