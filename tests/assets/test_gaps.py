"""Gap figures on hand-made inventories, and the CSV/XLSX exports."""

from datetime import date, timedelta

import pytest

from assets.gaps import gap_rows, renewal_rows
from assets.models import Agency, Asset, StandardItem
from tests import factories

TODAY = date(2026, 11, 29)


@pytest.fixture
def standard(db):
    StandardItem.objects.all().delete()  # the migration's default; these tests define their own
    for kind, role, required, cost in [
        ("vhf_radio", "", 4, 3_000_000),
        ("router", "", 1, 4_000_000),
        ("internet_link", "primary", 1, 5_000_000),
        ("internet_link", "backup", 1, 2_000_000),
    ]:
        StandardItem.objects.create(level="regency", kind=kind, link_role=role, required=required, unit_cost_idr=cost)


def rows_for(agency, horizon_days=0):
    rows = gap_rows(Agency.objects.filter(pk=agency.pk), today=TODAY, horizon=TODAY + timedelta(days=horizon_days))
    return {(r.kind, r.link_role): r for r in rows}


def test_faulty_and_past_end_of_life_assets_do_not_count(tree, standard):
    paser = tree["64.01"]
    factories.asset(paser, kind="vhf_radio", name="ok 1")
    factories.asset(paser, kind="vhf_radio", name="ok 2")
    factories.asset(paser, kind="vhf_radio", name="rusak", status="faulty")
    factories.asset(paser, kind="vhf_radio", name="tua", end_of_life=TODAY - timedelta(days=1))
    factories.asset(paser, kind="vhf_radio", name="cadangan", status="spare")
    row = rows_for(paser)[("vhf_radio", "")]
    assert (row.required, row.working, row.to_buy, row.cost_idr) == (4, 2, 2, 6_000_000)


def test_end_of_life_before_the_horizon_is_due_for_replacement_a_lapsed_warranty_is_not(tree, standard):
    paser = tree["64.01"]
    factories.asset(paser, kind="router", warranty_end=TODAY - timedelta(days=30), acquisition_date=date(2020, 1, 1))
    row = rows_for(paser)[("router", "")]
    assert (row.working, row.expiring, row.to_buy, row.cost_idr) == (1, 0, 0, 0)  # out of warranty, still working
    factories.asset(paser, kind="router", end_of_life=TODAY + timedelta(days=60))
    assert rows_for(paser, horizon_days=30)[("router", "")].expiring == 0
    row = rows_for(paser, horizon_days=90)[("router", "")]
    assert (row.working, row.expiring, row.to_buy, row.cost_idr) == (2, 1, 0, 0)  # one of two still meets 1
    Asset.objects.filter(end_of_life__isnull=True).update(status="faulty")
    row = rows_for(paser, horizon_days=90)[("router", "")]
    assert (row.working, row.expiring, row.to_buy, row.cost_idr) == (1, 1, 1, 4_000_000)


def test_horizon_brings_upcoming_contract_renewals_in_at_a_years_cost(tree, standard):
    paser = tree["64.01"]
    factories.asset(
        paser,
        kind="internet_link",
        name="Telkom",
        provider="Telkom",
        medium="fibre",
        link_role="primary",
        monthly_cost_idr=1_500_000,
        contract_end=TODAY + timedelta(days=60),
    )
    agencies = Agency.objects.filter(pk=paser.pk)
    assert renewal_rows(agencies, today=TODAY, horizon=TODAY + timedelta(days=30)) == []
    [renewal] = renewal_rows(agencies, today=TODAY, horizon=TODAY + timedelta(days=90))
    assert (renewal.kind, renewal.subject) == ("isp_contract", "Telkom")
    assert (renewal.cost_idr, renewal.yearly_cost_idr) == (None, 18_000_000)  # a subscription: per year
    assert rows_for(paser, horizon_days=90)[("internet_link", "primary")].to_buy == 0  # renewed, not bought anew


def test_backup_link_on_the_same_medium_does_not_count(tree, standard):
    paser = tree["64.01"]
    factories.asset(paser, kind="internet_link", provider="Telkom", medium="fibre", link_role="primary")
    factories.asset(paser, kind="internet_link", provider="Biznet", medium="fibre", link_role="backup")
    assert rows_for(paser)[("internet_link", "backup")].to_buy == 1
    factories.asset(paser, kind="internet_link", provider="Telkomsel", medium="cellular", link_role="backup")
    assert rows_for(paser)[("internet_link", "backup")].to_buy == 0


def test_surplus_never_gives_negative_gap(tree, standard):
    paser = tree["64.01"]
    for n in range(6):
        factories.asset(paser, kind="vhf_radio", name=f"HT {n}")
    assert rows_for(paser)[("vhf_radio", "")].to_buy == 0


def test_api_totals_and_scope(tree, standard, client_for):
    factories.asset(tree["64.01"], kind="vhf_radio")
    factories.asset(tree["63.01"], kind="router")
    client = client_for(tree["64"], "procurement")
    data = client.get("/api/gaps/", {"horizon_days": 0}).json()
    agencies = {row["agency"] for row in data["results"]}
    assert agencies == {"64.01"}  # only regency lines here (64 is a province, 64.72 a city); 63 is foreign
    totals = {t["agency"]: (t["cost_idr"], t["yearly_cost_idr"]) for t in data["totals"]}
    # Radios and a router are bought once; the two internet links are subscribed to, per year.
    assert totals["64.01"] == (3 * 3_000_000 + 4_000_000, 5_000_000 + 2_000_000)
    assert data["total_cost_idr"] == sum(once for once, _ in totals.values())
    assert data["total_yearly_cost_idr"] == sum(yearly for _, yearly in totals.values())
    routers = client.get("/api/gaps/", {"horizon_days": 0, "kind": "router"}).json()
    assert {row["kind"] for row in routers["results"]} == {"router"}
    assert routers["total_cost_idr"] == 4_000_000 and routers["total_yearly_cost_idr"] == 0
    assert client.get("/api/gaps/", {"horizon_days": -1}).status_code == 400


def test_default_standard_is_seeded_by_migration(db):
    assert StandardItem.objects.filter(level="regency", kind="internet_link").count() == 2
    assert StandardItem.objects.filter(level="city").count() == StandardItem.objects.filter(level="regency").count()
