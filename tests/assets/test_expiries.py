"""What lapses in the next 30/60/90 days: every kind of item, with its cost, and the window's edges at WITA
midnight (not UTC's)."""

import csv
import io
from datetime import UTC, date, datetime, timedelta

import pytest
from django.utils import timezone

from assets.expiries import expiries
from assets.models import Agency
from tests import factories

TODAY = date(2026, 11, 30)


def kinds(agency, *, start=TODAY, days=90):
    items = expiries(Agency.objects.filter(pk=agency.pk), start=start, end=start + timedelta(days=days))
    return [(item.kind, item.subject, item.lapses_on, item.cost_idr) for item in items]


@pytest.fixture
def paser(tree):
    return tree["64.01"]


def test_every_kind_of_item_lapses_on_its_day_with_its_cost(paser):
    soon = TODAY + timedelta(days=10)
    factories.asset(paser, kind="router", name="Router", warranty_end=soon, support_end=soon, support_cost_idr=5_000)
    factories.asset(paser, kind="ups", name="UPS", battery_due=soon, battery_cost_idr=7_000, end_of_life=soon)
    factories.asset(
        paser,
        kind="internet_link",
        name="Fiber",
        provider="Telkom",
        medium="fibre",
        link_role="primary",
        monthly_cost_idr=1_000,
        contract_end=soon,
    )
    factories.asset(
        paser,
        kind="satellite_terminal",
        name="VSAT",
        sat_network="vsat",
        monthly_cost_idr=2_000,
        contract_end=soon,
        airtime_end=soon,
    )
    factories.asset(
        paser, kind="satellite_terminal", name="BGAN", sat_network="bgan", monthly_cost_idr=3_000, airtime_end=soon
    )
    factories.licence(paser, number="1", valid_until=soon, fee_due_date=soon, fee_amount_idr=9_000)
    assert sorted(kinds(paser)) == sorted(
        [
            ("warranty", "Router", soon, None),  # a warranty's end costs nothing by itself
            ("support", "Router", soon, 5_000),
            ("battery", "UPS", soon, 7_000),
            ("end_of_life", "UPS", soon, 18_500_000),  # replaced at the standard's unit cost
            ("isp_contract", "Fiber", soon, 12_000),  # a year of the subscription
            ("satellite_contract", "VSAT", soon, 24_000),
            ("satellite_airtime", "VSAT", soon, None),  # paid by its contract, not twice
            ("satellite_airtime", "BGAN", soon, 36_000),
            ("licence", "ISR 1", soon, 9_000),
            ("licence_fee", "ISR 1", soon, 9_000),
        ]
    )


def test_retired_assets_and_fees_after_the_licence_ends_do_not_lapse(paser):
    factories.asset(paser, name="old", warranty_end=TODAY + timedelta(days=5), status="retired")
    factories.licence(
        paser,
        number="2",
        valid_from=date(2022, 1, 1),
        valid_until=TODAY + timedelta(days=400),
        fee_due_date=TODAY + timedelta(days=20),
    )
    factories.licence(
        paser,
        number="3",
        valid_from=date(2021, 1, 1),
        valid_until=TODAY + timedelta(days=10),
        fee_due_date=TODAY + timedelta(days=11),  # due with the renewal, which the licence item reminds of
    )
    assert [(kind, subject) for kind, subject, *_ in kinds(paser)] == [("licence", "ISR 3"), ("licence_fee", "ISR 2")]


def test_licence_act_by_is_the_agencys_renewal_deadline(paser):
    paser.licence_renewal_lead_days = 45
    paser.save()
    factories.licence(paser, number="4", valid_until=TODAY + timedelta(days=80))
    [item] = expiries(Agency.objects.filter(pk=paser.pk), start=TODAY, end=TODAY + timedelta(days=90))
    assert item.act_by == TODAY + timedelta(days=35)


def _at(monkeypatch, moment: datetime) -> None:
    monkeypatch.setattr(timezone, "now", lambda: moment)


OFFSETS = (0, 29, 30, 31, 59, 60, 61, 89, 90, 91)  # lapsing this many days after 30 November


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        # 23:59:59 WITA on 30 November (15:59:59 UTC): today is the 30th, an item on its last day is still listed
        (
            datetime(2026, 11, 30, 15, 59, 59, tzinfo=UTC),
            {30: {0, 29, 30}, 60: {0, 29, 30, 31, 59, 60}, 90: {0, 29, 30, 31, 59, 60, 61, 89, 90}},
        ),
        # 00:00 WITA on 1 December is still 30 November in UTC: the day has turned in Samarinda, not in London
        (
            datetime(2026, 11, 30, 16, 0, tzinfo=UTC),
            {30: {29, 30, 31}, 60: {29, 30, 31, 59, 60, 61}, 90: {29, 30, 31, 59, 60, 61, 89, 90, 91}},
        ),
    ],
)
def test_windows_end_at_wita_midnight(tree, client_for, monkeypatch, moment, expected):
    paser = tree["64.01"]
    for offset in OFFSETS:
        factories.asset(paser, name=str(offset), warranty_end=TODAY + timedelta(days=offset))
    client = client_for(paser, "procurement")
    _at(monkeypatch, moment)
    for days, offsets in expected.items():
        data = client.get("/api/expiries/", {"days": days}).json()
        assert {int(row["subject"]) for row in data["results"]} == offsets, days
        assert data["totals"][0][f"within_{days}"] == len(offsets)


def test_expiry_api_counts_per_agency_scope_and_exports(tree, client_for, monkeypatch):
    _at(monkeypatch, datetime(2026, 11, 30, 2, 0, tzinfo=UTC))  # 10:00 WITA, 30 November
    paser, samarinda = tree["64.01"], tree["64.72"]
    factories.asset(paser, name="a", warranty_end=TODAY + timedelta(days=20))
    factories.asset(paser, name="b", support_end=TODAY + timedelta(days=50), support_cost_idr=4_000_000)
    factories.asset(paser, name="c", end_of_life=TODAY + timedelta(days=80), cost_idr=4_200_000)
    factories.asset(samarinda, name="d", warranty_end=TODAY + timedelta(days=5))
    factories.asset(tree["63.01"], name="foreign", warranty_end=TODAY + timedelta(days=5))
    client = client_for(tree["64"], "manager")
    data = client.get("/api/expiries/", {"days": 60}).json()
    assert (data["today"], data["until"]) == ("2026-11-30", "2027-01-29")
    assert [(row["agency"], row["subject"], row["days_left"]) for row in data["results"]] == [
        ("64.72", "d", 5),
        ("64.01", "a", 20),
        ("64.01", "b", 50),
    ]
    totals = {row["agency"]: row for row in data["totals"]}
    assert totals["64.01"] | {"agency_name": ""} == {
        "agency": "64.01",
        "agency_name": "",
        "within_30": 1,
        "within_60": 2,
        "within_90": 3,
        "cost_idr": 4_000_000,  # of the items listed (60 days)
    }
    assert "63.01" not in totals
    assert client.get("/api/expiries/", {"days": 45}).status_code == 400
    only = client.get("/api/expiries/", {"agency": "64.72"}).json()
    assert {row["agency"] for row in only["results"]} == {"64.72"}
    assert client_for(paser, "manager").get("/api/expiries/", {"agency": "64.72"}).json()["results"] == []
    exported = client.get("/api/expiries/", {"format": "csv"})
    rows = list(csv.DictReader(io.StringIO(exported.content.decode("utf-8-sig")), delimiter=";"))
    *items, totals_row = rows
    assert [row["Nama"] for row in items] == ["d", "a", "b", "c"] and items[0]["Berakhir"] == "2026-12-05"
    assert next(iter(totals_row.values())) == "Jumlah"
