"""The stocktake's record (berita acara inventarisasi) as a printable PDF and as a workbook: what the register
expected, what was found where and in which condition, what was not found, and the signature block (dibuat
oleh / mengetahui) with the manager's sign-off once given, or that it still awaits it. Always in Indonesian:
it is an official letter."""

from django.utils import translation
from fpdf import FPDF
from openpyxl import Workbook
from openpyxl.styles import Font

from assets.labels import latin1
from assets.models import Stocktake, StocktakeLine
from simpul import formats
from simpul.exports import MOMENT, Column, Sheet, neutralise, workbook_bytes, write_sheet

AWAITING = "Menunggu pengesahan (mengetahui) manajer"
LINE_COLUMNS = (
    Column("asset", "Aset"),
    Column("tag", "No. inventaris"),
    Column("expected_site", "Tercatat di"),
    Column("result", "Hasil"),
    Column("condition", "Kondisi"),
    Column("found_site", "Ditemukan di"),
    Column("note", "Catatan"),
    Column("photo", "Foto"),
    Column("marked_by", "Diperiksa oleh"),
    Column("marked_at", "Waktu diperiksa (WITA)", MOMENT),
)


def _facts(stocktake: Stocktake) -> list[tuple[str, str]]:
    """The record's heading facts, the same in both documents."""
    closed = (
        f"{formats.moment(stocktake.closed_at)} oleh {formats.person(stocktake.closed_by)}"
        if stocktake.closed_by
        else "-"
    )
    signed = (
        f"{formats.moment(stocktake.signed_at)} oleh {formats.person(stocktake.signed_by)}"
        if stocktake.signed_by
        else AWAITING
    )
    return [
        ("Instansi", stocktake.agency.name),
        ("Lokasi", stocktake.site.name if stocktake.site else "Semua lokasi instansi"),
        ("Nomor inventarisasi", str(stocktake.pk)),
        ("Dibuka", f"{formats.moment(stocktake.opened_at)} oleh {formats.person(stocktake.opened_by)}"),
        ("Ditutup", closed),
        ("Mengetahui", signed),
    ]


def _lines(stocktake: Stocktake) -> list[StocktakeLine]:
    return list(
        stocktake.lines.select_related("asset", "expected_site", "found_site", "marked_by").order_by(
            "result", "asset__name"
        )
    )


def _row(line: StocktakeLine) -> dict:
    """A line as the workbook holds it: what is absent stays an empty cell."""
    return {
        "asset": line.asset.name,
        "tag": line.asset.tag,
        "expected_site": line.expected_site.name if line.expected_site else None,
        "result": line.get_result_display(),
        "condition": line.get_condition_display(),
        "found_site": line.found_site.name if line.found_site else None,
        "note": line.note,
        "photo": "Ada" if line.photo else None,
        "marked_by": line.marked_by.username if line.marked_by else None,
        "marked_at": line.marked_at,
    }


def stocktake_record_pdf(stocktake: Stocktake) -> bytes:
    with translation.override("id"):
        return _pdf(stocktake)


def _pdf(stocktake: Stocktake) -> bytes:
    place = stocktake.site.name if stocktake.site else stocktake.agency.name
    pdf = FPDF(orientation="P", unit="mm", format="A4")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 12)
    pdf.cell(0, 7, latin1(stocktake.agency.name.upper()), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.cell(0, 7, latin1(f"BERITA ACARA INVENTARISASI ASET - {place}"), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    pdf.set_font("Helvetica", "", 10)
    for label, value in _facts(stocktake):
        pdf.cell(40, 6, latin1(label))
        pdf.cell(0, 6, latin1(value), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    pdf.set_font("Helvetica", "", 8)
    with pdf.table(first_row_as_headings=True, col_widths=(44, 26, 30, 30, 20, 40)) as table:
        table.row(["Aset", "No. inventaris", "Tercatat di", "Hasil", "Kondisi", "Ditemukan di / catatan"])
        for line in _lines(stocktake):
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
    counter = stocktake.closed_by or stocktake.opened_by
    signer = stocktake.signed_by
    signatures = (
        (20, "Dibuat oleh,", "Petugas inventarisasi", formats.person(counter), ""),
        (
            120,
            "Mengetahui,",
            "Kepala Pelaksana BPBD",
            formats.person(signer) if signer else "(........................)",
            f"Disahkan {formats.moment(stocktake.signed_at)}" if signer else AWAITING,
        ),
    )
    for x, title, role, name, when in signatures:
        pdf.set_xy(x, y)
        pdf.cell(80, 6, latin1(title), new_x="LEFT", new_y="NEXT")
        pdf.cell(80, 6, latin1(role), new_x="LEFT", new_y="NEXT")
        pdf.ln(20)
        pdf.set_x(x)
        pdf.cell(80, 6, latin1(name), new_x="LEFT", new_y="NEXT")
        pdf.set_font("Helvetica", "I", 8)
        pdf.cell(80, 5, latin1(when))
        pdf.set_font("Helvetica", "", 10)
    return bytes(pdf.output())


def stocktake_record_xlsx(stocktake: Stocktake) -> bytes:
    """A first sheet with the record's facts and counts, and a sheet of every line (simpul.exports' format)."""
    with translation.override("id"):
        lines = _lines(stocktake)
        workbook = Workbook()
        summary = workbook.active
        summary.title = "Berita acara"
        summary.append(["BERITA ACARA INVENTARISASI ASET"])
        summary["A1"].font = Font(bold=True, size=12)
        for label, value in _facts(stocktake):
            summary.append([label, neutralise(value)])
        summary.append([])
        summary.append(["Hasil", "Jumlah aset"])
        summary.cell(summary.max_row, 1).font = summary.cell(summary.max_row, 2).font = Font(bold=True)
        for result in dict.fromkeys(line.get_result_display() for line in lines):
            summary.append([result, sum(1 for line in lines if line.get_result_display() == result)])
        summary.append(["Jumlah", len(lines)])
        summary.column_dimensions["A"].width, summary.column_dimensions["B"].width = 24, 60
        for (cell,) in summary.iter_rows(min_row=2, max_col=1):
            cell.font = Font(bold=True)
        write_sheet(workbook, Sheet("Aset", LINE_COLUMNS, [_row(line) for line in lines], totals=False))
        return workbook_bytes(workbook)
