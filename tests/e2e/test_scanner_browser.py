"""The label scanner in real headless Chromium (Debian's), its camera fed a real QR label: Chromium's fake
capture device plays a YUV4MPEG2 file made here from a segno QR code of an asset's URL, the page decodes it
(BarcodeDetector where Chromium has one, else the vendored jsQR), opens the asset and ticks it in the open
stocktake. A label of someone else's site is shown as text and not followed. Screenshots in test-artifacts/."""

import io
from datetime import time

import pytest
import segno
from django.contrib.auth import get_user_model
from django.utils import timezone
from PIL import Image

from alerts.models import DutyAssignment, DutyShift
from assets.choices import StocktakeResult
from assets.models import Asset, Site, StocktakeLine
from assets.seed import seed_demo_users, seed_kaltim
from assets.stocktake import stocktake_open
from tests.e2e.conftest import ARTIFACTS, CHROMIUM, PASSWORD, SIZES, login, needs_chromium

pytestmark = needs_chromium

WIDTH, HEIGHT = 640, 480
FRAMES = 10


def write_y4m(path, text: str) -> None:
    """A short clip of a label (a QR code of `text` on white) as raw I420 frames, Chromium's fake camera input."""
    buffer = io.BytesIO()
    segno.make(text, error="m").save(buffer, kind="png", scale=8, border=4)
    label = Image.open(buffer).convert("L")
    side = min(HEIGHT - 40, label.width)
    frame = Image.new("L", (WIDTH, HEIGHT), 255)
    frame.paste(label.resize((side, side), Image.NEAREST), ((WIDTH - side) // 2, (HEIGHT - side) // 2))
    luma = frame.point(lambda v: 16 + v * 219 // 255).tobytes()  # studio range, as a camera delivers it
    chroma = bytes([128]) * (WIDTH // 2 * HEIGHT // 2)  # grey: no colour
    with open(path, "wb") as out:
        out.write(f"YUV4MPEG2 W{WIDTH} H{HEIGHT} F10:1 Ip A1:1 C420jpeg\n".encode())
        for _ in range(FRAMES):
            out.write(b"FRAME\n" + luma + chroma + chroma)


@pytest.fixture
def seeded(transactional_db, settings):
    settings.MAP_TILE_URL = ""  # nothing leaves this machine
    seed_kaltim()
    seed_demo_users(PASSWORD)


@pytest.fixture
def camera_browser(monkeypatch):
    """Chromium whose only camera plays the file the test writes to `clip` before opening a page."""
    from playwright.sync_api import sync_playwright

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    ARTIFACTS.mkdir(exist_ok=True)

    def launch(clip):
        playwright = sync_playwright().start()
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--no-first-run",
                "--use-fake-device-for-media-stream",
                "--use-fake-ui-for-media-stream",
                f"--use-file-for-fake-video-capture={clip}",
            ],
        )
        opened.append((playwright, chromium))
        return chromium

    opened = []
    yield launch
    for playwright, chromium in opened:
        chromium.close()
        playwright.stop()


def _watch(page) -> list[str]:
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    return errors


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_scanning_a_label_opens_the_asset_and_ticks_it_in_the_stocktake(
    seeded, live_server, camera_browser, tmp_path, size
):
    office = Site.objects.get(agency__code="64.72", name__startswith="Pusdalops")
    counter = get_user_model().objects.get(username="teknisi-samarinda")
    counted = stocktake_open(agency=office.agency, site=office, by=counter)
    # On duty today, so the technician may open a work order from the asset (maintenance.dispatch).
    shift = DutyShift.objects.create(agency=office.agency, name="Sehari", starts=time(0), ends=time(0))
    DutyAssignment.objects.create(shift=shift, date=timezone.localdate(), user=counter)
    asset = Asset.objects.filter(site=office).exclude(status__in=["retired", "planned"]).order_by("name").first()
    clip = tmp_path / "label.y4m"
    write_y4m(clip, f"{live_server.url}/assets/{asset.pk}/")
    context = camera_browser(clip).new_context(viewport=SIZES[size])
    context.grant_permissions(["camera"], origin=live_server.url)
    page = context.new_page()
    errors = _watch(page)
    login(page, live_server, "teknisi-samarinda", then=f"/stocktakes/{counted.pk}/")
    page.get_by_role("link", name="Pindai label QR").click()
    assert "ditandai ditemukan di inventarisasi" in page.locator("#scan-stocktake").inner_text()

    page.wait_for_url(f"{live_server.url}/assets/{asset.pk}/", timeout=30_000)
    assert page.locator("h1").inner_text() == asset.name
    assert f"Ditandai ditemukan di inventarisasi {office.name}." in page.locator(".flash").inner_text()
    assert page.get_by_role("link", name="Buat perintah kerja").is_visible()
    assert page.get_by_role("button", name="Catat kondisi").is_visible()
    line = StocktakeLine.objects.get(stocktake=counted, asset=asset)
    assert line.result == StocktakeResult.FOUND and line.marked_by.username == "teknisi-samarinda"
    page.screenshot(path=str(ARTIFACTS / f"scan-opened-asset-{size}.png"), full_page=True)

    # "Catat kondisi" right there: the asset's condition, kept in its history.
    page.select_option("#asset-condition", "light_damage")
    page.fill("#asset-condition-note", "Antena bengkok")
    page.get_by_role("button", name="Catat kondisi").click()
    assert page.locator("#condition").inner_text() == "Rusak Ringan"
    record = Asset.objects.get(pk=asset.pk).history.first()
    assert (record.condition, record.history_change_reason) == ("light_damage", "Antena bengkok")
    assert not errors, errors


def test_a_label_that_is_not_ours_is_shown_and_not_followed(seeded, live_server, camera_browser, tmp_path):
    clip = tmp_path / "foreign.y4m"
    foreign = "https://contoh.invalid/assets/1/"
    write_y4m(clip, foreign)
    context = camera_browser(clip).new_context(viewport=SIZES["phone"])
    context.grant_permissions(["camera"], origin=live_server.url)
    page = context.new_page()
    login(page, live_server, "teknisi-samarinda", then="/assets/scan/")
    shown = page.locator("#scan-foreign-text")
    shown.wait_for(state="visible", timeout=30_000)
    assert shown.inner_text() == foreign
    assert page.url == f"{live_server.url}/assets/scan/"
    page.screenshot(path=str(ARTIFACTS / "scan-foreign-label-phone.png"), full_page=True)

    # The tag typed by hand works as well as the camera.
    asset = Asset.objects.filter(agency__code="64.72").exclude(tag=None).order_by("name").first()
    page.fill("#scan-tag", asset.tag.lower())
    page.get_by_role("button", name="Buka aset").click()
    page.wait_for_url(f"{live_server.url}/assets/{asset.pk}/")
    page.goto(f"{live_server.url}/assets/scan/")
    page.fill("#scan-tag", "TIDAK-ADA-999")
    page.get_by_role("button", name="Buka aset").click()
    assert page.locator("#scan-error").inner_text() == "Nomor inventaris “TIDAK-ADA-999” tidak ditemukan."
    page.screenshot(path=str(ARTIFACTS / "scan-tag-not-found-phone.png"), full_page=True)
