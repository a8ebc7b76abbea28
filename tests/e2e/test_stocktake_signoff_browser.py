"""A closed stocktake as its manager reads it in real headless Chromium (Debian's): the line's note and photo
thumbnail, the record awaiting the sign-off, the "Mengetahui" button (asked once), and then who signed and when.
A technician of the same agency sees no button. Screenshots at phone and laptop size in test-artifacts/."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from assets.choices import Condition, StocktakeResult
from assets.models import Asset, Site
from assets.seed import seed_demo_users, seed_kaltim
from assets.stocktake import stocktake_close, stocktake_line_photo, stocktake_mark, stocktake_open
from tests.e2e.conftest import ARTIFACTS, PASSWORD, SIZES, login, needs_chromium

pytestmark = needs_chromium


def _jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (800, 600), (40, 110, 60)).save(buffer, "JPEG")
    return buffer.getvalue()


@pytest.fixture
def closed(transactional_db, settings, tmp_path):
    settings.MAP_TILE_URL = ""  # nothing leaves this machine
    settings.MEDIA_ROOT = tmp_path
    seed_kaltim()
    seed_demo_users(PASSWORD)
    User = get_user_model()
    office = Site.objects.get(agency__code="64", name__startswith="Pusdalops")
    counter = User.objects.get(username="teknisi")
    count = stocktake_open(agency=office.agency, site=office, by=counter)
    radio = Asset.objects.filter(site=office, kind="vhf_radio").order_by("name").first()
    stocktake_mark(
        stocktake=count,
        asset=radio,
        result=StocktakeResult.FOUND,
        condition=Condition.LIGHT_DAMAGE,
        note="Antena patah sebagian",
        by=counter,
    )
    stocktake_line_photo(stocktake=count, asset=radio, upload=SimpleUploadedFile("a.jpg", _jpeg()), by=counter)
    return stocktake_close(stocktake=count, by=counter), radio


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_the_manager_signs_the_closed_count_off(closed, live_server, browser, size):
    count, radio = closed
    technician = browser.new_page(viewport=SIZES[size])
    login(technician, live_server, "teknisi", then=f"/stocktakes/{count.pk}/")
    assert "Menunggu pengesahan" in technician.locator("#signoff").inner_text()
    assert technician.locator("#sign").count() == 0

    page = browser.new_page(viewport=SIZES[size])
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("response", lambda r: errors.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    login(page, live_server, "manajer", then=f"/stocktakes/{count.pk}/")
    line = page.locator(f"#line-{radio.pk}")
    assert "Antena patah sebagian" in line.inner_text() and "Rusak Ringan" in line.inner_text()
    thumbnail = line.locator("img.thumb")
    thumbnail.wait_for()
    assert page.evaluate("(img) => img.complete && img.naturalWidth", thumbnail.element_handle()) == 320
    signoff = page.locator("#signoff")
    assert "Menunggu pengesahan" in signoff.inner_text()
    page.screenshot(path=str(ARTIFACTS / f"stocktake-awaiting-signoff-{size}.png"), full_page=True)

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Sahkan (mengetahui)").click()
    assert "Berita acara inventarisasi disahkan." in page.locator(".flash").inner_text()
    text = page.locator("#signoff").inner_text()
    assert "Disahkan" in text and "Mengetahui: manajer," in text and "WITA" in text
    assert "Menunggu pengesahan" not in text and page.locator("#sign").count() == 0
    with page.expect_download() as download:
        page.locator("#record-xlsx").click()
    assert download.value.suggested_filename == f"berita-acara-inventarisasi-{count.pk}.xlsx"
    page.screenshot(path=str(ARTIFACTS / f"stocktake-signed-{size}.png"), full_page=True)
    assert not errors, errors
