"""Import of an inventory spreadsheet (CSV or XLSX), as agencies keep them today: all rows or none.

Every row goes through the same serializer as the API (so the same rules and the same tenancy), errors
are collected per row and column, and only a file without a single error is written, in one
transaction. Sites are named by their name within the row's agency.

A file costs bounded work whatever it holds: its size, its size once unzipped (XLSX), its rows and the
import's wall time are limited (IMPORT_MAX_* settings), and each limit answers with one clear message.
"""

import csv
import io
import time
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from xml.parsers import expat

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException
from rest_framework import serializers

from assets.api.serializers import AssetSerializer
from assets.models import RadioLicence, Site

# The API's writable asset fields, with the site named rather than numbered and the licence by its number.
COLUMNS = tuple(name for name, field in AssetSerializer().get_fields().items() if not field.read_only)
ROW_TAG = "http://schemas.openxmlformats.org/spreadsheetml/2006/main row"
# What a workbook that is not one raises from zipfile, openpyxl, expat or defusedxml (a ValueError).
_UNREADABLE = (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError, expat.ExpatError)


class ImportRejected(Exception):
    """The whole file is unusable (size, encoding, format, too long to read); carries one message."""


@dataclass
class ImportResult:
    rows: int = 0
    created: int = 0
    errors: list[dict] = field(default_factory=list)


def _too_many_rows() -> ImportRejected:
    return ImportRejected(_("Berkas berisi lebih dari %(n)d baris.") % {"n": settings.IMPORT_MAX_ROWS})


def _check_time(deadline: float) -> None:
    if time.monotonic() > deadline:
        raise ImportRejected(
            _("Impor dihentikan setelah %(s)g detik; bagi berkas menjadi beberapa bagian.")
            % {"s": settings.IMPORT_MAX_SECONDS}
        )


def _count_rows(stream, deadline: float) -> None:
    """Stream one XML part and stop at the first row past the limit, in flat memory (no tree is built)."""
    parser = expat.ParserCreate(namespace_separator=" ")
    rows = 0

    def start(tag, attributes):
        nonlocal rows
        if tag == ROW_TAG:
            rows += 1
            if rows > settings.IMPORT_MAX_ROWS + 1:  # + the header
                raise _too_many_rows()

    def no_dtd(*args):
        raise ValueError("DTD")  # entities are how XML bombs grow; a workbook never declares any

    parser.StartElementHandler = start
    parser.StartDoctypeDeclHandler = no_dtd
    while chunk := stream.read(256 * 1024):
        parser.Parse(chunk, False)
        _check_time(deadline)
    parser.Parse(b"", True)


def _check_workbook(content: bytes, deadline: float) -> None:
    """Bound a workbook before openpyxl opens it: openpyxl parses a whole sheet just to size it when the
    sheet does not state its dimension, so a 1 MB file of 3 M rows would cost minutes and a gigabyte."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        members = archive.infolist()
        # zipfile never inflates a member past its declared size (it stops and fails the CRC check), so
        # the declared sizes bound the work, whatever the file's own size or compression ratio.
        unzipped = sum(member.file_size for member in members)
        if unzipped > settings.IMPORT_MAX_UNCOMPRESSED_BYTES:
            raise ImportRejected(
                _("Isi XLSX %(mb)d MB setelah dibuka; maksimal %(max)d MB.")
                % {"mb": unzipped // 2**20, "max": settings.IMPORT_MAX_UNCOMPRESSED_BYTES // 2**20}
            )
        for member in members:
            if member.filename.endswith(".xml"):  # sheets may live under any name
                with archive.open(member) as stream:
                    _count_rows(stream, deadline)


def _xlsx_values(content: bytes, deadline: float) -> Iterator[tuple]:
    try:
        _check_workbook(content, deadline)
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except _UNREADABLE as error:
        raise ImportRejected(_("Bukan berkas XLSX yang bisa dibaca: %(e)s") % {"e": error}) from None
    try:
        sheet = workbook.active
        sheet.reset_dimensions()  # a declared A1:XFD1048576 would otherwise pad every row to it
        yield from sheet.iter_rows(values_only=True)
    except _UNREADABLE as error:
        raise ImportRejected(_("Bukan berkas XLSX yang bisa dibaca: %(e)s") % {"e": error}) from None
    finally:
        workbook.close()


def _csv_values(content: bytes) -> Iterator[list[str]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportRejected(
            _("Berkas CSV harus UTF-8 (simpan ulang dari Excel sebagai 'CSV UTF-8'); bita %(at)d tidak sah.")
            % {"at": error.start}
        ) from None
    try:
        yield from csv.reader(io.StringIO(text))
    except csv.Error as error:  # e.g. a field beyond csv.field_size_limit()
        raise ImportRejected(_("Berkas CSV tidak terbaca: %(e)s") % {"e": error}) from None


def read_rows(name: str, content: bytes, deadline: float) -> Iterator[dict[str, str]]:
    """The file's data rows as {column: text}, streamed: it stops at the first row past IMPORT_MAX_ROWS and
    when the import's time is up, so no file costs more than IMPORT_MAX_SECONDS."""
    if len(content) > settings.IMPORT_MAX_BYTES:
        raise ImportRejected(_("Berkas lebih dari %(mb)d MB.") % {"mb": settings.IMPORT_MAX_BYTES // 2**20})
    values = _xlsx_values(content, deadline) if name.lower().endswith(".xlsx") else _csv_values(content)
    header = [str(h or "").strip() for h in next(values, [])]
    unknown = set(header) - set(COLUMNS) - {""}
    if unknown:
        raise ImportRejected(_("Kolom tidak dikenal: %(c)s.") % {"c": ", ".join(sorted(unknown))})
    for number, row in enumerate(values, start=1):
        if number > settings.IMPORT_MAX_ROWS:
            raise _too_many_rows()
        _check_time(deadline)
        cells = (
            (column, "" if value is None else str(value).strip()) for column, value in zip(header, row, strict=False)
        )
        yield {column: text for column, text in cells if column in COLUMNS and text}


def import_assets(*, name: str, content: bytes, request, dry_run: bool = False) -> ImportResult:
    deadline = time.monotonic() + settings.IMPORT_MAX_SECONDS
    result = ImportResult()
    valid = []
    own_code = request.user.agency.code if request.user.agency_id else ""
    seen: dict[tuple, int] = {}
    # One serializer validates every row: building its fields is half the cost of a row.
    serializer = AssetSerializer(context={"request": request})
    for number, row in enumerate(read_rows(name, content, deadline), start=2):  # row 1 is the header
        if not row:
            continue  # a blank line (spreadsheets keep formatted empty rows) is no asset
        result.rows += 1
        data = dict(row)
        if site_name := data.pop("site", None):
            site = Site.objects.filter(agency__code=data.get("agency", own_code), name=site_name).first()
            data["site"] = site.pk if site else -1  # an unknown site fails validation like a foreign one
        if licence_number := data.pop("licence", None):
            licence = RadioLicence.objects.filter(agency__code=data.get("agency", own_code), number=licence_number)
            data["licence"] = licence.values_list("pk", flat=True).first() or -1
        try:
            valid.append(serializer.run_validation(data))
        except serializers.ValidationError as error:
            for column, messages in error.detail.items():
                for message in messages:
                    result.errors.append({"row": number, "column": column, "message": str(message)})
        # Twins inside the file itself: each row alone is valid, together they break a uniqueness rule.
        for column, key in (
            ("serial_number", (data.get("manufacturer", ""), data.get("serial_number"))),
            ("tag", (data.get("agency", own_code), data.get("tag"))),
        ):
            if key[1] and (column, key) in seen:
                result.errors.append(
                    {
                        "row": number,
                        "column": column,
                        "message": _("Sama dengan baris %(n)d.") % {"n": seen[(column, key)]},
                    }
                )
            seen.setdefault((column, key), number)
    if result.errors or dry_run:
        return result
    with transaction.atomic():
        for validated in valid:
            serializer.create(validated)
    result.created = len(valid)
    return result
