"""A spreadsheet costs bounded work whatever it holds: bombs are refused at once, in flat memory, and the
server keeps answering everyone else meanwhile."""

import csv
import io
import json
import resource
import struct
import threading
import time
import urllib.error
import urllib.request
import uuid
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook
from rest_framework.authtoken.models import Token

from assets.models import Asset
from tests import factories

SHEET = "xl/worksheets/sheet1.xml"
ROW = b'<row><c t="inlineStr"><is><t>x</t></is></c></row>'


def workbook_with_sheet(sheet_parts) -> bytes:
    """A real workbook (openpyxl's own parts) whose sheet XML is written from `sheet_parts`, deflated as it
    streams: millions of rows fit in a few hundred KB. No <dimension>, as a hostile file would leave out."""
    template = Workbook()
    template.active.append(["name"])
    buffer = io.BytesIO()
    template.save(buffer)
    source = zipfile.ZipFile(buffer)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            if info.filename != SHEET:
                archive.writestr(info.filename, source.read(info))
                continue
            with archive.open(SHEET, "w") as sheet:
                sheet.write(b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>')
                sheet.write(b'<row r="1"><c r="A1" t="inlineStr"><is><t>name</t></is></c></row>')
                for part in sheet_parts:
                    sheet.write(part)
                sheet.write(b"</sheetData></worksheet>")
    return out.getvalue()


def row_bomb(rows: int) -> bytes:
    chunk = ROW * 10_000
    return workbook_with_sheet(chunk for _ in range(rows // 10_000))


def understated(workbook: bytes, member: str, declared: int) -> bytes:
    """The same zip with `member`'s uncompressed size rewritten, in its local header and central directory."""
    data = bytearray(workbook)
    info = zipfile.ZipFile(io.BytesIO(workbook)).getinfo(member)
    struct.pack_into("<I", data, info.header_offset + 22, declared)
    central = data.find(b"PK\x01\x02" + data[info.header_offset + 4 : info.header_offset + 6])
    while data[central + 46 : central + 46 + len(member)] != member.encode():
        central = data.find(b"PK\x01\x02", central + 4)
    struct.pack_into("<I", data, central + 24, declared)
    return bytes(data)


@pytest.fixture
def tech(tree, client_for):
    client = client_for(tree["64.01"])
    client.get("/api/agencies/")  # a first request pays for lazy imports: keep them out of the timings
    return client


def upload(client, name: str, content: bytes):
    return client.post("/api/assets/import/", {"file": SimpleUploadedFile(name, content)}, format="multipart")


def post_file(url: str, token: str, name: str, content: bytes, timeout: float) -> tuple[int, dict]:
    boundary = uuid.uuid4().hex
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n"
        ).encode()
        + content
        + f"\r\n--{boundary}--\r\n".encode()
    )
    headers = {"Content-Type": f"multipart/form-data; boundary={boundary}", "Authorization": f"Token {token}"}
    request = urllib.request.Request(url, data=body, method="POST", headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as error:
        return error.code, json.load(error)


def get_seconds(url: str, token: str) -> float:
    started = time.monotonic()
    request = urllib.request.Request(url, headers={"Authorization": f"Token {token}"})
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.status == 200
        response.read()
    return time.monotonic() - started


def test_a_decompression_bomb_is_refused_at_once_while_other_requests_stay_fast(live_server, transactional_db):
    """The issue's file: under 1 MB, 3 M rows, ~140 MB of sheet XML once inflated."""
    bomb = row_bomb(3_000_000)
    assert len(bomb) < 1_000_000
    agency = factories.agency("64.01", parent=factories.agency("64"))
    token = Token.objects.create(user=factories.user(agency, "technician")).key
    agencies = f"{live_server.url}/api/agencies/"
    get_seconds(agencies, token)  # warm up the server's first request
    peak_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB; the live server runs in this process
    answer = {}

    def send_bomb():
        started = time.monotonic()
        answer["status"], answer["body"] = post_file(f"{live_server.url}/api/assets/import/", token, "b.xlsx", bomb, 20)
        answer["seconds"] = time.monotonic() - started

    sender = threading.Thread(target=send_bomb)
    sender.start()
    latencies = []
    while sender.is_alive() or len(latencies) < 3:
        latencies.append(get_seconds(agencies, token))
    sender.join()
    assert answer["status"] == 400 and "MB" in answer["body"]["file"][0], answer
    assert answer["seconds"] < 2.0
    assert max(latencies) < 1.0, latencies
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - peak_before < 100 * 1024
    assert not Asset.objects.exists()


@pytest.mark.parametrize(
    "sheet",
    [
        pytest.param(lambda: row_bomb(100_000), id="100k-rows-within-the-size-limit"),
        pytest.param(lambda: workbook_with_sheet([b'<row r="1048576"><c t="inlineStr"><is><t>x</t></is></c></row>']),
                     id="one-row-at-the-bottom-of-the-sheet"),
        pytest.param(lambda: workbook_with_sheet([ROW * 10, ROW.replace(b"<row>", b'<row r="9999999">')]),
                     id="row-beyond-excel"),
    ],
)  # fmt: skip
def test_reading_stops_at_the_first_row_past_the_limit(tech, settings, sheet):
    settings.IMPORT_MAX_ROWS = 5000
    content = sheet()
    started = time.monotonic()
    response = upload(tech, "inventaris.xlsx", content)
    assert response.status_code == 400
    assert response.json()["file"] == ["Berkas berisi lebih dari 5000 baris."]
    assert time.monotonic() - started < 2.0
    assert not Asset.objects.exists()


def test_a_bomb_that_understates_its_size_inflates_no_further_than_it_declares(tech):
    content = understated(row_bomb(3_000_000), SHEET, 1000)
    started = time.monotonic()
    response = upload(tech, "kecil.xlsx", content)
    assert response.status_code == 400 and "XLSX" in response.json()["file"][0]
    assert time.monotonic() - started < 2.0


def test_the_import_stops_when_its_time_is_up(tech, settings):
    settings.IMPORT_MAX_SECONDS = 0.5
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["agency", "kind", "name"])
    writer.writerows(["64.01", "router", f"Router {i}"] for i in range(3000))
    started = time.monotonic()
    response = upload(tech, "lambat.csv", buffer.getvalue().encode())
    assert response.status_code == 400 and "0.5 detik" in response.json()["file"][0]
    assert time.monotonic() - started < 2.5
    assert not Asset.objects.exists()


def test_csv_rows_and_fields_are_bounded_too(tech, settings):
    settings.IMPORT_MAX_ROWS = 100
    client = tech
    many = "agency,kind,name\n" + "64.01,router,R\n" * 101
    assert upload(client, "banyak.csv", many.encode()).json()["file"] == ["Berkas berisi lebih dari 100 baris."]
    assert upload(client, "pas.csv", ("agency,kind,name\n" + "64.01,router,R\n" * 100).encode()).status_code == 200
    long_field = 'agency,kind,name\n64.01,router,"' + "x" * 200_000 + '"\n'
    response = upload(client, "panjang.csv", long_field.encode())
    assert response.status_code == 400 and "CSV" in response.json()["file"][0]
