"""CSV and XLSX renderers for every export (`?format=csv`, `?format=xlsx`), and the actions that offer them.

A view returns a dict with `results` (a list of flat rows) and optionally more lists of rows (`totals`,
`renewals`...): CSV writes the results, XLSX one sheet per list. The rows are written as they are. Text
that a spreadsheet would run as a formula (=, +, -, @, tab, CR at the start) is neutralised with a
leading apostrophe, so an exported asset name cannot execute anything.
Characters a workbook cannot hold (C0 controls other than tab, LF and CR; U+FFFE, U+FFFF) become
U+FFFD, in CSV too, so one row's content never fails an export and both files read the same.
"""

import csv
import io
import re

from openpyxl import Workbook
from rest_framework.renderers import BaseRenderer

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# What XML 1.0 (and so XLSX) cannot carry; openpyxl raises IllegalCharacterError on the first three ranges.
UNWRITABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def neutralise(value):
    """A cell's value as a spreadsheet may hold it: storable, and shown as text rather than run."""
    if not isinstance(value, str):
        return value
    value = UNWRITABLE.sub("\ufffd", value)
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def _rows(data) -> list[dict]:
    if isinstance(data, dict):
        return data.get("results", [data])
    return list(data)


def _attach_filename(renderer_context, extension: str) -> None:
    view, response = renderer_context.get("view"), renderer_context.get("response")
    if response is not None and response.status_code < 400:
        name = getattr(view, "export_name", "simpul")
        response["Content-Disposition"] = f'attachment; filename="{name}.{extension}"'


def add_sheet(workbook: Workbook, title: str, rows: list[dict], cell=neutralise) -> None:
    """A sheet with a header row of the rows' keys, every value passed through `cell`."""
    sheet = workbook.create_sheet(title)
    if rows:
        sheet.append(list(rows[0]))
        for row in rows:
            sheet.append([cell(value) for value in row.values()])


def workbook_bytes(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


class CSVRenderer(BaseRenderer):
    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        rows = _rows(data)
        _attach_filename(renderer_context or {}, "csv")
        buffer = io.StringIO()
        if rows:
            writer = csv.DictWriter(buffer, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows({key: neutralise(value) for key, value in row.items()} for row in rows)
        return "\ufeff" + buffer.getvalue()  # BOM: Excel then reads the file as UTF-8


class XLSXRenderer(BaseRenderer):
    media_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    format = "xlsx"
    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        _attach_filename(renderer_context or {}, "xlsx")
        workbook = Workbook()
        sheets = [("data", _rows(data))]
        if isinstance(data, dict):
            sheets += [
                (key, rows)
                for key, rows in data.items()
                if key != "results" and isinstance(rows, list) and all(isinstance(row, dict) for row in rows)
            ]
        workbook.remove(workbook.active)
        for title, rows in sheets:
            add_sheet(workbook, title, rows)
        return workbook_bytes(workbook)


class PDFRenderer(BaseRenderer):
    """Lets `?format=pdf` through content negotiation; the view builds the document itself."""

    media_type = "application/pdf"
    format = "pdf"
    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data if isinstance(data, bytes) else b""


class ExportMixin:
    """Offers file renderers (`?format=csv`, `?format=xlsx`...) on the actions named in `exports` only.

    Every other action (a write, the history) answers `?format=xlsx` with 404 during content negotiation,
    before it runs, as DRF does for any format it does not know: a DELETE is never committed and then
    failed by a renderer that has no rows to write. An APIView's action is its HTTP method.
    """

    exports = {"list": (CSVRenderer, XLSXRenderer)}

    def get_renderers(self):
        action = getattr(self, "action", None) or self.request.method.lower()
        return super().get_renderers() + [renderer() for renderer in self.exports.get(action, ())]
