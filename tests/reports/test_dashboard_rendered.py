"""The dashboard's API bodies kept per poll cycle: the same bytes the serializers write, fresh after each cycle,
and a flat number of queries whatever the number of assets, for the overview, an agency and the province map."""

import gzip
import json
from datetime import datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.choices import Role
from monitoring.models import AssetState
from reports.api.serializers import AgencyDetailSerializer, OverviewSerializer
from reports.dashboard import agency_detail, province_overview, refresh_overview
from simpul.renderers import JSONRenderer
from tests import factories
from tests.reports.network import kaltim_network

PATHS = ("/api/reports/dashboard/", "/api/reports/dashboard/64.02/", "/api/reports/province-map/")


@pytest.fixture
def network(tree):
    return kaltim_network(tree)


@pytest.mark.parametrize("role", [Role.MANAGER, Role.TECHNICIAN])
def test_the_joined_overview_is_byte_for_byte_what_the_serializer_writes(network, tree, client_for, role):
    client = client_for(tree["64"], role)
    for _ in range(2):  # rendered, then read from the cache
        body = client.get("/api/reports/dashboard/", HTTP_ACCEPT="application/json").content
        assert body == JSONRenderer().render(OverviewSerializer(province_overview(client.user)).data)
    regency = client_for(tree["64.01"], role)  # another reader: only their own agency, from the same rows
    body = regency.get("/api/reports/dashboard/").content
    assert body == JSONRenderer().render(OverviewSerializer(province_overview(regency.user)).data)
    assert [row["agency"] for row in regency.get("/api/reports/dashboard/").json()["agencies"]] == ["64.01"]


def test_the_agency_body_is_the_serializers_and_follows_each_poll_cycle(network, client_for):
    client = client_for(network["kubar"])
    response = client.get("/api/reports/dashboard/64.02/")
    body, then = response.content, datetime.fromisoformat(response.json()["generated_at"])
    assert body == JSONRenderer().render(AgencyDetailSerializer(agency_detail(network["kubar"], now=then)).data)
    assert client.get("/api/reports/province-map/64.02/").json()["agencies"][0]["state"] == "down"
    # The poller records the repeater's recovery (bulk writes, no signals), then refreshes the figures.
    AssetState.objects.filter(asset=network["repeater"]).update(state="up")
    assert client.get("/api/reports/dashboard/64.02/").content == body  # same cycle: same figures
    refresh_overview()
    states = {a["name"]: a["state"] for a in client.get("/api/reports/dashboard/64.02/").json()["assets"]}
    assert states[network["repeater"].name] == "up"
    [kubar] = client.get("/api/reports/province-map/64.02/").json()["agencies"]
    assert kubar["state"] != "down" and "down" not in {count["state"] for count in kubar["counts"]}


def test_warm_requests_cost_the_same_few_queries_at_any_number_of_assets(network, tree, client_for):
    client = client_for(tree["64"])

    def queries() -> tuple[int, ...]:
        refresh_overview()  # a poll cycle
        counts = []
        for path in PATHS:
            assert client.get(path).status_code == 200  # the first reader of the cycle renders
            with CaptureQueriesContext(connection) as captured:
                assert client.get(path).status_code == 200
            counts.append(len(captured))
        return tuple(counts)

    before = queries()
    assert max(before) <= 9, before  # token, scope, alerts and pollers panels: nothing per agency or asset
    kubar = network["kubar"]
    office = factories.site(kubar, name="Bukit baru")
    for n in range(30):
        asset = factories.asset(kubar, site=office, name=f"Router {n}", management_address=f"127.64.4.{n}")
        AssetState.objects.create(asset=asset, state="up", monitored_since=network["now"] - timedelta(days=2))
        factories.radio(tree["64.72"], name=f"HT {n}")
    assert queries() == before


def test_the_figures_go_gzipped_to_who_asks_and_documents_as_they_are(network, tree, client_for):
    client = client_for(tree["64"])
    plain = client.get("/api/reports/dashboard/64.02/")
    packed = client.get("/api/reports/dashboard/64.02/", HTTP_ACCEPT_ENCODING="gzip")
    assert packed["Content-Encoding"] == "gzip" and "Accept-Encoding" in packed["Vary"]
    assert len(packed.content) < len(plain.content) / 3
    assert json.loads(gzip.decompress(packed.content)) == plain.json()
    pdf = client.get("/api/reports/monthly/64.02/?format=pdf", HTTP_ACCEPT_ENCODING="gzip")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF") and not pdf.has_header("Content-Encoding")
