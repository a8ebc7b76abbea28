"""The monthly report as files: a PDF letter for the archive and an XLSX workbook for the province's sums.

Both read the same sections (SECTIONS): the PDF writes every value as people read it (simpul.formats), the
workbook keeps numbers, dates and money as values a spreadsheet can add up, with Indonesian headers.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from fpdf import FPDF, FontFace
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from simpul import formats
from simpul.exports import neutralise, workbook_bytes

TEXT, DAY, MOMENT, MONEY, COUNT, SHARE, DURATION = "text", "day", "moment", "money", "count", "share", "duration"
RUPIAH_FORMAT = '"Rp" #,##0'
NUMBER_FORMATS = {DAY: "DD/MM/YYYY", MOMENT: "DD/MM/YYYY HH:MM", MONEY: RUPIAH_FORMAT, SHARE: "0.00%", COUNT: "0"}
NO_LOGO_NOTE = "LOGO"


@dataclass(frozen=True)
class Column:
    header: str
    value: Callable[[dict], object]
    kind: str = TEXT
    width: float = 1  # share of the table's width in the PDF


@dataclass(frozen=True)
class Section:
    title: str
    sheet: str
    rows: Callable[[dict], list[dict]]
    columns: tuple[Column, ...]
    empty: str


def _key(name: str, default: str = "") -> Callable[[dict], object]:
    """The row's value of `name`; an absent one reads as `default` (words such as "tidak tercatat") or nothing."""
    return lambda row: row.get(name) if row.get(name) not in (None, "") else (str(default) if default else None)


SECTIONS = (
    Section(
        _("Ketersediaan per jenis aset"),
        _("ketersediaan"),
        lambda d: d["availability_by_kind"],
        (
            Column(_("Jenis aset"), _key("kind_label"), width=2),
            Column(_("Jumlah aset"), _key("assets"), COUNT),
            Column(_("Ketersediaan"), _key("availability"), SHARE),
            Column(_("Waktu gangguan"), _key("down_s"), DURATION, 1.4),
        ),
        _("Belum ada aset yang dipantau pada bulan ini."),
    ),
    Section(
        _("Gangguan pada bulan ini"),
        _("gangguan"),
        lambda d: d["outages"],
        (
            Column(_("Aset"), _key("asset"), width=1.6),
            Column(_("Jenis"), _key("kind_label"), width=1.2),
            Column(_("Mulai"), _key("started_at"), MOMENT, 1.5),
            Column(_("Selesai"), _key("ended_at", _("masih berlangsung")), MOMENT, 1.5),
            Column(_("Durasi dalam bulan"), lambda r: r["duration_min"] * 60, DURATION, 1.2),
            Column(_("Penyebab"), _key("cause", _("tidak tercatat")), width=1.3),
        ),
        _("Tidak ada gangguan pada bulan ini."),
    ),
    Section(
        _("Pemeliharaan yang selesai"),
        _("pemeliharaan"),
        lambda d: d["work_done"],
        (
            Column(_("Selesai"), _key("done_at"), MOMENT, 1.5),
            Column(_("Jenis"), _key("kind_label")),
            Column(_("Pekerjaan"), _key("title"), width=2),
            Column(_("Aset"), _key("asset", "-"), width=1.4),
            Column(_("Teknisi"), _key("done_by", "-"), width=1.2),
        ),
        _("Tidak ada pekerjaan pemeliharaan yang selesai pada bulan ini."),
    ),
    Section(
        _("Apel radio"),
        _("apel_radio"),
        lambda d: d["roll_calls"],
        (
            Column(_("Jaringan"), _key("net"), width=2),
            Column(_("Terjadwal"), _key("scheduled"), COUNT, 0.9),
            Column(_("Terlaksana"), _key("held"), COUNT, 0.9),
            Column(_("Terlewat"), _key("missed"), COUNT, 0.9),
            Column(_("Terlaksana (%)"), _key("held_ratio", _("belum ada apel")), SHARE, 1.1),
            Column(_("Stasiun menjawab"), _key("answered_ratio", _("belum ada apel")), SHARE, 1.1),
        ),
        _("Instansi ini belum punya jadwal apel radio."),
    ),
    Section(
        _("Kekurangan terhadap standar Pusdalops"),
        _("kekurangan"),
        lambda d: d["gaps"],
        (
            Column(
                _("Jenis aset"),
                lambda r: r["kind_label"] + (f" ({r['link_role_label']})" if r["link_role"] else ""),
                width=2,
            ),
            Column(_("Wajib"), _key("required"), COUNT, 0.7),
            Column(_("Berfungsi"), _key("working"), COUNT, 0.8),
            Column(_("Segera diganti"), _key("expiring"), COUNT, 0.9),
            Column(_("Perlu dibeli"), _key("to_buy"), COUNT, 0.9),
            Column(_("Perkiraan biaya"), _key("cost_idr"), MONEY, 1.4),
        ),
        _("Tidak ada kekurangan terhadap standar."),
    ),
    Section(
        _("Perlu diperpanjang atau diganti"),
        _("perpanjangan"),
        lambda d: d["renewals"],
        (
            Column(_("Apa"), _key("kind_label"), width=1.4),
            Column(_("Nama"), _key("subject"), width=2),
            Column(_("Berakhir"), _key("lapses_on"), DAY, 1.2),
            Column(_("Perkiraan biaya"), _key("cost_idr"), MONEY, 1.3),
        ),
        _("Tidak ada yang perlu diperpanjang."),
    ),
    Section(
        _("Radio memancar dengan ISR kedaluwarsa"),
        _("isr_kedaluwarsa"),
        lambda d: d["expired_licence_radios"],
        (
            Column(_("Radio"), _key("name"), width=2),
            Column(_("Nomor ISR"), _key("licence_number"), width=1.4),
            Column(_("Berlaku sampai"), _key("valid_until"), DAY, 1.2),
        ),
        _("Tidak ada radio yang memancar dengan ISR kedaluwarsa."),
    ),
    Section(
        _("Akan berakhir dalam 90 hari"),
        _("akan_berakhir"),
        lambda d: d["lapsing"],
        (
            Column(_("Apa"), _key("kind_label"), width=1.4),
            Column(_("Nama"), _key("subject"), width=1.8),
            Column(_("Berakhir"), _key("lapses_on"), DAY, 1.2),
            Column(_("Ajukan paling lambat"), _key("act_by"), DAY, 1.2),
            Column(_("Perkiraan biaya"), _key("cost_idr"), MONEY, 1.3),
        ),
        _("Tidak ada yang berakhir dalam 90 hari."),
    ),
)


def _as_text(value, kind: str) -> str:
    if value is None or value == "":
        return formats.EMPTY
    if isinstance(value, str):
        return str(value)
    return {
        DAY: formats.day,
        MOMENT: formats.moment,
        MONEY: formats.rupiah,
        SHARE: formats.percent,
        DURATION: formats.duration,
        COUNT: lambda v: formats.thousands(int(v)),
    }.get(kind, str)(value)


def _cell(value, kind: str):
    """A workbook cell: real dates (WITA wall clock), numbers and money; text neutralised against formulas."""
    if isinstance(value, datetime):
        return formats.local_naive(value)
    if kind == DURATION and isinstance(value, int | float):
        return round(value / 60)  # minutes: the header says so
    return neutralise(value)


def _status_text(data: dict) -> str:
    text = str(data["state_label"]).capitalize()
    if data["submitted_at"]:
        text += gettext(", dikirim %(when)s") % {"when": formats.moment(data["submitted_at"])}
    if data["acknowledged_at"]:
        text += gettext(", diterima %(when)s") % {"when": formats.moment(data["acknowledged_at"])}
    return text


def _availability_text(data: dict) -> str:
    if data["availability"] is None:
        return gettext("belum ada data pemantauan")
    days = data["monitored_s"] / 86400 / max(sum(r["assets"] for r in data["availability_by_kind"]), 1)
    return gettext("%(share)s (rata-rata dipantau %(days).0f hari per aset)") % {
        "share": formats.percent(data["availability"]),
        "days": days,
    }


def _summary(data: dict) -> list[tuple[str, object, str]]:
    m = data["maintenance"]
    return [
        (_("Instansi"), data["agency_name"], TEXT),
        (_("Bulan"), formats.month(_month(data)), TEXT),
        (_("Batas kirim"), data["due_on"], DAY),
        (_("Status"), _status_text(data), TEXT),
        (_("Ketersediaan jaringan"), _availability_text(data), TEXT),
        (_("Jumlah gangguan"), len(data["outages"]), COUNT),
        (_("Waktu gangguan (total)"), sum(o["duration_min"] for o in data["outages"]) * 60, DURATION),
        (_("Perbaikan selesai"), m["repairs"] or 0, COUNT),
        (_("Preventif tepat waktu"), _of(m["pm_on_time"], m["pm_due"]), TEXT),
        (_("Perintah kerja terbuka / lewat tenggat"), f"{m['open'] or 0} / {m['overdue'] or 0}", TEXT),
        (_("Biaya pemeliharaan"), m["cost_idr"] or 0, MONEY),
        (_("Apel radio terlaksana"), _of(*_roll_call_totals(data)), TEXT),
        (_("Kebutuhan pengadaan dan perpanjangan"), data["gap_cost_idr"], MONEY),
        (_("Radio memancar dengan ISR kedaluwarsa"), len(data["expired_licence_radios"]), COUNT),
        (_("Akan berakhir dalam 90 hari"), len(data["lapsing"]), COUNT),
    ]


def _roll_call_totals(data: dict) -> tuple[int, int]:
    """Calls held, and calls owed, over every net of the agency in the month."""
    return sum(r["held"] for r in data["roll_calls"]), sum(r["scheduled"] for r in data["roll_calls"])


def _of(part, whole) -> str:
    return gettext("%(part)s dari %(whole)s") % {"part": part or 0, "whole": whole or 0}


def summary_lines(data: dict) -> list[tuple[str, str]]:
    """The summary as the page and the PDF show it: label, text."""
    return [(str(label), _as_text(value, kind)) for label, value, kind in _summary(data)]


def section_tables(data: dict) -> list[dict]:
    """Every section as the page and the PDF show it: title, headers, rows of text, and words for none."""
    return [
        {
            "title": str(section.title),
            "sheet": section.sheet,
            "headers": [str(column.header) for column in section.columns],
            "widths": tuple(column.width for column in section.columns),
            "rows": [
                [_as_text(column.value(row), column.kind) for column in section.columns] for row in section.rows(data)
            ],
            "empty": str(section.empty),
        }
        for section in SECTIONS
    ]


def _month(data: dict) -> date:
    return date.fromisoformat(f"{data['month']}-01")


def report_xlsx(data: dict) -> bytes:
    with translation.override("id"):
        return _xlsx(data)


def _xlsx(data: dict) -> bytes:
    workbook = Workbook()
    summary = workbook.active
    summary.title = gettext("ringkasan")
    summary.append([gettext("Laporan bulanan jaringan komunikasi"), data["agency_name"]])
    summary["A1"].font = Font(bold=True)
    for label, value, kind in _summary(data):
        summary.append([str(label), _cell(value, kind)])
        if kind in NUMBER_FORMATS:
            summary.cell(summary.max_row, 2).number_format = NUMBER_FORMATS[kind]
    summary.append([gettext("Catatan instansi"), neutralise(data["notes"]) or gettext("Tidak ada catatan.")])
    summary.column_dimensions["A"].width, summary.column_dimensions["B"].width = 42, 60
    for section in SECTIONS:
        sheet = workbook.create_sheet(str(section.sheet))
        headers = [_header(column) for column in section.columns]
        sheet.append(headers)
        for cell in sheet[1]:
            cell.font, cell.fill = Font(bold=True), PatternFill("solid", fgColor="DDE4EE")
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        for row in section.rows(data):
            sheet.append([_cell(column.value(row), column.kind) for column in section.columns])
        for index, column in enumerate(section.columns, start=1):
            letter = get_column_letter(index)
            sheet.column_dimensions[letter].width = max(12, round(column.width * 14), len(headers[index - 1]) + 2)
            if column.kind in NUMBER_FORMATS:
                for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                    cell.number_format = NUMBER_FORMATS[column.kind]
        sheet.freeze_panes = "A2"
    return workbook_bytes(workbook)


def _header(column: Column) -> str:
    return gettext("%(header)s (menit)") % {"header": column.header} if column.kind == DURATION else str(column.header)


def _dated(moment: datetime | None) -> str:
    """The date line under a signature: the day it was signed, or a dotted line to write it on."""
    return gettext("Tanggal %(day)s") % {"day": formats.day(moment) if moment else "........................"}


def _latin1(text) -> str:
    """The PDF core fonts speak Latin-1; anything else is replaced rather than breaking the document."""
    return str(text).encode("latin-1", "replace").decode("latin-1")


class ReportPDF(FPDF):
    """A4 portrait with the agency's kop on the first page and "Halaman n dari m" on every page."""

    def __init__(self, data: dict):
        super().__init__(orientation="P", unit="mm", format="A4")
        self.data = data
        self.set_margins(18, 15, 18)
        self.set_auto_page_break(auto=True, margin=18)
        self.alias_nb_pages()

    def header(self):
        if self.page_no() == 1:
            return
        self.set_font("Helvetica", "I", 8)
        line = gettext("Laporan bulanan %(agency)s, %(month)s") % {
            "agency": self.data["agency_name"],
            "month": formats.month(_month(self.data)),
        }
        self.cell(0, 5, _latin1(line), align="R", new_x="LMARGIN", new_y="NEXT")
        self.ln(2)

    def footer(self):
        self.set_y(-12)
        self.set_font("Helvetica", "", 8)
        self.cell(
            0, 5, gettext("Halaman %(page)s dari %(pages)s") % {"page": self.page_no(), "pages": "{nb}"}, align="C"
        )

    def kop(self):
        top, logo = self.get_y(), 22
        self.set_draw_color(150)
        self.rect(self.l_margin, top, logo, logo)  # the logo's place: the agency pastes or prints it there
        self.set_xy(self.l_margin, top + logo / 2 - 2)
        self.set_font("Helvetica", "", 6)
        self.set_text_color(150)
        self.cell(logo, 4, NO_LOGO_NOTE, align="C")
        self.set_text_color(0)
        self.set_draw_color(0)
        left = self.l_margin + logo + 4
        width = self.w - self.r_margin - left
        lines = [("B", 11, self.data["parent_name"] or gettext("Badan Penanggulangan Bencana Daerah"))]
        lines.append(("B", 14, self.data["agency_name"].upper()))
        contact = " | ".join(
            filter(
                None,
                [
                    self.data["agency_phone"] and gettext("Telepon %(phone)s") % {"phone": self.data["agency_phone"]},
                    self.data["agency_email"] and gettext("Email %(email)s") % {"email": self.data["agency_email"]},
                ],
            )
        )
        if contact:
            lines.append(("", 9, contact))
        self.set_xy(left, top + 1)
        for style, size, text in lines:
            self.set_font("Helvetica", style, size)
            self.set_x(left)
            self.multi_cell(width, size * 0.5, _latin1(text), align="C", new_x="LMARGIN", new_y="NEXT")
        bottom = max(self.get_y(), top + logo) + 2
        self.set_line_width(0.8)
        self.line(self.l_margin, bottom, self.w - self.r_margin, bottom)
        self.set_line_width(0.2)
        self.line(self.l_margin, bottom + 1.2, self.w - self.r_margin, bottom + 1.2)
        self.set_y(bottom + 5)

    def title_block(self):
        self.set_font("Helvetica", "B", 12)
        title = gettext("LAPORAN BULANAN JARINGAN KOMUNIKASI PUSDALOPS PB")
        self.cell(0, 6, _latin1(title), align="C", new_x="LMARGIN", new_y="NEXT")
        self.set_font("Helvetica", "", 10)
        month = gettext("Bulan %(month)s") % {"month": formats.month(_month(self.data))}
        self.cell(0, 6, _latin1(month), align="C", new_x="LMARGIN", new_y="NEXT")
        self.ln(3)

    def heading(self, text: str):
        if self.will_page_break(20):
            self.add_page()
        self.ln(3)
        self.set_font("Helvetica", "B", 11)
        self.cell(0, 7, _latin1(text), new_x="LMARGIN", new_y="NEXT")

    def summary(self):
        self.heading(gettext("Ringkasan"))
        self.set_font("Helvetica", "", 9)
        with self.table(
            col_widths=(2, 3),
            first_row_as_headings=False,
            line_height=5.5,
            borders_layout="HORIZONTAL_LINES",
            text_align="LEFT",
        ) as table:
            for label, text in summary_lines(self.data):
                table.row([_latin1(label), _latin1(text)])

    def section(self, section: dict):
        self.heading(section["title"])
        self.set_font("Helvetica", "", 8)
        if not section["rows"]:
            self.cell(0, 5, _latin1(section["empty"]), new_x="LMARGIN", new_y="NEXT")
            return
        with self.table(
            col_widths=section["widths"],
            headings_style=FontFace(emphasis="BOLD", fill_color=(221, 228, 238)),
            line_height=4.5,
            text_align="LEFT",
        ) as table:
            table.row([_latin1(header) for header in section["headers"]])
            for row in section["rows"]:
                table.row([_latin1(text) for text in row])

    def notes(self):
        self.heading(gettext("Catatan instansi"))
        self.set_font("Helvetica", "", 9)
        text = self.data["notes"] or gettext("Tidak ada catatan.")
        self.multi_cell(0, 5, _latin1(text), new_x="LMARGIN", new_y="NEXT")
        if self.data["return_reason"] and not self.data["submitted_at"]:
            self.set_font("Helvetica", "I", 9)
            reason = gettext("Dikembalikan provinsi %(when)s: %(reason)s") % {
                "when": formats.moment(self.data["returned_at"]),
                "reason": self.data["return_reason"],
            }
            self.multi_cell(0, 5, _latin1(reason), new_x="LMARGIN", new_y="NEXT")

    def signatures(self):
        """Dibuat oleh (the agency, who submitted) and Mengetahui (the province, who accepted), side by side."""
        if self.will_page_break(55):
            self.add_page()
        self.ln(8)
        blank = "(................................................)"
        made = self.data["submitted_at"]
        known = self.data["acknowledged_at"]
        columns = [
            (
                gettext("Dibuat oleh,\n%(agency)s") % {"agency": self.data["agency_name"]},
                self.data["submitted_by"] or blank,
                _dated(made),
            ),
            (
                gettext("Mengetahui,\n%(agency)s") % {"agency": self.data["parent_name"] or gettext("Provinsi")},
                self.data["acknowledged_by"] or blank,
                _dated(known),
            ),
        ]
        top = self.get_y()
        width = (self.w - self.l_margin - self.r_margin) / 2
        for index, (role, name, when) in enumerate(columns):
            x = self.l_margin + index * width
            self.set_xy(x, top)
            self.set_font("Helvetica", "", 9)
            self.multi_cell(width, 5, _latin1(role), align="C")
            self.set_xy(x, top + 30)
            self.set_font("Helvetica", "BU", 9)
            self.cell(width, 5, _latin1(name), align="C")
            self.set_xy(x, top + 35)
            self.set_font("Helvetica", "", 9)
            self.cell(width, 5, _latin1(when), align="C")
        self.set_y(top + 42)


def report_pdf(data: dict) -> bytes:
    with translation.override("id"):
        pdf = ReportPDF(data)
        pdf.set_title(
            _latin1(
                gettext("Laporan bulanan %(agency)s, %(month)s")
                % {"agency": data["agency_name"], "month": data["month"]}
            )
        )
        pdf.set_creation_date(timezone.now())
        pdf.add_page()
        pdf.kop()
        pdf.title_block()
        pdf.summary()
        for section in section_tables(data):
            pdf.section(section)
        pdf.notes()
        pdf.signatures()
        return bytes(pdf.output())
