"""The dashboard in real headless Chromium (Debian's), against a live server on loopback.

Screenshots at phone and desktop widths land in test-artifacts/ for a person to look at.
"""

import os
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command

from assets.models import Asset
from assets.seed import seed_demo_users, seed_kaltim
from monitoring.models import AssetState
from reports.dashboard import refresh_overview
from tests.peers import drop_icmp_to, nft_usable

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
PASSWORD = "simpul-e2e-password"
SIZES = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1366, "height": 900}}

pytestmark = pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="chromium not installed: apt-get install chromium")


@pytest.fixture
def kaltim(transactional_db, settings):
    """The seeded Kaltim network, polled for real; Kutai Barat's repeater (127.64.2.10) behind a drop rule."""
    if not nft_usable():
        pytest.skip("needs root and nftables to take one seeded repeater off the air")
    settings.MAP_TILE_URL = ""  # no tiles: the test sends nothing off this machine, and markers must still show
    seed_kaltim()
    seed_demo_users(PASSWORD)
    with drop_icmp_to("127.64.2.10/32"):
        for _ in range(3):  # three consecutive misses confirm it down
            call_command("poll", "--once")


@pytest.fixture
def browser(monkeypatch):
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop on this thread; the test's own ORM calls are still synchronous.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--disable-quic",
            ],
        )
        yield chromium
        chromium.close()


def login(page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/?next=/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")


@pytest.mark.parametrize("size", SIZES)
def test_province_and_agency_views(kaltim, live_server, browser, size):
    page = browser.new_page(viewport=SIZES[size])
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("response", lambda r: errors.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    page.add_init_script("window.SIMPUL_REFRESH_MS = 500")
    login(page, live_server, "manajer")

    assert not errors, errors
    rows = page.locator("#overview tbody tr")
    assert rows.count() == 11
    kubar = page.locator('tr[data-agency="64.02"]')
    assert kubar.locator('[data-k="down"]').inner_text() == "1"
    assert "%" in kubar.locator('[data-k="a24h"]').inner_text()
    page.screenshot(path=str(ARTIFACTS / f"province-{size}.png"), full_page=True)

    # The figures refresh without a reload: a recovery recorded now shows up on the open page.
    repeater = Asset.objects.get(agency__code="64.02", kind="repeater")
    AssetState.objects.filter(asset=repeater).update(state="up")
    refresh_overview()  # what the poller does after recording a cycle
    page.wait_for_function(
        "document.querySelector('tr[data-agency=\"64.02\"] [data-k=\"down\"]').textContent === '0'", timeout=5000
    )

    page.click('a[href="/agencies/64.02/"]')
    page.wait_for_selector("#map path.leaflet-interactive")
    assert page.locator("#map path.leaflet-interactive").count() == 3  # three sites, drawn without any tile
    assert (
        page.locator("#assets tbody tr").count()
        == Asset.objects.filter(
            agency__code="64.02", status__in=["in_service", "faulty", "in_repair"], state__isnull=False
        ).count()
    )
    assert page.locator("#daily svg rect").count() >= 1
    page.screenshot(path=str(ARTIFACTS / f"agency-{size}.png"), full_page=True)
    page.close()
