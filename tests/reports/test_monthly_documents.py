"""The monthly report's PDF and XLSX read as official documents: text extracted and checked, cells read back."""

import io
import re
import shutil
import subprocess
from datetime import date, datetime

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from tests.e2e.conftest import ARTIFACTS
from tests.reports.october import build_october
from tests.reports.test_monthly_api import pdf_text

URL = "/api/reports/monthly/64.01/"


@pytest.fixture
def october(tree):
    return build_october(tree)


def get_file(client, fmt: str) -> bytes:
    response = client.get(URL, {"month": "2025-10", "format": fmt})
    assert response.status_code == 200, response.content[:300]
    return response.content


def test_pdf_reads_as_an_official_letter(october, client_for):
    pdf = get_file(client_for(october["paser"], "manager"), "pdf")
    text = " ".join(pdf_text(pdf).split())  # one line: a table cell may wrap anywhere
    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    # kop, title, and the month in words
    assert "BPBD KABUPATEN PASER" in text and "Telepon 0543 21000" in text and "pusdalops@paser.go.id" in text
    assert "LAPORAN BULANAN JARINGAN KOMUNIKASI PUSDALOPS PB" in text and "Bulan Oktober 2025" in text
    # the deadline is the 10th, not "11 ... 00:00"; moments in WITA words; state in words
    assert "Batas kirim 10 November 2025" in text
    assert "Diterima, dikirim 8 November 2025 09.00 WITA, diterima 12 November 2025 14.00 WITA" in text
    # the outage clipped to October (21.45 to midnight), its cause as written, without a formula quote
    assert "31 Oktober 2025 21.45" in text and "2 jam 15 menit" in text and "=HYPERLINK(1)" in text
    assert "'=" not in text
    assert "Router/switch" in text  # kinds by their names, not codes
    # maintenance done, gaps with money, licence dates in words
    assert "Ganti adaptor daya" in text and "14 Oktober 2025 10.30 WITA" in text and "Agus Salim" in text
    assert re.search(r"Radio HF 1 0 0 1 Rp 95\.000\.000", text)
    assert "640155" in text and "20 Oktober 2025" in text
    assert "Router diganti adaptornya." in text
    # signature block with names and dates, and page numbers on every page
    assert "Dibuat oleh," in text and "Mengetahui," in text
    assert "Rina Lestari" in text and "Budi Santoso" in text and "Tanggal 12 November 2025" in text
    assert [f"Halaman {n} dari {pages}" in text for n in range(1, pages + 1)] == [True] * pages
    # no Python, no ISO, no raw codes
    assert "None" not in text and not re.search(r"\d{4}-\d{2}-\d{2}", text)
    assert not re.search(r"\b(down|up|on_time|not_started|corrective|router|vhf_radio)\b", text)

    if shutil.which("pdftoppm"):  # apt-get install poppler-utils (.ci/run installs it)
        ARTIFACTS.mkdir(exist_ok=True)
        target = ARTIFACTS / "monthly-report-pdf-page1"
        subprocess.run(
            ["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile", "-", str(target)],
            input=pdf,
            check=True,
            timeout=60,
        )
        assert target.with_suffix(".png").stat().st_size > 10_000


def test_an_unsent_report_leaves_the_signature_lines_blank_and_says_there_are_no_notes(tree, client_for):
    october = build_october(tree, submitted=False)
    text = " ".join(pdf_text(get_file(client_for(october["paser"], "manager"), "pdf")).split())
    assert "Status Terlambat" in text  # nothing sent and the 10th has passed
    assert "Tidak ada catatan." in text and "Tanggal ......" in text and "None" not in text


def test_xlsx_has_indonesian_headers_real_dates_rupiah_and_a_frozen_header(october, client_for):
    workbook = load_workbook(io.BytesIO(get_file(client_for(october["paser"], "manager"), "xlsx")))
    assert workbook.sheetnames == [
        "ringkasan",
        "ketersediaan",
        "gangguan",
        "pemeliharaan",
        "apel_radio",
        "kekurangan",
        "perpanjangan",
        "isr_kedaluwarsa",
        "akan_berakhir",
    ]
    summary = {row[0]: row[1] for row in workbook["ringkasan"].iter_rows(values_only=True)}
    assert summary["Batas kirim"] == datetime(2025, 11, 10) and summary["Bulan"] == "Oktober 2025"
    assert summary["Catatan instansi"].startswith("Router diganti")

    outages = workbook["gangguan"]
    assert [c.value for c in outages[1]] == [
        "Aset",
        "Jenis",
        "Mulai",
        "Selesai",
        "Durasi dalam bulan (menit)",
        "Penyebab",
    ]
    assert outages.freeze_panes == "A2" and outages.column_dimensions["A"].width >= 12
    [row] = list(outages.iter_rows(min_row=2))
    assert row[2].value == datetime(2025, 10, 31, 21, 45) and row[2].number_format == "DD/MM/YYYY HH:MM"
    assert row[4].value == 135 and row[5].value == "'=HYPERLINK(1)"  # the formula escape belongs here

    gaps = workbook["kekurangan"]
    header = [c.value for c in gaps[1]]
    assert header[-1] == "Perkiraan biaya" and gaps.freeze_panes == "A2"
    cost = next(r[-1] for r in gaps.iter_rows(min_row=2) if r[0].value == "Radio HF")
    assert cost.value == 95_000_000 and cost.number_format == '"Rp" #,##0'
    licences = workbook["isr_kedaluwarsa"]
    assert [c.value for c in licences[2]] == ["Radio VHF base", "640155", datetime(2025, 10, 20)]
    assert licences.cell(2, 3).number_format == "DD/MM/YYYY"
    work = list(workbook["pemeliharaan"].iter_rows(min_row=2, values_only=True))
    assert work == [
        (datetime(2025, 10, 14, 10, 30), "Korektif", "Ganti adaptor daya", "Router Pusdalops", "Agus Salim")
    ]


def test_the_json_carries_the_same_figures(october, client_for):
    data = client_for(october["paser"], "manager").get(URL, {"month": "2025-10"}).json()
    assert data["due_on"] == date(2025, 11, 10).isoformat() and data["state"] == "accepted"
    assert [o["duration_min"] for o in data["outages"]] == [135]
    assert data["submitted_by"] == "Rina Lestari" and data["acknowledged_by"] == "Budi Santoso"
