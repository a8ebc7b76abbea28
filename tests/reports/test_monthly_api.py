"""Monthly reports: content, XLSX/PDF, submission and acknowledgement by the right people."""

import io
from datetime import timedelta

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from monitoring.models import AssetState, Outage
from reports.deadlines import month_bounds, previous_month
from reports.models import MonthlyReport
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
