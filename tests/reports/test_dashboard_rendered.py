"""The dashboard's API bodies kept per poll cycle: the same bytes the serializers write, fresh after each cycle,
and a flat number of queries whatever the number of assets, for the overview, an agency and the province map."""

import gzip
import json
from datetime import datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

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


def _alert(agency, asset, summary: str, commit):
    """An alert raised and committed: the live panels show it at once."""
    from alerts.models import Alert, AlertRule

    with commit(execute=True):
        rule = AlertRule.objects.create(agency=agency, name=summary, kinds=["down"])
        return Alert.objects.create(
            agency=agency, asset=asset, rule=rule, kind="down", summary=summary, started_at=timezone.now(), state="open"
        )


def test_the_gzipped_body_is_the_figures_kept_with_the_alerts_of_the_moment(
    network, tree, client_for, django_capture_on_commit_callbacks
):
    client = client_for(tree["64"], Role.MANAGER)

    def both() -> tuple[bytes, bytes]:
        packed = client.get("/api/reports/dashboard/", HTTP_ACCEPT_ENCODING="gzip")
        assert packed["Content-Encoding"] == "gzip"
        return gzip.decompress(packed.content), client.get("/api/reports/dashboard/").content

    unzipped, plain = both()
    assert unzipped == plain == JSONRenderer().render(OverviewSerializer(province_overview(client.user)).data)
    _alert(
        network["kubar"], network["repeater"], "Repeater mati", django_capture_on_commit_callbacks
    )  # no figure changes: the kept body, a new tail
    unzipped, plain = both()
    assert unzipped == plain == JSONRenderer().render(OverviewSerializer(province_overview(client.user)).data)
    assert [a["summary"] for a in json.loads(plain)["alerts"]["alerts"]] == ["Repeater mati"]


def test_an_unchanged_body_is_a_304_until_the_figures_or_the_alerts_change(
    network, tree, client_for, django_capture_on_commit_callbacks
):
    client = client_for(tree["64"], Role.MANAGER)
    for path in PATHS:
        etag = client.get(path)["ETag"]
        again = client.get(path, HTTP_IF_NONE_MATCH=etag)
        assert again.status_code == 304 and again["ETag"] == etag and not again.content
    etag = client.get("/api/reports/dashboard/")["ETag"]
    _alert(network["kubar"], network["repeater"], "Repeater mati", django_capture_on_commit_callbacks)
    assert client.get("/api/reports/dashboard/", HTTP_IF_NONE_MATCH=etag).status_code == 200
    etag = client.get("/api/reports/dashboard/64.02/")["ETag"]
    refresh_overview()  # a poll cycle: new figures
    assert client.get("/api/reports/dashboard/64.02/", HTTP_IF_NONE_MATCH=etag).status_code == 200


@pytest.mark.parametrize("path", ["/api/reports/dashboard/", "/api/reports/province-map/"])
def test_a_kept_body_is_only_ever_sent_to_who_sees_the_same_agencies(
    network, tree, client_for, path, django_capture_on_commit_callbacks
):
    province, regency = client_for(tree["64"], Role.MANAGER), client_for(tree["64.01"], Role.MANAGER)
    admin = client_for(None, Role.MANAGER, is_superuser=True)
    nobody = client_for(None, Role.MANAGER)
    bodies = {}
    for name, client in {"province": province, "regency": regency, "admin": admin, "nobody": nobody}.items():
        assert client.get(path).status_code == 200  # each after the others have filled the cache
        bodies[name] = {row.get("agency") or row["code"] for row in client.get(path).json()["agencies"]}
    assert bodies["regency"] == {"64.01"}
    assert bodies["province"] == {"64", "64.01", "64.02", "64.72"}
    assert bodies["admin"] == bodies["province"] | {"63", "63.01"}
    assert bodies["nobody"] == set()
    # The tree changes (a regency moves to the other province): the kept bodies are no longer the province's.
    with django_capture_on_commit_callbacks(execute=True):
        tree["64.01"].parent = tree["63"]
        tree["64.01"].save()
    assert "64.01" not in {row.get("agency") or row["code"] for row in province.get(path).json()["agencies"]}
