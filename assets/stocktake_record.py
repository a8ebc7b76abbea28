"""The stocktake's record (berita acara inventarisasi) as a printable PDF: what the register expected, what was
found where and in which condition, what was not found, and the signature block (dibuat oleh / mengetahui)."""

from django.utils import timezone
from django.utils.formats import date_format
from fpdf import FPDF

from assets.labels import latin1
from assets.models import Stocktake


def _moment(value) -> str:
    return f"{date_format(timezone.localtime(value), 'j F Y H.i')} WITA" if value else "-"


def stocktake_record_pdf(stocktake: Stocktake) -> bytes:
    place = stocktake.site.name if stocktake.site else stocktake.agency.name
    closed = f"{_moment(stocktake.closed_at)} oleh {stocktake.closed_by.username}" if stocktake.closed_by else "-"
    counter = stocktake.closed_by or stocktake.opened_by
    pdf = FPDF(orientation="P", unit="mm", format="A4")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 12)
    pdf.cell(0, 7, latin1(stocktake.agency.name.upper()), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.cell(0, 7, latin1(f"BERITA ACARA INVENTARISASI ASET - {place}"), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 10)
    pdf.cell(0, 6, latin1(f"Nomor inventarisasi: {stocktake.pk}"), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    for label, value in (
        ("Dibuka", f"{_moment(stocktake.opened_at)} oleh {stocktake.opened_by.username}"),
        ("Ditutup", closed),
        ("Status", stocktake.get_status_display()),
    ):
        pdf.cell(35, 6, latin1(label))
        pdf.cell(0, 6, latin1(value), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    lines = stocktake.lines.select_related("asset", "expected_site", "found_site").order_by("result", "asset__name")
    pdf.set_font("Helvetica", "", 8)
    with pdf.table(first_row_as_headings=True, col_widths=(44, 26, 30, 30, 20, 40)) as table:
        table.row(["Aset", "No. inventaris", "Tercatat di", "Hasil", "Kondisi", "Ditemukan di / catatan"])
        for line in lines:
            found = " - ".join(part for part in (line.found_site.name if line.found_site else "", line.note) if part)
            table.row(
                [
                    latin1(line.asset.name),
                    latin1(line.asset.tag or "-"),
                    latin1(line.expected_site.name if line.expected_site else "-"),
                    latin1(line.get_result_display()),
                    latin1(line.get_condition_display() or "-"),
                    latin1(found or "-"),
                ]
            )
    pdf.ln(12)
    pdf.set_font("Helvetica", "", 10)
    y = pdf.get_y()
    signatures = (
        (20, "Dibuat oleh,", "Petugas inventarisasi", counter.get_full_name() or counter.username),
        (120, "Mengetahui,", "Kepala Pelaksana BPBD", "(........................)"),
    )
    for x, title, role, name in signatures:
        pdf.set_xy(x, y)
        pdf.cell(70, 6, latin1(title), new_x="LEFT", new_y="NEXT")
        pdf.cell(70, 6, latin1(role), new_x="LEFT", new_y="NEXT")
        pdf.ln(20)
        pdf.set_x(x)
        pdf.cell(70, 6, latin1(name))
    return bytes(pdf.output())
