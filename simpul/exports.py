"""CSV and XLSX files for every export (`?format=csv`, `?format=xlsx`), and the mixin that offers them.

A view names its columns (`export_columns`: key, Indonesian header, kind) and may split its answer into
several sheets (`export_sheets`). The kind decides how a value is written: money as a number in the Rupiah
format, dates and moments (WITA) as real dates, codes as their labels. XLSX gets a bold frozen header,
column widths and a totals row; CSV is UTF-8 with a BOM, `;`-separated with decimal commas by default (what
Excel reads into columns under Indonesian regional settings), or `,` with decimal points
(`?delimiter=comma`).

Text that a spreadsheet would run as a formula (=, +, -, @, tab, CR at the start) is neutralised with a
leading apostrophe, in CSV and XLSX alike (`neutralise`, the one place of that rule), so an exported asset
name cannot execute anything. Characters a workbook cannot hold (C0 controls other than tab, LF and CR;
U+FFFE, U+FFFF) become U+FFFD, in CSV too, so one row's content never fails an export.
"""

import csv
import io
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from rest_framework import serializers
from rest_framework.renderers import BaseRenderer

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# What XML 1.0 (and so XLSX) cannot carry; openpyxl raises IllegalCharacterError on the first three ranges.
UNWRITABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

TEXT, NUMBER, MONEY, DATE, MOMENT, PERCENT, YES_NO = "text", "number", "money", "date", "moment", "percent", "yes_no"
XLSX_FORMATS = {
    NUMBER: "#,##0.##",
    MONEY: '"Rp" #,##0',
    DATE: "d mmmm yyyy",
    MOMENT: "d mmmm yyyy hh:mm",
    PERCENT: "0.00%",
}
# `?delimiter=`: the CSV separator, and the decimal mark that goes with it.
DELIMITERS = {"semicolon": (";", ","), "comma": (",", ".")}
DEFAULT_DELIMITER = "semicolon"
TOTAL_LABEL = gettext_lazy("Jumlah")
MAX_WIDTH = 60


def neutralise(value):
    """A cell's value as a spreadsheet may hold it: storable, and shown as text rather than run."""
    if not isinstance(value, str):
        return value
    value = UNWRITABLE.sub("\ufffd", value)
    return "'" + value if value.startswith(FORMULA_STARTS) else value


@dataclass(frozen=True)
class Column:
    """One column of an export: where its value comes from, its header, how it is written, whether it is summed."""

    key: str
    header: str
    kind: str = TEXT
    labels: dict | None = None  # code -> label, for choices
    total: bool = False
    get: Callable[[dict], object] | None = None  # for a value that is not one key of the row

    def value(self, row: dict):
        """The row's value as a spreadsheet holds it: a number, a date, a naive WITA datetime, or text."""
        raw = self.get(row) if self.get else row.get(self.key)
        if raw is None or raw == "":
            return None
        if self.labels is not None:
            return neutralise(str(self.labels.get(raw, raw)))
        if self.kind == DATE and isinstance(raw, str):
            return date.fromisoformat(raw)
        if self.kind == MOMENT:
            moment = parse_datetime(raw) if isinstance(raw, str) else raw
            return timezone.localtime(moment).replace(tzinfo=None) if timezone.is_aware(moment) else moment
        if self.kind in (NUMBER, MONEY, PERCENT) and isinstance(raw, str):
            return float(raw) if "." in raw else int(raw)
        if self.kind == YES_NO:
            return str(_("Ya") if raw else _("Tidak"))
        return neutralise(raw)


@dataclass
class Sheet:
    title: str
    columns: Sequence[Column]
    rows: list[dict]
    totals: bool = True  # a totals row under the rows when a column is summed
    values: list[list] = field(init=False)

    def __post_init__(self):
        self.values = [[column.value(row) for column in self.columns] for row in self.rows]

    @property
    def headers(self) -> list[str]:
        return [str(column.header) for column in self.columns]

    @property
    def total_row(self) -> list | None:
        if not self.totals or not self.values or not any(column.total for column in self.columns):
            return None
        row = [
            sum(values[i] or 0 for values in self.values) if column.total else None
            for i, column in enumerate(self.columns)
        ]
        if row[0] is None:
            row[0] = str(TOTAL_LABEL)
        return row


def rows_of(data) -> list[dict]:
    """The rows of a view's answer: a list, or a page's or report's `results`."""
    if isinstance(data, dict):
        return data.get("results", [data])
    return list(data)


def _attach_filename(renderer_context, extension: str) -> None:
    view, response = renderer_context.get("view"), renderer_context.get("response")
    if response is not None and response.status_code < 400:
        name = getattr(view, "export_name", "simpul")
        response["Content-Disposition"] = f'attachment; filename="{name}.{extension}"'


def add_sheet(workbook: Workbook, title: str, rows: list[dict], cell=neutralise) -> None:
    """A plain sheet (the monthly report's sections): a header row of the rows' keys, values through `cell`."""
    sheet = workbook.create_sheet(title)
    if rows:
        sheet.append(list(rows[0]))
        for row in rows:
            sheet.append([cell(value) for value in row.values()])


def write_sheet(workbook: Workbook, sheet: Sheet) -> None:
    """The sheet with a bold frozen header, real numbers and dates in their formats, widths and totals."""
    out = workbook.create_sheet(_sheet_title(workbook, sheet.title))
    out.append(sheet.headers)
    for values in sheet.values:
        out.append(values)
    total = sheet.total_row
    if total is not None:
        out.append(total)
        for cell in out[out.max_row]:
            cell.font = Font(bold=True)
    for cell in out[1]:
        cell.font = Font(bold=True)
    out.freeze_panes = "A2"
    for index, column in enumerate(sheet.columns, start=1):
        letter = get_column_letter(index)
        if column.kind in XLSX_FORMATS and column.labels is None:
            for (cell,) in out.iter_rows(min_row=2, min_col=index, max_col=index):
                cell.number_format = XLSX_FORMATS[column.kind]
        out.column_dimensions[letter].width = _width(column, [values[index - 1] for values in sheet.values])


def _width(column: Column, values: list) -> float:
    shown = {MONEY: 16, DATE: 18, MOMENT: 20}.get(column.kind, 0)
    longest = max([len(str(column.header)), shown, *(len(str(v)) for v in values if v is not None)])
    return min(longest + 2, MAX_WIDTH)


def _sheet_title(workbook: Workbook, title: str) -> str:
    """A title Excel accepts: at most 31 characters, none of []:*?/\\, unique in the workbook."""
    clean = re.sub(r"[\[\]:*?/\\]", " ", title)[:31] or "data"
    candidate, n = clean, 2
    while candidate in workbook.sheetnames:
        candidate = f"{clean[: 31 - len(str(n)) - 1]} {n}"
        n += 1
    return candidate


def workbook_bytes(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _sheets(data, renderer_context) -> list[Sheet]:
    return (renderer_context or {})["view"].export_sheets(data)


def _csv_cell(value, decimal_mark: str):
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, float):
        return f"{value:.4f}".rstrip("0").rstrip(".").replace(".", decimal_mark)
    return value


class CSVRenderer(BaseRenderer):
    """The first sheet of the export as CSV: UTF-8 with a BOM, `;` and decimal commas unless `?delimiter=comma`."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        renderer_context = renderer_context or {}
        _attach_filename(renderer_context, "csv")
        request = renderer_context.get("request")
        choice = request.query_params.get("delimiter") if request is not None else None
        delimiter, decimal_mark = DELIMITERS.get(choice or DEFAULT_DELIMITER, DELIMITERS[DEFAULT_DELIMITER])
        sheet = renderer_context["view"].export_csv_sheet(data)
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=delimiter)
        writer.writerow(sheet.headers)
        total = sheet.total_row
        for values in [*sheet.values, *([total] if total is not None else [])]:
            writer.writerow([_csv_cell(value, decimal_mark) for value in values])
        return "\ufeff" + buffer.getvalue()  # BOM: Excel then reads the file as UTF-8


class XLSXRenderer(BaseRenderer):
    media_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    format = "xlsx"
    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        _attach_filename(renderer_context or {}, "xlsx")
        workbook = Workbook()
        workbook.remove(workbook.active)
        for sheet in _sheets(data, renderer_context):
            write_sheet(workbook, sheet)
        return workbook_bytes(workbook)


class PDFRenderer(BaseRenderer):
    """Lets `?format=pdf` through content negotiation; the view builds the document itself."""

    media_type = "application/pdf"
    format = "pdf"
    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data if isinstance(data, bytes) else b""


FILE_RENDERERS = (CSVRenderer, XLSXRenderer)


class ExportMixin:
    """Offers file renderers (`?format=csv`, `?format=xlsx`...) on the actions named in `exports` only.

    Every other action (a write, the history) answers `?format=xlsx` with 406 during content negotiation
    (simpul.renderers.ContentNegotiation), before it runs: a DELETE is never committed and then failed by a
    renderer that has no rows to write. An APIView's action is its HTTP method. A list exported as a file
    carries every row its filters select, not one page, up to `EXPORT_MAX_ROWS`.
    """

    exports = {"list": FILE_RENDERERS}
    export_name = "simpul"
    export_title = gettext_lazy("Data")
    export_columns: Sequence[Column] = ()
    EXPORT_MAX_ROWS = 20_000

    def get_renderers(self):
        action = getattr(self, "action", None) or self.request.method.lower()
        return super().get_renderers() + [renderer() for renderer in self.exports.get(action, ())]

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if self.exporting() and request.query_params.get("delimiter", DEFAULT_DELIMITER) not in DELIMITERS:
            raise serializers.ValidationError(
                {"delimiter": [_("Pilih salah satu: %(choices)s.") % {"choices": ", ".join(DELIMITERS)}]}
            )

    def exporting(self) -> bool:
        return isinstance(getattr(self.request, "accepted_renderer", None), FILE_RENDERERS)

    def paginate_queryset(self, queryset):
        if not self.exporting():
            return super().paginate_queryset(queryset)
        if self.paginator is not None:  # a page means nothing in a file, but a malformed one is refused as in JSON
            self.paginator.check_query(self.request)
        if queryset.count() > self.EXPORT_MAX_ROWS:
            raise serializers.ValidationError(
                {"format": [_("Lebih dari %(max)d baris; persempit saringannya.") % {"max": self.EXPORT_MAX_ROWS}]}
            )
        return None

    def export_sheets(self, data) -> list[Sheet]:
        """The sheets of the file: by default one, the rows under `export_columns`."""
        return [Sheet(str(self.export_title), self.export_columns, rows_of(data))]

    def export_csv_sheet(self, data) -> Sheet:
        """What the CSV holds, which has room for one list: by default the first sheet."""
        return self.export_sheets(data)[0]
