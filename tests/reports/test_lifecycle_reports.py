"""Licences, expiries and readiness where managers and procurement read them: the monthly report (JSON, XLSX,
PDF), the dashboard API, the agency page, the expiry page, and the gap report with its exports."""

import csv
import io
import re
from datetime import date, timedelta

import pytest
import requests
from django.utils import timezone
from openpyxl import load_workbook
from rest_framework.authtoken.models import Token

from reports.deadlines import previous_month
from tests import factories
from tests.reports.test_monthly_api import pdf_text

TODAY = timezone.localdate()


@pytest.fixture
def paser(tree):
    """Paser: a VHF radio in service under a licence that ended yesterday, a spare on it, and things lapsing."""
    agency = tree["64.01"]
    expired = factories.licence(
        agency, number="640100", valid_from=date(2020, 1, 1), valid_until=TODAY - timedelta(days=1)
    )
    factories.radio(agency, name="Radio VHF base", tx_freq_mhz="147.000", licence=expired)
    factories.radio(agency, name="HT cadangan", tx_freq_mhz="147.000", licence=expired, status="spare")
    factories.asset(
        agency, kind="ups", name="UPS ruang radio", battery_due=TODAY + timedelta(days=20), battery_cost_idr=7_500_000
    )
    factories.asset(agency, name="Router", warranty_end=TODAY + timedelta(days=70), acquisition_date=date(2024, 1, 1))
    return agency


def test_monthly_report_flags_radios_on_expired_licences_and_lists_what_lapses(paser, client_for):
    client = client_for(paser, "manager")
    month = previous_month(TODAY).strftime("%Y-%m")
    url = "/api/reports/monthly/64.01/"
    data = client.get(url, {"month": month}).json()
    assert [(r["name"], r["licence_number"], r["valid_until"]) for r in data["expired_licence_radios"]] == [
        ("Radio VHF base", "640100", (TODAY - timedelta(days=1)).isoformat())
    ]
    assert [(r["kind"], r["subject"]) for r in data["lapsing"]] == [
        ("battery", "UPS ruang radio"),
        ("warranty", "Router"),
    ]
    renewals = {(r["kind"], r["subject"]): r["cost_idr"] for r in data["renewals"]}
    assert renewals[("battery", "UPS ruang radio")] == 7_500_000
    assert ("licence", "ISR 640100") in renewals  # lapsed with a radio on the air: to renew
    gaps = sum(row["cost_idr"] + row["yearly_cost_idr"] for row in data["gaps"])  # a year of any subscription
    assert data["gap_cost_idr"] == gaps + sum(
        (r["cost_idr"] or 0) + (r["yearly_cost_idr"] or 0) for r in data["renewals"]
    )

    workbook = load_workbook(io.BytesIO(client.get(url, {"month": month, "format": "xlsx"}).content))
    assert {"isr_kedaluwarsa", "akan_berakhir", "perpanjangan"} <= set(workbook.sheetnames)
    summary = {row[0]: row[1] for row in workbook["ringkasan"].iter_rows(values_only=True)}
    assert summary["Radio memancar dengan ISR kedaluwarsa"] == 1
    assert [row[0] for row in workbook["isr_kedaluwarsa"].iter_rows(values_only=True)][1:] == ["Radio VHF base"]
    text = pdf_text(client.get(url, {"month": month, "format": "pdf"}).content)
    assert "Radio memancar dengan ISR kedaluwarsa 1" in text and "640100" in text


def test_dashboard_api_figures_follow_licence_writes_at_once(paser, live_server):
    manager = {"Authorization": f"Token {Token.objects.create(user=factories.user(paser, 'manager')).key}"}
    writer = {"Authorization": f"Token {Token.objects.create(user=factories.user(paser, 'technician')).key}"}

    def row() -> dict:
        response = requests.get(f"{live_server.url}/api/reports/dashboard/", headers=manager, timeout=30)
        response.raise_for_status()
        [agency] = response.json()["agencies"]
        return agency

    first = row()
    assert (first["lapsing_30"], first["lapsing_60"], first["lapsing_90"], first["expired_licence_radios"]) == (
        1,
        1,
        2,
        1,
    )
    licence = requests.get(f"{live_server.url}/api/licences/", headers=manager, timeout=30).json()["results"][0]
    renewed = requests.patch(
        f"{live_server.url}/api/licences/{licence['id']}/",
        json={"valid_until": (TODAY + timedelta(days=1800)).isoformat()},
        headers=writer,
        timeout=30,
    )
    assert renewed.status_code == 200, renewed.text
    assert row()["expired_licence_radios"] == 0  # the renewal shows at once, not after the cache's minutes
    detail = requests.get(f"{live_server.url}/api/reports/dashboard/64.01/", headers=manager, timeout=30).json()
    assert detail["expired_licence_radios"] == []
    assert [item["subject"] for item in detail["lapsing"]] == ["UPS ruang radio", "Router"]


def test_agency_page_shows_the_flag_and_readiness_without_inline_code(client, paser):
    client.force_login(factories.user(paser, "manager"))
    page = client.get("/agencies/64.01/")
    html = page.content.decode()
    card = re.search(r'<div class="card" id="licences">(.*?)</div>', html, re.S).group(1)
    assert "Radio VHF base" in card and "ISR 640100" in card and "HT cadangan" not in card
    assert "Siap menerima bantuan peralatan BNPB" in card and "belum diisi" in card
    lapsing = re.search(r'<div class="card" id="lapsing">(.*?)</div>', html, re.S).group(1)
    assert "Penggantian baterai: UPS ruang radio" in lapsing
    assert "style=" not in card + lapsing


def test_expiry_page_lists_per_agency_with_a_totals_line(client, tree, paser):
    factories.asset(tree["64.72"], name="Internet Samarinda", warranty_end=TODAY + timedelta(days=5))
    factories.asset(tree["63.01"], name="foreign", warranty_end=TODAY + timedelta(days=5))
    client.force_login(factories.user(tree["64"], "procurement"))
    html = client.get("/procurement/expiries/", {"days": 30}).content.decode()
    summary = re.search(r'<p id="summary">(.*?)</p>', html, re.S).group(1)
    assert "2 hal berakhir dalam 30 hari di 2 instansi" in summary and "Rp 7.500.000" in summary
    assert "UPS ruang radio" in html and "Internet Samarinda" in html and "foreign" not in html
    assert "Router" not in html  # 70 days away
    assert "Radio VHF base" in re.search(r'id="expired-licences">(.*?)</div>', html, re.S).group(1)
    assert "Router" in client.get("/procurement/expiries/", {"days": 90}).content.decode()
    only = client.get("/procurement/expiries/", {"days": 90, "agency": "64.72"}).content.decode()
    assert "Internet Samarinda" in only and "UPS ruang radio" not in only
    assert "<script>" not in html and "style=" not in html
    assert client.get("/procurement/expiries/", {"days": "abc"}).status_code == 200  # falls back to 90 days


def test_gap_report_shows_readiness_beside_the_gaps_and_exports_it(client, client_for, tree, paser):
    samarinda = tree["64.72"]
    samarinda.own_building = samarinda.operators_committed = samarinda.maintenance_committed = True
    samarinda.radio_room_length_m, samarinda.radio_room_width_m = 6, 4
    samarinda.save()
    api = client_for(tree["64"], "procurement")
    data = api.get("/api/gaps/", {"horizon_days": 30}).json()
    totals = {row["agency"]: row for row in data["totals"]}
    assert totals["64.72"]["ready"] is True and totals["64.72"]["readiness_missing"] == ""
    assert (
        totals["64.01"]["ready"] is False
        and "gedung milik sendiri: belum diisi" in totals["64.01"]["readiness_missing"]
    )
    assert {row["ready"] for row in data["results"] if row["agency"] == "64.72"} == {True}
    assert [(r["kind"], r["subject"]) for r in data["renewals"]] == [
        ("licence", "ISR 640100"),
        ("battery", "UPS ruang radio"),
    ]
    assert (
        totals["64.01"]["cost_idr"] == sum(r["cost_idr"] for r in data["results"] if r["agency"] == "64.01") + 7_500_000
    )

    workbook = load_workbook(io.BytesIO(api.get("/api/gaps/", {"horizon_days": 30, "format": "xlsx"}).content))
    summary = list(workbook["Ringkasan"].iter_rows(values_only=True))
    assert summary[0] == (
        "Kode instansi",
        "Instansi",
        "Siap menerima bantuan BNPB",
        "Syarat yang belum terpenuhi",
        "Beli dan perpanjang (Rp)",
        "Langganan per tahun (Rp)",
    )
    assert (
        "64.72",
        samarinda.name,
        "Ya",
        None,
        totals["64.72"]["cost_idr"],
        totals["64.72"]["yearly_cost_idr"],
    ) in summary
    paser_lines = list(workbook[f"64.01 {paser.name}"[:31]].iter_rows(values_only=True))
    assert [row[3] for row in paser_lines if row[3]][1:] == ["ISR 640100", "UPS ruang radio"]  # after the header
    rows = list(
        csv.DictReader(io.StringIO(api.get("/api/gaps/", {"format": "csv"}).content.decode("utf-8-sig")), delimiter=";")
    )
    assert {row["Instansi"] for row in rows if row["Kode instansi"] == "64.72"} == {samarinda.name}

    client.force_login(factories.user(tree["64"], "procurement"))
    html = client.get("/procurement/gaps/", {"horizon_days": 30}).content.decode()
    readiness = re.search(r'data-agency="64.01">(.*?)</section>', html, re.S).group(1)
    assert "Belum siap menerima bantuan" in readiness and "belum diisi" in readiness
    assert "1 dari 3 instansi siap menerima bantuan peralatan BNPB" in html
    assert "UPS ruang radio, berakhir" in readiness and "Penggantian baterai" in readiness  # its renewal, labelled
