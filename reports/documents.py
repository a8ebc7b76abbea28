"""The monthly report as files: XLSX (one sheet per section) and PDF (a printable page for the archive)."""

from datetime import datetime

from django.utils import timezone
from fpdf import FPDF
from openpyxl import Workbook

from simpul.exports import add_sheet, neutralise, workbook_bytes


def _cell(value):
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M WITA")
    return neutralise(value)


def _percent(value) -> str:
    return "-" if value is None else f"{value * 100:.2f}%"


def _summary(data: dict) -> list[tuple[str, object]]:
    m = data["maintenance"]
    return [
        ("Instansi", f"{data['agency']} {data['agency_name']}"),
        ("Bulan", data["month"]),
        ("Batas kirim", data["deadline"]),
        ("Status", data["status"]),
        ("Ketersediaan jaringan", _percent(data["availability"])),
        ("Jumlah gangguan", len(data["outages"])),
        ("Perbaikan selesai", m["repairs"]),
        ("Preventif tepat waktu", f"{m['pm_on_time']} / {m['pm_due']}"),
        ("Perintah kerja terbuka / lewat tenggat", f"{m['open']} / {m['overdue']}"),
        ("Biaya pemeliharaan (Rp)", m["cost_idr"]),
        ("Kebutuhan pengadaan dan perpanjangan (Rp)", data["gap_cost_idr"]),
        ("Radio memancar dengan ISR kedaluwarsa", len(data["expired_licence_radios"])),
        ("Akan berakhir dalam 90 hari", len(data["lapsing"])),
    ]


def report_xlsx(data: dict) -> bytes:
    workbook = Workbook()
    summary = workbook.active
    summary.title = "ringkasan"
    for label, value in _summary(data):
        summary.append([label, _cell(value)])
    for title, rows in (
        ("ketersediaan", data["availability_by_kind"]),
        ("gangguan", data["outages"]),
        ("kesenjangan", data["gaps"]),
        ("perpanjangan", data["renewals"]),
        ("isr_kedaluwarsa", data["expired_licence_radios"]),
        ("akan_berakhir", data["lapsing"]),
    ):
        add_sheet(workbook, title, rows, cell=_cell)
    return workbook_bytes(workbook)


def _latin1(text) -> str:
    """The PDF core fonts speak Latin-1; anything else is replaced rather than breaking the document."""
    return str(text).encode("latin-1", "replace").decode("latin-1")


def report_pdf(data: dict) -> bytes:
    pdf = FPDF(orientation="P", unit="mm", format="A4")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 14)
    pdf.cell(
        0, 8, _latin1(f"Laporan Bulanan Jaringan Komunikasi - {data['agency_name']}"), new_x="LMARGIN", new_y="NEXT"
    )
    pdf.set_font("Helvetica", "", 10)
    for label, value in _summary(data):
        pdf.cell(70, 6, _latin1(label))
        pdf.cell(0, 6, _latin1(_cell(value)), new_x="LMARGIN", new_y="NEXT")
    sections = [
        ("Gangguan", ["asset", "started_at", "duration_min", "cause"], data["outages"]),
        (
            "Kesenjangan terhadap standar",
            ["kind", "link_role", "required", "working", "to_buy", "cost_idr"],
            data["gaps"],
        ),
        (
            "Radio memancar dengan ISR kedaluwarsa",
            ["name", "licence_number", "valid_until"],
            data["expired_licence_radios"],
        ),
        ("Akan berakhir dalam 90 hari", ["kind", "subject", "lapses_on", "act_by", "cost_idr"], data["lapsing"]),
    ]
    for title, columns, rows in sections:
        pdf.ln(4)
        pdf.set_font("Helvetica", "B", 11)
        pdf.cell(0, 7, _latin1(title), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", "", 8)
        if not rows:
            pdf.cell(0, 5, "-", new_x="LMARGIN", new_y="NEXT")
            continue
        with pdf.table(first_row_as_headings=True) as table:
            table.row([_latin1(c) for c in columns])
            for row in rows:
                table.row([_latin1(_cell(row[c])) for c in columns])
    return bytes(pdf.output())
