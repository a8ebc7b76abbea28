"""QR labels: the printed PDF's codes, read back by a real decoder (zbarimg), lead to the right asset's page, which
asks a stranger to log in and answers another agency's user with 404."""

import io
import shutil
import subprocess
import tempfile
from urllib.parse import urlsplit

import pytest
from django.test import Client
from pypdf import PdfReader

from assets.choices import AssetStatus, SiteKind
from assets.labels import SHEET
from tests import factories

ZBARIMG = shutil.which("zbarimg")
needs_zbar = pytest.mark.skipif(ZBARIMG is None, reason="zbarimg not installed: apt-get install zbar-tools")


def _decode(png: bytes) -> str:
    with tempfile.NamedTemporaryFile(suffix=".png") as file:
        file.write(png)
        file.flush()
        out = subprocess.run([ZBARIMG, "--quiet", "--raw", file.name], capture_output=True, text=True, check=True)
    return out.stdout.strip()


def _login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def office(tree):
    return factories.site(tree["64.01"], name="Pusdalops", kind=SiteKind.PUSDALOPS)


@needs_zbar
def test_printed_labels_decode_back_to_each_assets_page(tree, office):
    paser = tree["64.01"]
    radios = [
        factories.radio(paser, name=f"HT VHF {n}", site=office, tag=f"6401-HT-{n:03}", serial_number=f"SN{n}")
        for n in range(1, SHEET["columns"] * SHEET["rows"] + 3)  # one more page than a sheet holds
    ]
    factories.radio(paser, name="HT dihapus", site=office, status=AssetStatus.RETIRED)
    factories.radio(paser, name="HT gudang")  # another place: not on this site's sheet
    technician = _login(factories.user(paser))

    response = technician.get(f"/assets/labels.pdf?site={office.pk}")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert 'filename="label-pusdalops.pdf"' in response["Content-Disposition"]
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) == 2
    assert "HT VHF 1" in reader.pages[0].extract_text() and "6401-HT-001" in reader.pages[0].extract_text()
    assert "SN1" in reader.pages[0].extract_text() and paser.name in reader.pages[0].extract_text()
    decoded = [_decode(image.data) for page in reader.pages for image in page.images]
    expected = sorted(radios, key=lambda asset: asset.name)
    assert decoded == [f"http://testserver/assets/{asset.pk}/" for asset in expected]

    # Scanning opens the asset for whoever may see it...
    path = urlsplit(decoded[0]).path
    page = technician.get(path)
    assert page.status_code == 200 and expected[0].name in page.content.decode()
    province_manager = _login(factories.user(tree["64"], "manager"))
    assert province_manager.get(path).status_code == 200
    # ...asks a stranger to log in first, and is "not found" for another agency's user.
    stranger = Client().get(path)
    assert stranger.status_code == 302 and stranger["Location"] == f"/accounts/login/?next={path}"
    assert _login(factories.user(tree["64.72"])).get(path).status_code == 404
    assert _login(factories.user(tree["63.01"])).get(path).status_code == 404


def test_label_sheets_are_scoped(tree, office):
    factories.radio(tree["64.01"], site=office)
    outsider = _login(factories.user(tree["63.01"]))
    assert outsider.get(f"/assets/labels.pdf?site={office.pk}").status_code == 404
    assert outsider.get("/assets/labels.pdf?agency=64.01").status_code == 404
    assert outsider.get("/assets/labels.pdf?site=x").status_code == 404
    assert outsider.get("/assets/labels.pdf").status_code == 404
    own = _login(factories.user(tree["64.01"]))
    response = own.get("/assets/labels.pdf?agency=64.01")
    assert response.status_code == 200 and len(PdfReader(io.BytesIO(response.content)).pages[0].images) == 1
    labels_page = own.get("/assets/labels/").content.decode()
    assert "Pusdalops (PDF)" in labels_page and "BPBD 63.01" not in labels_page


def test_the_scanned_asset_offers_a_work_order_to_whoever_may_dispatch_it(tree, office):
    radio = factories.radio(tree["64.01"], name="Radio VHF Pusdalops", site=office)
    path = f"/assets/{radio.pk}/"
    manager = _login(factories.user(tree["64.01"], "manager")).get(path).content.decode()
    assert f'href="/maintenance/orders/new/?asset={radio.pk}"' in manager and "Buat perintah kerja" in manager
    technician = _login(factories.user(tree["64.01"], "technician")).get(path).content.decode()
    assert "Buat perintah kerja" not in technician  # not on duty: a technician takes orders, does not hand them out
