"""Inventory import from a spreadsheet: validated as a whole, an error per row and column, all or nothing."""

import csv
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from assets.models import Asset
from tests import factories

HEADER = [
    "agency",
    "site",
    "kind",
    "name",
    "manufacturer",
    "serial_number",
    "band",
    "tx_freq_mhz",
    "rx_freq_mhz",
    "management_address",
    "provider",
    "medium",
]
GOOD = [
    [
        "64.01",
        "Bukit Biru",
        "repeater",
        "Repeater Bukit Biru",
        "Motorola",
        "SLR-1",
        "vhf",
        "147.6",
        "147.0",
        "127.64.1.10",
        "",
        "",
    ],
    ["64.01", "", "vhf_radio", "HT 01", "Motorola", "XIR-1", "", "147.0", "147.0", "", "", ""],
    ["64.01", "", "internet_link", "Link Telkom", "", "", "", "", "", "127.64.1.1", "Telkom", "fibre"],
]


def csv_file(rows, header=HEADER, encoding="utf-8") -> SimpleUploadedFile:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return SimpleUploadedFile("inventaris.csv", buffer.getvalue().encode(encoding), content_type="text/csv")


def upload(client, file, **extra):
    return client.post("/api/assets/import/", {"file": file, **extra}, format="multipart")


def test_a_clean_file_is_imported(tree, client_for):
    factories.site(tree["64.01"], name="Bukit Biru")
    response = upload(client_for(tree["64.01"]), csv_file(GOOD))
    assert response.status_code == 200, response.content
    assert response.json()["created"] == 3
    assert Asset.objects.get(name="Repeater Bukit Biru").site.name == "Bukit Biru"


def test_one_bad_row_writes_nothing_and_names_row_and_column(tree, client_for):
    factories.site(tree["64.01"], name="Bukit Biru")
    bad = [*GOOD, ["64.01", "", "uhf_radio", "HT UHF", "Icom", "IC-1", "", "147.0", "", "", "", ""]]
    response = upload(client_for(tree["64.01"]), csv_file(bad))
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"row": 5, "column": "tx_freq_mhz", "message": response.json()["errors"][0]["message"]}
    ]
    assert "UHF" in response.json()["errors"][0]["message"]
    assert not Asset.objects.exists()


def test_errors_for_foreign_agency_unknown_site_and_twin_serials(tree, client_for):
    rows = [
        ["64.72", "", "router", "Bukan milikku", "", "", "", "", "", "", "", ""],
        ["64.01", "Tidak ada", "router", "Router", "", "", "", "", "", "", "", ""],
        ["64.01", "", "router", "R1", "MikroTik", "SN-9", "", "", "", "", "", ""],
        ["64.01", "", "router", "R2", "MikroTik", "SN-9", "", "", "", "", "", ""],
    ]
    errors = upload(client_for(tree["64.01"]), csv_file(rows)).json()["errors"]
    assert {(e["row"], e["column"]) for e in errors} == {(2, "agency"), (3, "site"), (5, "serial_number")}
    assert not Asset.objects.exists()


def test_broken_encoding_unknown_columns_and_huge_files_are_refused(tree, client_for):
    client = client_for(tree["64.01"])
    latin1 = csv_file(
        [["64.01", "", "router", "Radio Pos Kafé", "", "", "", "", "", "", "", ""]],
        encoding="latin-1",
    )
    response = upload(client, latin1)
    assert response.status_code == 400 and "UTF-8" in response.json()["file"][0]
    assert upload(client, csv_file([], header=["agency", "secret_column"])).status_code == 400
    huge = SimpleUploadedFile("besar.csv", b"agency,name\n" + b"64.01,x\n" * 800_000)
    response = upload(client, huge)
    assert response.status_code == 400 and "MB" in response.json()["file"][0]
    not_xlsx = SimpleUploadedFile("palsu.xlsx", b"PK\x03\x04 this is not a workbook")
    assert upload(client, not_xlsx).status_code == 400
    assert not Asset.objects.exists()


def test_xlsx_and_dry_run_and_formula_cells_neutralised_on_export(tree, client_for):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["agency", "kind", "name"])
    sheet.append(["64.01", "router", ""])
    sheet["C2"].value = '=HYPERLINK("http://127.0.0.1/x","klik")'
    sheet["C2"].data_type = "s"  # text that looks like a formula, as a hostile sheet would carry
    buffer = io.BytesIO()
    workbook.save(buffer)
    client = client_for(tree["64.01"])
    dry = upload(client, SimpleUploadedFile("inv.xlsx", buffer.getvalue()), dry_run="true")
    assert dry.status_code == 200 and dry.json()["created"] == 0 and not Asset.objects.exists()
    done = upload(client, SimpleUploadedFile("inv.xlsx", buffer.getvalue()))
    assert done.json()["created"] == 1
    assert Asset.objects.get().name.startswith("=HYPERLINK")  # kept as the text it was
    exported = client.get("/api/assets/", {"format": "csv"})
    assert exported.status_code == 200 and "'=HYPERLINK" in exported.content.decode("utf-8-sig")


def test_readers_cannot_import(tree, client_for):
    assert upload(client_for(tree["64.01"], "manager"), csv_file(GOOD)).status_code == 403


def test_radios_name_their_licence_by_number_and_must_fit_it(tree, client_for):
    factories.licence(tree["64.01"], number="ISR 640100")
    factories.licence(tree["64.72"], number="ISR 647200")
    header = ["kind", "name", "tx_freq_mhz", "rx_freq_mhz", "licence"]
    rows = [
        ["vhf_radio", "HT 01", "147.0", "147.6", "ISR 640100"],
        ["vhf_radio", "HT 02", "147.3", "147.6", "ISR 640100"],  # not a frequency of the licence
        ["vhf_radio", "HT 03", "147.0", "147.0", "ISR 647200"],  # another agency's licence
        ["vhf_radio", "HT 04", "147.0", "147.0", "ISR 999"],  # no such licence
    ]
    response = upload(client_for(tree["64.01"]), csv_file(rows, header=header))
    assert response.status_code == 400
    assert [(e["row"], e["column"]) for e in response.json()["errors"]] == [
        (3, "tx_freq_mhz"),
        (4, "licence"),
        (5, "licence"),
    ]
    assert "tidak tercantum di ISR ISR 640100" in response.json()["errors"][0]["message"]
    response = upload(client_for(tree["64.01"]), csv_file(rows[:1], header=header))
    assert response.status_code == 200 and Asset.objects.get().licence.number == "ISR 640100"
