"""Spare stock, labels and a stocktake as people use them, in real headless Chromium (Debian's): a technician
on a phone (390 x 844) walks a stocktake by tapping and by opening an asset as a scanned label would, closes it
with a missing radio; procurement reads the stock below minimum. Screenshots land in test-artifacts/."""

import pytest

from assets.choices import AssetStatus
from assets.models import Asset, Site
from assets.seed import seed_demo_users, seed_kaltim
from assets.stock_seed import seed_spare_stock
from tests.e2e.conftest import ARTIFACTS, PASSWORD, SIZES, login, needs_chromium

pytestmark = needs_chromium


@pytest.fixture
def seeded(transactional_db, settings):
    settings.MAP_TILE_URL = ""  # nothing leaves this machine
    seed_kaltim()
    seed_spare_stock()
    seed_demo_users(PASSWORD)


def _watch(page) -> list[str]:
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("response", lambda r: errors.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    return errors


def test_technician_walks_a_stocktake_on_a_phone(seeded, live_server, browser):
    office = Site.objects.get(agency__code="64.72", name__startswith="Pusdalops")
    warehouse = Site.objects.get(agency__code="64.72", name__startswith="Gudang Logistik")
    counted = list(Asset.objects.filter(site=office).exclude(status__in=["retired", "planned"]).order_by("name"))
    assert len(counted) >= 3
    page = browser.new_page(viewport=SIZES["phone"])
    errors = _watch(page)
    login(page, live_server, "teknisi-samarinda", then="/stocktakes/")
    assert "Belum ada inventarisasi." in page.content()
    page.select_option("#open-site", str(office.pk))
    page.get_by_role("button", name="Mulai", exact=True).click()
    page.wait_for_url("**/stocktakes/*/")
    stocktake_url = page.url
    progress = page.locator("#progress")
    assert progress.inner_text() == f"0 dari {len(counted)} aset sudah diperiksa"
    page.screenshot(path=str(ARTIFACTS / "stocktake-open-phone.png"), full_page=True)

    first, second, third = counted[:3]
    # Tapping: found in good condition; not found.
    page.locator(f"#line-{first.pk}").get_by_role("button", name="Ditemukan", exact=True).click()
    assert f"{first.name}: Ditemukan." in page.locator(".flash").inner_text()
    page.locator(f"#line-{second.pk}").get_by_role("button", name="Tidak ditemukan").click()
    line = page.locator(f"#line-{third.pk}")
    line.locator("summary").click()
    line.locator("select[name=found_site]").select_option(str(warehouse.pk))
    line.get_by_role("button", name="Simpan").click()
    assert "Ditemukan di lokasi lain" in page.locator(f"#line-{third.pk}").inner_text()
    assert progress.inner_text() == f"3 dari {len(counted)} aset sudah diperiksa"

    # Scanning a label opens the asset's page, where it is ticked off with its condition.
    if len(counted) > 3:
        scanned = counted[3]
        page.goto(f"{live_server.url}/assets/{scanned.pk}/")
        assert scanned.name in page.locator("h1").inner_text()
        page.select_option("select[name=condition]", "light_damage")
        page.screenshot(path=str(ARTIFACTS / "asset-scanned-phone.png"), full_page=True)
        page.get_by_role("button", name="Ditemukan di sini").click()
        assert "Sudah dicatat: Ditemukan · Rusak Ringan" in page.locator("#asset").locator("..").inner_text()
        page.goto(stocktake_url)

    discrepancies = page.locator("#discrepancies").inner_text()
    assert second.name in discrepancies and "tidak ditemukan" in discrepancies
    assert f"ditemukan di {warehouse.name}, tercatat di {office.name}" in discrepancies
    page.screenshot(path=str(ARTIFACTS / "stocktake-marked-phone.png"), full_page=True)

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Tutup inventarisasi").click()
    assert "Inventarisasi ditutup" in page.locator(".flash").inner_text()
    assert page.get_by_role("button", name="Ditemukan", exact=True).count() == 0  # a closed count is a record
    page.screenshot(path=str(ARTIFACTS / "stocktake-closed-phone.png"), full_page=True)
    assert Asset.objects.get(pk=second.pk).status == AssetStatus.MISSING
    assert Asset.objects.get(pk=third.pk).site == warehouse
    page.goto(f"{live_server.url}/assets/{second.pk}/")
    assert "Tidak ditemukan" in page.locator("#asset").inner_text()
    page.goto(f"{live_server.url}/stocktakes/")
    missing = len(counted) - 3  # the one tapped missing, and those never looked at
    assert f"{missing} tidak ditemukan, 1 di lokasi lain, 2 ditemukan" in page.locator(".card-link").first.inner_text()
    assert not errors, errors


@pytest.mark.parametrize("size", SIZES)
def test_procurement_reads_stock_below_minimum(seeded, live_server, browser, size):
    page = browser.new_page(viewport=SIZES[size])
    errors = _watch(page)
    login(page, live_server, "pengadaan", then="/procurement/stock/")
    summary = page.locator("#summary").inner_text()
    assert "di bawah minimum dari 55 barang" in summary and "Rp" in summary
    first = page.locator(".stock-item").first
    assert "Di bawah minimum" in first.inner_text() and "Kurang" in first.inner_text()
    first.locator("summary").click()
    assert "Saldo awal" in first.inner_text()
    page.screenshot(path=str(ARTIFACTS / f"stock-{size}.png"), full_page=True)
    page.goto(f"{live_server.url}/assets/labels/")
    assert page.get_by_text("Semua aset (PDF)").count() == 11
    page.screenshot(path=str(ARTIFACTS / f"labels-{size}.png"))
    assert not errors, errors
