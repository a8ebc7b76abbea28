"""Import of an inventory spreadsheet (CSV or XLSX), as agencies keep them today: all rows or none.

Every row goes through the same serializer as the API (so the same rules and the same tenancy), errors
are collected per row and column, and only a file without a single error is written, in one
transaction. Sites are named by their name within the row's agency.
"""

import csv
import io
from dataclasses import dataclass, field
from zipfile import BadZipFile

from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from assets.api.serializers import AssetSerializer
from assets.models import RadioLicence, Site

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 10_000
# The API's writable asset fields, with the site named rather than numbered and the licence by its number.
COLUMNS = tuple(name for name, field in AssetSerializer().get_fields().items() if not field.read_only)


class ImportRejected(Exception):
    """The whole file is unusable (size, encoding, format); carries one message."""


@dataclass
class ImportResult:
    rows: int = 0
    created: int = 0
    errors: list[dict] = field(default_factory=list)


def read_rows(name: str, content: bytes) -> list[dict[str, str]]:
    if len(content) > MAX_BYTES:
        raise ImportRejected(_("Berkas lebih dari %(mb)d MB.") % {"mb": MAX_BYTES // 1024 // 1024})
    if name.lower().endswith(".xlsx"):
        try:
            sheet = load_workbook(io.BytesIO(content), read_only=True, data_only=True).active
        except (InvalidFileException, BadZipFile, KeyError, OSError, ValueError) as error:
            raise ImportRejected(_("Bukan berkas XLSX yang bisa dibaca: %(e)s") % {"e": error}) from None
        values = sheet.iter_rows(values_only=True)
        header = [str(h or "").strip() for h in next(values, [])]
        rows = [{h: "" if v is None else str(v) for h, v in zip(header, row, strict=False)} for row in values]
    else:
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise ImportRejected(
                _("Berkas CSV harus UTF-8 (simpan ulang dari Excel sebagai 'CSV UTF-8'); bita %(at)d tidak sah.")
                % {"at": error.start}
            ) from None
        reader = csv.DictReader(io.StringIO(text))
        header = [h.strip() for h in reader.fieldnames or []]
        rows = list(reader)
    if len(rows) > MAX_ROWS:
        raise ImportRejected(_("Lebih dari %(n)d baris.") % {"n": MAX_ROWS})
    unknown = set(header) - set(COLUMNS) - {""}
    if unknown:
        raise ImportRejected(_("Kolom tidak dikenal: %(c)s.") % {"c": ", ".join(sorted(unknown))})
    return [{k: (v or "").strip() for k, v in row.items() if k in COLUMNS and (v or "").strip()} for row in rows]


def import_assets(*, name: str, content: bytes, request, dry_run: bool = False) -> ImportResult:
    rows = read_rows(name, content)
    result = ImportResult(rows=len(rows))
    valid = []
    own_code = request.user.agency.code if request.user.agency_id else ""
    seen: dict[tuple, int] = {}
    for number, row in enumerate(rows, start=2):  # row 1 is the header, as the spreadsheet shows it
        data = dict(row)
        if site_name := data.pop("site", None):
            site = Site.objects.filter(agency__code=data.get("agency", own_code), name=site_name).first()
            data["site"] = site.pk if site else -1  # an unknown site fails validation like a foreign one
        if licence_number := data.pop("licence", None):
            licence = RadioLicence.objects.filter(agency__code=data.get("agency", own_code), number=licence_number)
            data["licence"] = licence.values_list("pk", flat=True).first() or -1
        serializer = AssetSerializer(data=data, context={"request": request})
        if serializer.is_valid():
            valid.append(serializer)
        for column, messages in serializer.errors.items():
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
        for serializer in valid:
            serializer.save()
    result.created = len(valid)
    return result
