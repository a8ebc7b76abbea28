"""The record of a closed stocktake: the manager's sign-off ("mengetahui") over the API and the page, who may
give it (a manager or administrator of the agency; not technicians, not another agency), and the berita acara
as PDF and XLSX, read back, saying who signed and when (WITA), or that it still awaits the sign-off."""

import io
from datetime import UTC, datetime

import pytest
from django.test import Client
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from openpyxl import load_workbook
from pypdf import PdfReader

from accounts.choices import Role
from assets.choices import Condition, StocktakeResult
from assets.models import Stocktake
from assets.stocktake import stocktake_close, stocktake_mark, stocktake_open
from tests import factories


@pytest.fixture
def paser(tree):
    return tree["64.01"]


@pytest.fixture
def closed(paser):
    """A count of Paser's office: the base found damaged with a note, one handheld not found."""
    office = factories.site(paser, name="Pusdalops Paser")
    base = factories.radio(paser, name="Radio VHF base", site=office, tag="6401-VHF-001")
    factories.radio(paser, name="HT VHF 1", site=office, tag="6401-HT-001")
    counter = factories.user(paser, Role.TECHNICIAN, username="budi", first_name="Budi", last_name="Santoso")
    count = stocktake_open(agency=paser, site=office, by=counter)
    stocktake_mark(
        stocktake=count,
        asset=base,
        result=StocktakeResult.FOUND,
        condition=Condition.LIGHT_DAMAGE,
        note="=SUM(A1) konektor longgar",
        by=counter,
    )
    return stocktake_close(stocktake=count, by=counter)


def _browser(user) -> Client:
    browser = Client()
    browser.force_login(user)
    return browser


def _pdf_text(client, count) -> str:
    response = client.get(f"/stocktakes/{count.pk}/berita-acara.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)


def test_a_manager_of_the_agency_signs_the_closed_count_off(tree, paser, closed, client_for):
    reader = _browser(factories.user(paser, Role.PROCUREMENT))
    assert "Menunggu pengesahan (mengetahui) manajer" in _pdf_text(reader, closed)

    manager = client_for(paser, Role.MANAGER, first_name="Siti", last_name="Rahmah")
    before = timezone.now()
    signed = manager.post(f"/api/stocktakes/{closed.pk}/sign/")
    assert signed.status_code == 200, signed.content
    body = signed.json()
    assert (body["signed_by"], body["status"]) == (manager.user.username, "closed")
    assert before <= parse_datetime(body["signed_at"]) <= timezone.now()
    # The record shows the moment in WITA: 07.04 UTC is 15.04 WITA.
    Stocktake.objects.filter(pk=closed.pk).update(signed_at=datetime(2026, 11, 10, 7, 4, tzinfo=UTC))
    text = _pdf_text(reader, closed)
    assert "Mengetahui 10 November 2026 15.04 WITA oleh Siti Rahmah" in text
    assert "Disahkan 10 November 2026 15.04 WITA" in text and "Menunggu pengesahan" not in text

    # Once is enough: a second sign-off is refused with the reason, and changes nothing.
    again = client_for(paser, Role.ADMINISTRATOR).post(f"/api/stocktakes/{closed.pk}/sign/")
    assert again.status_code == 400 and again.json() == {"stocktake": ["Inventarisasi ini sudah disahkan."]}
    assert Stocktake.objects.get(pk=closed.pk).signed_by == manager.user


def test_who_may_not_sign(tree, paser, closed, client_for):
    url = f"/api/stocktakes/{closed.pk}/sign/"
    # Visible, but not theirs to sign: technicians, procurement, the province's manager: 403.
    for client in (
        client_for(paser, Role.TECHNICIAN),
        client_for(paser, Role.PROCUREMENT),
        client_for(tree["64"], Role.MANAGER),
    ):
        assert client.post(url).status_code == 403, client.user.role
    # Another agency's count is not found at all.
    for code in ("64.72", "63.01"):
        assert client_for(tree[code], Role.MANAGER).post(url).status_code == 404
    assert Stocktake.objects.get(pk=closed.pk).signed_at is None


def test_an_open_count_cannot_be_signed(paser, client_for):
    counter = factories.user(paser)
    count = stocktake_open(agency=paser, by=counter)
    refused = client_for(paser, Role.MANAGER).post(f"/api/stocktakes/{count.pk}/sign/")
    assert refused.status_code == 400
    assert refused.json() == {"stocktake": ["Inventarisasi harus ditutup dulu sebelum disahkan."]}


def test_the_page_offers_the_sign_off_to_the_manager_only(paser, closed):
    technician = _browser(factories.user(paser, Role.TECHNICIAN))
    page = technician.get(f"/stocktakes/{closed.pk}/").content.decode()
    assert "Menunggu pengesahan" in page and 'id="sign"' not in page
    assert technician.post(f"/stocktakes/{closed.pk}/sign/").status_code == 403

    manager = factories.user(paser, Role.MANAGER, username="kalaksa")
    browser = _browser(manager)
    assert 'id="sign"' in browser.get(f"/stocktakes/{closed.pk}/").content.decode()
    response = browser.post(f"/stocktakes/{closed.pk}/sign/", follow=True)
    page = response.content.decode()
    assert "Berita acara inventarisasi disahkan." in page and "Mengetahui: kalaksa" in page
    assert 'id="sign"' not in page
    assert Stocktake.objects.get(pk=closed.pk).signed_by == manager


def test_the_berita_acara_as_xlsx(paser, closed, client_for):
    client_for(paser, Role.MANAGER, username="kalaksa").post(f"/api/stocktakes/{closed.pk}/sign/")
    browser = _browser(factories.user(paser, Role.MANAGER))
    response = browser.get(f"/stocktakes/{closed.pk}/berita-acara.xlsx")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert f"berita-acara-inventarisasi-{closed.pk}.xlsx" in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Berita acara", "Aset"]
    facts = {row[0]: row[1] for row in workbook["Berita acara"].iter_rows(min_row=2, values_only=True) if row[0]}
    assert facts["Lokasi"] == "Pusdalops Paser" and facts["Nomor inventarisasi"] == str(closed.pk)
    assert facts["Ditutup"].endswith("WITA oleh Budi Santoso")
    assert facts["Mengetahui"].endswith(" WITA oleh kalaksa")
    assert (facts["Ditemukan"], facts["Tidak ditemukan"], facts["Jumlah"]) == (1, 1, 2)

    lines = workbook["Aset"]
    assert [cell.value for cell in lines[1]] == [
        "Aset",
        "No. inventaris",
        "Tercatat di",
        "Hasil",
        "Kondisi",
        "Ditemukan di",
        "Catatan",
        "Foto",
        "Diperiksa oleh",
        "Waktu diperiksa (WITA)",
    ]
    assert all(cell.font.bold for cell in lines[1]) and lines.freeze_panes == "A2"
    rows = {row[0]: row for row in lines.iter_rows(min_row=2, values_only=True)}
    base, missing = rows["Radio VHF base"], rows["HT VHF 1"]
    assert base[1:6] == ("6401-VHF-001", "Pusdalops Paser", "Ditemukan", "Rusak Ringan", None)
    assert base[6:8] == ("'=SUM(A1) konektor longgar", None)  # a note is never run as a formula
    assert base[8] == "budi" and isinstance(base[9], datetime)
    assert lines.cell(2, 10).number_format == "d mmmm yyyy hh:mm"
    assert missing[3:5] == ("Tidak ditemukan", None)


def test_the_record_of_an_open_or_foreign_count_is_not_found(tree, paser, closed):
    open_count = stocktake_open(agency=paser, by=factories.user(paser))
    own = _browser(factories.user(paser, Role.MANAGER))
    assert own.get(f"/stocktakes/{open_count.pk}/berita-acara.xlsx").status_code == 404
    outsider = _browser(factories.user(tree["64.72"], Role.MANAGER))
    assert outsider.get(f"/stocktakes/{closed.pk}/berita-acara.xlsx").status_code == 404
    assert outsider.post(f"/stocktakes/{closed.pk}/sign/").status_code == 404
