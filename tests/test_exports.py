"""Exports as a person opens them: Indonesian headers, labels, Rupiah and real dates, a frozen header and a
totals row in XLSX; CSV with a BOM, `;` by default; formulas neutralised; another agency's rows never in;
an unoffered format a 406 naming the formats. An export never fails because of one row either: text a
workbook cannot hold is written as U+FFFD, in XLSX and CSV."""

import csv
import io
from datetime import datetime, timedelta

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from assets.models import StandardItem
from maintenance.models import WorkOrder
from monitoring.models import AssetState, Outage, RadioCheck, RadioCheckEntry
from reports.deadlines import month_bounds, previous_month
from tests import factories

# Every list a person takes to a meeting, with a column that names the row and a row only 64.01 has.
EXPORTS = {
    "/api/sites/": "Nama lokasi",
    "/api/assets/": "Nama",
    "/api/monitoring/status/": "Aset",
    "/api/monitoring/outages/": "Aset",
    "/api/monitoring/availability/": "Nama",
    "/api/maintenance/work-orders/": "Judul",
    "/api/maintenance/metrics/": "Kunci",
    "/api/monitoring/radio-checks/": "Stasiun",
    "/api/expiries/": "Nama",
    "/api/gaps/": "Instansi",
}


def read_csv(content: bytes, delimiter: str = ";") -> list[dict]:
    assert content.startswith("\ufeff".encode())  # the BOM Excel needs to read UTF-8
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig")), delimiter=delimiter))


def workbook_of(response):
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return load_workbook(io.BytesIO(response.content))


def headed(sheet) -> list[dict]:
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


@pytest.fixture
def meeting(tree):
    """One of each listed thing in 64.01 and in the foreign 63.01, named after its agency."""
    now = timezone.now()
    for code in ("64.01", "63.01"):
        agency = tree[code]
        site = factories.site(agency, name=f"Lokasi {code}")
        asset = factories.asset(
            agency,
            site=site,
            name=f"Router {code}",
            cost_idr=51_000_000,
            end_of_life=timezone.localdate() + timedelta(days=20),
        )
        AssetState.objects.create(
            asset=asset, state="down", since=now - timedelta(hours=2), monitored_since=now - timedelta(days=3)
        )
        Outage.objects.create(asset=asset, started_at=now - timedelta(hours=2), ended_at=now - timedelta(hours=1))
        WorkOrder.objects.create(agency=agency, asset=asset, title=f"Perbaiki {code}", kind="corrective")
        radio = factories.radio(agency, name=f"HT {code}")
        check = RadioCheck.objects.create(agency=agency, held_at=now - timedelta(hours=1), net="VHF")
        RadioCheckEntry.objects.create(radio_check=check, asset=radio, answered=True, readability=5, signal=5)
    return tree


# Characters XML 1.0 cannot carry: openpyxl raises IllegalCharacterError on the controls; U+FFFF it would
# write into a file that spreadsheet programs refuse to open.
HOSTILE = ["Radio\u000bPusdalops", "Router\x08", "Repeater\x1f", "Link\uffff"]


def _sheet_rows(content: bytes, title: str | None = None) -> list[dict]:
    workbook = load_workbook(io.BytesIO(content))
    sheet = workbook[title] if title else workbook.worksheets[0]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


@pytest.mark.parametrize("name", HOSTILE)
def test_asset_export_writes_the_row_of_a_name_with_a_control_character(tree, client_for, name):
    factories.asset(tree["64.01"], name=name)
    factories.asset(tree["64.01"], name="Router Biasa")
    province = client_for(tree["64"], "manager")
    xlsx = province.get("/api/assets/", {"format": "xlsx"})
    assert xlsx.status_code == 200
    names = {row["Nama"] for row in _sheet_rows(xlsx.content)[:-1]}
    clean = "".join("\ufffd" if char in "\x08\x0b\x1f\uffff" else char for char in name)
    assert names == {clean, "Router Biasa"}
    exported = province.get("/api/assets/", {"format": "csv"})
    assert exported.status_code == 200
    rows = read_csv(exported.content)
    assert {row["Nama"] for row in rows[:-1]} == {clean, "Router Biasa"}


def test_monthly_report_workbook_writes_an_outage_of_such_an_asset(tree, client_for):
    month = previous_month(timezone.localdate())
    start, _end = month_bounds(month)
    asset = factories.asset(tree["64.01"], name="Radio\u000bPusdalops")
    AssetState.objects.create(asset=asset, state="up", monitored_since=start - timedelta(days=1))
    Outage.objects.create(
        asset=asset, started_at=start + timedelta(days=1), ended_at=start + timedelta(days=1, hours=1)
    )
    response = client_for(tree["64"], "manager").get(
        "/api/reports/monthly/64.01/", {"month": f"{month:%Y-%m}", "format": "xlsx"}
    )
    assert response.status_code == 200
    assert [row["Aset"] for row in _sheet_rows(response.content, "gangguan")] == ["Radio\ufffdPusdalops"]


@pytest.mark.parametrize("path, name_column", EXPORTS.items())
def test_every_meeting_list_exports_both_files_with_only_the_users_agency(meeting, client_for, path, name_column):
    client = client_for(meeting["64.01"], "manager")
    params = {"group_by": "agency"} if "availability" in path or "metrics" in path else {}
    rows = read_csv(client.get(path, {**params, "format": "csv"}).content)
    named = [row[name_column] for row in rows if row[name_column]]
    assert named, rows
    assert not any("63" in value for value in named), named  # another agency's rows never appear
    workbook = workbook_of(client.get(path, {**params, "format": "xlsx"}))
    for sheet in workbook:
        assert sheet.freeze_panes == "A2"
        assert all(isinstance(cell.value, str) and cell.value.isascii() is not None for cell in sheet[1])
        assert not any("63." in str(cell.value) for row in sheet.iter_rows() for cell in row)


def test_the_asset_workbook_has_indonesian_headers_labels_rupiah_dates_and_a_total(meeting, client_for):
    client = client_for(meeting["64"], "manager")
    sheet = workbook_of(client.get("/api/assets/", {"format": "xlsx"})).worksheets[0]
    header = [cell.value for cell in sheet[1]]
    assert header[:5] == ["ID", "Kode instansi", "ID lokasi", "Jenis", "Nama"]
    rows = headed(sheet)
    router = next(row for row in rows if row["Nama"] == "Router 64.01")
    assert router["Jenis"] == "Router/switch" and router["Status"] == "Beroperasi"  # labels, not codes
    assert isinstance(router["Akhir masa pakai"], datetime)  # a real date, as openpyxl reads one back
    money = header.index("Harga perolehan (Rp)") + 1
    assert sheet.cell(2, money).number_format == '"Rp" #,##0'
    assert sheet.cell(2, header.index("Akhir masa pakai") + 1).number_format == "d mmmm yyyy"
    total = rows[-1]
    assert total["ID"] == "Jumlah" and total["Harga perolehan (Rp)"] == 51_000_000  # 63.01's router not in
    assert sheet.column_dimensions["E"].width >= len("Router 64.01")


def test_csv_is_semicolon_by_default_and_comma_when_asked_with_decimals_to_match(meeting, client_for):
    client = client_for(meeting["64.01"], "manager")
    semicolon = client.get("/api/monitoring/availability/", {"format": "csv", "group_by": "agency"})
    assert semicolon["Content-Type"].startswith("text/csv") and "attachment" in semicolon["Content-Disposition"]
    [row, total] = read_csv(semicolon.content)
    assert "," in row["Ketersediaan"] and "." not in row["Ketersediaan"]  # 0,97..: a decimal comma
    assert total["Kunci"] == "Jumlah" and total["Jumlah gangguan"] == "1"
    comma = client.get("/api/monitoring/availability/", {"format": "csv", "group_by": "agency", "delimiter": "comma"})
    [row, _total] = read_csv(comma.content, delimiter=",")
    assert "." in row["Ketersediaan"]
    bad = client.get("/api/sites/", {"format": "csv", "delimiter": "tab"})
    assert bad.status_code == 400 and "delimiter" in bad.json()


def test_formulas_are_neutralised_in_csv_and_xlsx(tree, client_for):
    tree["64.01"].name = '=HYPERLINK("http://evil")'
    tree["64.01"].save()
    factories.asset(tree["64.01"], name="+SUM(A1)", notes="@cmd")
    client = client_for(tree["64.01"], "procurement")
    [row, _total] = read_csv(client.get("/api/assets/", {"format": "csv"}).content)
    assert (row["Nama"], row["Catatan"]) == ("'+SUM(A1)", "'@cmd")
    sheet = workbook_of(client.get("/api/gaps/", {"format": "xlsx"}))["Ringkasan"]
    assert sheet.cell(2, 2).value.startswith("'=") and sheet.cell(2, 2).data_type != "f"


def test_gap_workbook_has_a_summary_and_a_sheet_per_agency_with_subscriptions_apart(tree, client_for):
    StandardItem.objects.all().delete()
    StandardItem.objects.create(level="regency", kind="router", required=1, unit_cost_idr=4_000_000)
    StandardItem.objects.create(
        level="regency", kind="internet_link", link_role="primary", required=1, unit_cost_idr=12_000_000
    )
    client = client_for(tree["64"], "procurement")
    workbook = workbook_of(client.get("/api/gaps/", {"format": "xlsx", "horizon_days": 0}))
    assert workbook.sheetnames == ["Ringkasan", "64.01 BPBD 64.01"]  # only a regency has lines; never 63.01
    summary = headed(workbook["Ringkasan"])
    assert summary[-1]["Kode instansi"] == "Jumlah"
    assert summary[-1]["Beli dan perpanjang (Rp)"] == 4_000_000
    assert summary[-1]["Langganan per tahun (Rp)"] == 12_000_000
    lines = headed(workbook["64.01 BPBD 64.01"])
    assert [line["Kebutuhan"] for line in lines[:-1]] == ["Link internet (utama)", "Router/switch"]
    assert (lines[0]["Beli dan perpanjang (Rp)"], lines[0]["Langganan per tahun (Rp)"]) == (0, 12_000_000)
    assert workbook["64.01 BPBD 64.01"].cell(2, 11).number_format == '"Rp" #,##0'
    rows = read_csv(client.get("/api/gaps/", {"format": "csv", "horizon_days": 0}).content)
    assert {row["Kode instansi"] for row in rows} == {"64.01", "Jumlah"}


@pytest.mark.parametrize(
    "path, offered",
    [
        ("/api/sites/", "json, csv, xlsx"),
        ("/api/gaps/", "json, csv, xlsx"),
        ("/api/reports/monthly/", "json, xlsx"),
        ("/api/agencies/", "json"),
    ],
)
def test_a_format_not_offered_is_a_406_naming_those_that_are(tree, client_for, path, offered):
    response = client_for(tree["64"], "manager").get(path, {"format": "docx"}, HTTP_ACCEPT_LANGUAGE="id")
    assert response.status_code == 406
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": f"Format docx tidak tersedia di sini; yang tersedia: {offered}."}


def test_the_api_root_lists_every_app(tree, client_for):
    root = client_for(tree["64"], "manager").get("/api/").json()
    for name in (
        "sites",
        "assets",
        "expiries",
        "gaps",
        "alerts/alerts",
        "alerts/rules",
        "monitoring/status",
        "monitoring/availability",
        "maintenance/work-orders",
        "maintenance/metrics",
        "reports/monthly",
        "reports/dashboard",
    ):
        assert root[name].endswith(f"/api/{name}/")


def test_stock_below_its_minimum_is_a_gap_with_its_cost_in_the_report_the_page_and_the_workbook(
    tree, client_for, client
):
    from decimal import Decimal

    from assets import stock
    from assets.models import StockItem

    StandardItem.objects.all().delete()  # only the stock is missing here
    paser, foreign = tree["64.01"], tree["63.01"]
    by = factories.user(paser, "procurement")
    warehouse = factories.site(paser, name="Gudang Logistik", kind="warehouse")
    short = StockItem.objects.create(
        agency=paser,
        site=warehouse,
        name="Baterai HT",
        kind="vhf_radio",
        unit="buah",
        minimum=10,
        unit_cost_idr=350_000,
    )
    stock.stock_receive(item=short, quantity=Decimal(4), by=by)
    StockItem.objects.create(agency=paser, site=warehouse, name="Kabel RG-8", unit="meter", minimum=0)  # no minimum
    elsewhere = factories.site(foreign, name="Gudang Tetangga", kind="warehouse")
    StockItem.objects.create(agency=foreign, site=elsewhere, name="Baterai asing", minimum=5, unit_cost_idr=1)

    client = client_for(tree["64"], "procurement")
    data = client.get("/api/gaps/", {"horizon_days": 0}).json()
    assert [(r["agency"], r["item"], r["shortfall"], r["cost_idr"]) for r in data["restock"]] == [
        ("64.01", "Baterai HT", "6.00", 6 * 350_000)
    ]  # the other province's shelf never shows
    assert {t["agency"]: t["cost_idr"] for t in data["totals"]} == {"64.01": 2_100_000}
    assert data["total_cost_idr"] == 2_100_000
    assert client.get("/api/gaps/", {"horizon_days": 0, "kind": "router"}).json()["restock"] == []

    lines = headed(workbook_of(client.get("/api/gaps/", {"format": "xlsx", "horizon_days": 0}))["64.01 BPBD 64.01"])
    assert (lines[0]["Kebutuhan"], lines[0]["Nama"], lines[0]["Perlu"], lines[0]["Beli dan perpanjang (Rp)"]) == (
        "Stok di bawah minimum",
        "Baterai HT (Gudang Logistik)",
        6,
        2_100_000,
    )

    client.force_login(factories.user(tree["64"], "procurement"))
    html = client.get("/procurement/gaps/", {"horizon_days": "0"}).content.decode()
    assert "Baterai HT di Gudang Logistik: ada 4 dari minimum 10 buah" in html
    assert "Rp 2.100.000" in html


def test_an_export_refuses_a_malformed_page_as_the_json_list_does(tree, client_for):
    """Found by schemathesis: a file carries every row, so its page was never read, and a negative page size
    was accepted where the schema says it is invalid."""
    client = client_for(tree["64"], "manager")
    refused = client.get("/api/monitoring/status/", {"format": "csv", "page_size": "-4538"})
    assert refused.status_code == 400 and "page_size" in refused.json()
    assert client.get("/api/monitoring/status/", {"format": "csv", "page": "0"}).status_code == 404
    assert client.get("/api/monitoring/status/", {"format": "csv", "page": ""}).status_code == 200
