"""The stocktake's record (berita acara inventarisasi) as a printable PDF: what the register expected, what was
found where and in which condition, what was not found, and the signature block (dibuat oleh / mengetahui)."""

from django.utils.translation import gettext as _
from fpdf import FPDF

from assets.labels import latin1
from assets.models import Stocktake
from simpul import formats


def _by(moment, user) -> str:
    return _("%(when)s oleh %(who)s") % {"when": formats.moment(moment), "who": user.username}


def stocktake_record_pdf(stocktake: Stocktake) -> bytes:
    place = stocktake.site.name if stocktake.site else stocktake.agency.name
    closed = _by(stocktake.closed_at, stocktake.closed_by) if stocktake.closed_by else formats.EMPTY
    counter = stocktake.closed_by or stocktake.opened_by
    pdf = FPDF(orientation="P", unit="mm", format="A4")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 12)
    pdf.cell(0, 7, latin1(stocktake.agency.name.upper()), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.cell(
        0,
        7,
        latin1(_("BERITA ACARA INVENTARISASI ASET - %(place)s") % {"place": place}),
        align="C",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.set_font("Helvetica", "", 10)
    pdf.cell(
        0,
        6,
        latin1(_("Nomor inventarisasi: %(number)s") % {"number": stocktake.pk}),
        align="C",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.ln(3)
    for label, value in (
        (_("Dibuka"), _by(stocktake.opened_at, stocktake.opened_by)),
        (_("Ditutup"), closed),
        (_("Status"), stocktake.get_status_display()),
    ):
        pdf.cell(35, 6, latin1(label))
        pdf.cell(0, 6, latin1(value), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    lines = stocktake.lines.select_related("asset", "expected_site", "found_site").order_by("result", "asset__name")
    pdf.set_font("Helvetica", "", 8)
    with pdf.table(first_row_as_headings=True, col_widths=(44, 26, 30, 30, 20, 40)) as table:
        headers = (
            _("Aset"),
            _("No. inventaris"),
            _("Tercatat di"),
            _("Hasil"),
            _("Kondisi"),
            _("Ditemukan di / catatan"),
        )
        table.row([latin1(header) for header in headers])
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
        (20, _("Dibuat oleh,"), _("Petugas inventarisasi"), counter.get_full_name() or counter.username),
        (120, _("Mengetahui,"), _("Kepala Pelaksana BPBD"), "(........................)"),
    )
    for x, title, role, name in signatures:
        pdf.set_xy(x, y)
        pdf.cell(70, 6, latin1(title), new_x="LEFT", new_y="NEXT")
        pdf.cell(70, 6, latin1(role), new_x="LEFT", new_y="NEXT")
        pdf.ln(20)
        pdf.set_x(x)
        pdf.cell(70, 6, latin1(name))
    return bytes(pdf.output())
