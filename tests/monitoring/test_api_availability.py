"""/api/monitoring/availability/ with hand-made states, outages and maintenance windows."""

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from monitoring.models import AssetState, MaintenanceWindow, Outage
from tests import factories

URL = "/api/monitoring/availability/"
H = timedelta(hours=1)
OCTOBER_S = 31 * 24 * 3600


@pytest.fixture
def watched(tree):
    def make(agency="64.01", status="in_service", kind="router", since=datetime(2026, 1, 1, tzinfo=UTC)):
        asset = factories.asset(tree[agency], status=status, kind=kind)
        AssetState.objects.create(asset=asset, state="up", monitored_since=since)
        return asset

    return make


@pytest.fixture
def manager(tree, client_for):
    return client_for(tree["64"], "manager")


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


def rows(response) -> dict:
    assert response.status_code == 200, response.content
    return {row["key"]: row for row in response.json()["results"]}


def test_a_2h24m_outage_in_the_last_24_hours_is_90_percent(watched, manager):
    asset = watched()
    start = timezone.now() - 10 * H
    Outage.objects.create(asset=asset, started_at=start, ended_at=start + timedelta(minutes=144))
    row = rows(manager.get(URL, {"window": "24h", "group_by": "asset"}))[asset.pk]
    assert row["availability"] == 0.9
    assert (row["monitored_s"], row["down_s"], row["outages"], row["assets"]) == (86400, 8640, 1, 1)
    assert row["label"] == asset.name


def test_default_is_the_last_24_hours_by_agency(watched, manager):
    watched()
    body = manager.get(URL).json()
    assert body["group_by"] == "agency"
    span = datetime.fromisoformat(body["end"]) - datetime.fromisoformat(body["start"])
    assert span == timedelta(hours=24)
    assert [row["key"] for row in body["results"]] == ["64.01"]


def test_month_is_a_calendar_month_in_wita(watched, manager):
    asset = watched()
    # 23:00-01:00 WITA across the month's first midnight: only the hour inside October counts.
    Outage.objects.create(asset=asset, started_at=at("2026-09-30T15:00:00Z"), ended_at=at("2026-09-30T17:00:00Z"))
    response = manager.get(URL, {"month": "2026-10", "group_by": "asset"})
    body = response.json()
    assert (body["start"], body["end"]) == ("2026-10-01T00:00:00+08:00", "2026-11-01T00:00:00+08:00")
    row = rows(response)[asset.pk]
    assert (row["monitored_s"], row["down_s"]) == (OCTOBER_S, 3600)


def test_maintenance_over_part_of_an_outage_counts_neither_up_nor_down(watched, manager, tree):
    asset = watched()
    Outage.objects.create(asset=asset, started_at=at("2026-10-10T00:00:00Z"), ended_at=at("2026-10-10T04:00:00Z"))
    MaintenanceWindow.objects.create(
        agency=tree["64.01"], starts_at=at("2026-10-10T00:00:00Z"), ends_at=at("2026-10-10T02:00:00Z"), reason="x"
    )
    row = rows(manager.get(URL, {"month": "2026-10"}))["64.01"]
    assert (row["monitored_s"], row["down_s"]) == (OCTOBER_S - 7200, 7200)


def test_spare_assets_are_absent(watched, manager):
    spare = watched(status="spare")
    Outage.objects.create(asset=spare, started_at=at("2026-10-10T00:00:00Z"), ended_at=at("2026-10-11T00:00:00Z"))
    assert rows(manager.get(URL, {"month": "2026-10", "group_by": "asset"})) == {}


def test_group_by_agency_adds_up_seconds(watched, manager):
    a, b = watched("64.01"), watched("64.72", kind="ups")
    watched("64.72")
    start, end = at("2026-10-01T00:00:00Z"), at("2026-10-02T00:00:00Z")
    Outage.objects.create(asset=a, started_at=start, ended_at=start + 12 * H)
    Outage.objects.create(asset=b, started_at=start, ended_at=start + 6 * H)
    params = {"from": start.isoformat(), "to": end.isoformat()}
    by_agency = rows(manager.get(URL, params))
    assert by_agency["64.01"]["availability"] == 0.5
    assert by_agency["64.72"]["assets"] == 2
    assert (by_agency["64.72"]["monitored_s"], by_agency["64.72"]["down_s"]) == (2 * 86400, 6 * 3600)
    assert by_agency["64.72"]["availability"] == 0.875
    assert rows(manager.get(URL, params | {"group_by": "kind"}))["ups"]["availability"] == 0.75
    assert set(rows(manager.get(URL, params | {"kind": "ups"}))) == {"64.72"}


def test_scoped_to_what_the_user_sees_and_agency_is_exact(watched, tree, client_for, manager):
    for code in ("64", "64.01", "64.72", "63.01"):
        watched(code)
    assert set(rows(manager.get(URL, {"month": "2026-10"}))) == {"64", "64.01", "64.72"}
    assert set(rows(manager.get(URL, {"month": "2026-10", "agency": "64"}))) == {"64"}
    regency = client_for(tree["64.01"], "technician")
    assert set(rows(regency.get(URL, {"month": "2026-10"}))) == {"64.01"}


def test_a_month_still_to_come_is_an_empty_window(watched, manager):
    watched()
    body = manager.get(URL, {"month": "2099-01"}).json()
    assert body["start"] == body["end"] == "2099-01-01T00:00:00+08:00"
    assert [(row["monitored_s"], row["availability"]) for row in body["results"]] == [(0, None)]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"window": "5y"}, "window"),
        ({"month": "2026-13"}, "month"),
        ({"month": "oktober"}, "month"),
        ({"from": "2026-10-02T00:00:00Z", "to": "2026-10-01T00:00:00Z"}, "to"),
        ({"from": "2026-10-01T00:00:00Z"}, "to"),
        ({"to": "2026-10-01T00:00:00Z"}, "from"),
        ({"from": "kemarin", "to": "2026-10-01T00:00:00Z"}, "from"),
        ({"window": "7d", "month": "2026-10"}, "month"),
        ({"group_by": "province"}, "group_by"),
        ({"kind": "toaster"}, "kind"),
        ({"agency": "63.01"}, "agency"),  # exists, but not for this user
        ({"agency": "99"}, "agency"),
    ],
)
def test_bad_parameters_are_named(manager, params, field):
    response = manager.get(URL, params)
    assert response.status_code == 400
    assert field in response.json()
