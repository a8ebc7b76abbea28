"""An export never fails because of one row: text a workbook cannot hold is written as U+FFFD, in XLSX and CSV."""

import csv
import io
from datetime import timedelta

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from monitoring.models import AssetState, Outage
from reports.deadlines import month_bounds, previous_month
from tests import factories

# Characters XML 1.0 cannot carry: openpyxl raises IllegalCharacterError on the controls; U+FFFF it would
# write into a file that spreadsheet programs refuse to open.
HOSTILE = ["Radio\u000bPusdalops", "Router\x08", "Repeater\x1f", "Link\uffff"]


def _sheet_rows(content: bytes, title: str = "data") -> list[dict]:
    sheet = load_workbook(io.BytesIO(content))[title]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


@pytest.mark.parametrize("name", HOSTILE)
def test_asset_export_writes_the_row_of_a_name_with_a_control_character(tree, client_for, name):
    factories.asset(tree["64.01"], name=name)
    factories.asset(tree["64.01"], name="Router Biasa")
    province = client_for(tree["64"], "manager")
    xlsx = province.get("/api/assets/", {"format": "xlsx"})
    assert xlsx.status_code == 200
    names = {row["name"] for row in _sheet_rows(xlsx.content)}
    clean = "".join("\ufffd" if char in "\x08\x0b\x1f\uffff" else char for char in name)
    assert names == {clean, "Router Biasa"}
    exported = province.get("/api/assets/", {"format": "csv"})
    assert exported.status_code == 200
    rows = list(csv.DictReader(io.StringIO(exported.content.decode("utf-8-sig"))))
    assert {row["name"] for row in rows} == {clean, "Router Biasa"}


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
    assert [row["asset"] for row in _sheet_rows(response.content, "gangguan")] == ["Radio\ufffdPusdalops"]
