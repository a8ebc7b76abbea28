"""Monthly reports: content, XLSX/PDF, submission and acknowledgement by the right people."""

import io
import re
from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from monitoring.models import AssetState, Outage
from reports.deadlines import WITA, month_bounds, previous_month
from reports.models import MonthlyReport
from simpul import formats
from tests import factories

LAST_MONTH = previous_month(timezone.localdate())


@pytest.fixture
def paser_with_history(tree):
    paser = tree["64.01"]
    asset = factories.asset(paser, kind="router", name="Router Paser")
    start, _end = month_bounds(LAST_MONTH)
    AssetState.objects.create(asset=asset, state="up", monitored_since=start - timedelta(days=1))
    Outage.objects.create(
        asset=asset, started_at=start + timedelta(days=2), ended_at=start + timedelta(days=2, hours=3), cause="no reply"
    )
    return paser


def test_report_content_and_files(paser_with_history, client_for):
    client = client_for(paser_with_history, "manager")
    month = LAST_MONTH.strftime("%Y-%m")
    data = client.get("/api/reports/monthly/64.01/", {"month": month}).json()
    assert data["status"] in {"pending", "missing"} and len(data["outages"]) == 1
    assert data["outages"][0]["duration_min"] == 180
    start, end = month_bounds(LAST_MONTH)
    assert data["availability"] == pytest.approx(1 - 3 * 3600 / (end - start).total_seconds(), abs=1e-6)
    xlsx = client.get("/api/reports/monthly/64.01/", {"month": month, "format": "xlsx"})
    assert xlsx.status_code == 200 and "ringkasan" in load_workbook(io.BytesIO(xlsx.content)).sheetnames
    pdf = client.get("/api/reports/monthly/64.01/", {"month": month, "format": "pdf"})
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF") and pdf["Content-Type"] == "application/pdf"


def test_submit_then_acknowledge(tree, client_for):
    month = LAST_MONTH.strftime("%Y-%m")
    regency = client_for(tree["64.01"], "manager")
    response = regency.post(f"/api/reports/monthly/64.01/submit/?month={month}", {"notes": "Lengkap"}, format="json")
    assert response.status_code == 200 and response.json()["status"] in {"on_time", "late"}
    assert regency.post(f"/api/reports/monthly/64.01/acknowledge/?month={month}").status_code == 403  # not its own
    province = client_for(tree["64"], "manager")
    statuses = {row["agency"]: row["status"] for row in province.get("/api/reports/monthly/", {"month": month}).json()}
    assert statuses["64.01"] in {"on_time", "late"} and statuses["64.72"] in {"missing", "pending"}
    assert province.post(f"/api/reports/monthly/64.01/acknowledge/?month={month}").status_code == 200
    report = MonthlyReport.objects.get()
    assert report.acknowledged_by == province.user and report.notes == "Lengkap"
    assert province.post(f"/api/reports/monthly/64.72/acknowledge/?month={month}").status_code == 400  # not sent


def test_who_may_submit(tree, client_for):
    month = LAST_MONTH.strftime("%Y-%m")
    assert (
        client_for(tree["64.01"], "procurement").post(f"/api/reports/monthly/64.01/submit/?month={month}").status_code
        == 403
    )
    assert (
        client_for(tree["64"], "manager").post(f"/api/reports/monthly/64.01/submit/?month={month}").status_code == 403
    )
    assert (
        client_for(tree["64.72"], "manager").post(f"/api/reports/monthly/64.01/submit/?month={month}").status_code
        == 404
    )
    this_month = timezone.localdate().strftime("%Y-%m")
    early = client_for(tree["64.01"], "manager").post(f"/api/reports/monthly/64.01/submit/?month={this_month}")
    assert early.status_code == 400 and "month" in early.json()
    assert client_for(tree["64.01"], "manager").get("/api/reports/monthly/", {"month": "2026-13"}).status_code == 400


def pdf_text(pdf: bytes) -> str:
    """The text a person reads in the PDF, page after page (pypdf's extraction, as a copy from a viewer)."""
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def outage_rows(client, month: str) -> dict[str, dict]:
    """The outage rows of one month's report as the JSON, the XLSX and the PDF show them: asset -> minutes."""
    url = "/api/reports/monthly/64.01/"
    data = client.get(url, {"month": month}).json()
    sheet = load_workbook(io.BytesIO(client.get(url, {"month": month, "format": "xlsx"}).content))["gangguan"]
    header, *rows = list(sheet.iter_rows(values_only=True))
    text = pdf_text(client.get(url, {"month": month, "format": "pdf"}).content)
    return {
        "json": {o["asset"]: o["duration_min"] for o in data["outages"]},
        "xlsx": {row[header.index("Aset")]: row[header.index("Durasi dalam bulan (menit)")] for row in rows},
        "pdf": dict(PDF_OUTAGE.findall(" ".join(text.split()).split("Gangguan pada bulan ini")[1])),
    }


# An outage row of the PDF: asset and kind, start, end ("masih berlangsung" if open), duration within the month.
PDF_OUTAGE = re.compile(
    r"(Router|UPS) (?:Router/switch|UPS) .*?(?:WITA|berlangsung) (\d+ (?:hari|jam|menit)(?: \d+ (?:jam|menit))*)"
)


def test_an_outage_across_a_month_boundary_counts_its_minutes_in_each_month(tree, client_for):
    """23:30 WITA on 31 October to 00:30 WITA on 1 November: 30 minutes in each report, not 60 in both."""
    paser = tree["64.01"]
    router = factories.asset(paser, kind="router", name="Router")
    AssetState.objects.create(asset=router, state="up", monitored_since=datetime(2025, 9, 1, tzinfo=WITA))
    Outage.objects.create(
        asset=router,
        started_at=datetime(2025, 10, 31, 23, 30, tzinfo=WITA),
        ended_at=datetime(2025, 11, 1, 0, 30, tzinfo=WITA),
    )
    client = client_for(paser, "manager")
    for month in ("2025-10", "2025-11"):
        assert outage_rows(client, month) == {
            "json": {"Router": 30},
            "xlsx": {"Router": 30},
            "pdf": {"Router": "30 menit"},
        }
        start, end = month_bounds(date.fromisoformat(f"{month}-01"))
        availability = client.get("/api/reports/monthly/64.01/", {"month": month}).json()["availability"]
        assert availability == pytest.approx(1 - 30 * 60 / (end - start).total_seconds(), abs=1e-6)
    assert outage_rows(client, "2025-12")["json"] == {}


def test_an_open_outage_from_last_month_counts_from_the_first_of_this_month_until_now(tree, client_for):
    paser = tree["64.01"]
    ups = factories.asset(paser, kind="ups", name="UPS")
    this_month = timezone.localdate().replace(day=1)
    first, _end = month_bounds(this_month)
    AssetState.objects.create(asset=ups, state="down", monitored_since=first - timedelta(days=40))
    Outage.objects.create(asset=ups, started_at=first - timedelta(hours=2))
    client = client_for(paser, "manager")
    assert outage_rows(client, LAST_MONTH.strftime("%Y-%m"))["json"] == {"UPS": 120}
    so_far = round((timezone.now() - first).total_seconds() / 60)
    rows = outage_rows(client, this_month.strftime("%Y-%m"))
    for minutes in (rows["json"], rows["xlsx"]):
        assert minutes["UPS"] == pytest.approx(so_far, abs=1)
    assert rows["pdf"]["UPS"] == formats.duration(so_far * 60)
