"""The dashboard in real headless Chromium (Debian's), against a live server on loopback.

Screenshots at phone and desktop widths land in test-artifacts/ for a person to look at.
"""

import pytest
from django.core.management import call_command

from assets.models import Asset
from assets.seed import seed_demo_users, seed_kaltim
from monitoring.asset_status import ON_HAND_STATUSES
from monitoring.models import AssetState
from reports.dashboard import refresh_overview
from tests.e2e.conftest import ARTIFACTS, PASSWORD, SIZES, login, needs_chromium
from tests.peers import drop_icmp_to, nft_usable

pytestmark = needs_chromium


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
    assert rows.first.get_attribute("data-agency") == "64.02"  # the one with a repeater down comes first
    assert "1 Mati" in kubar.locator(".buckets").inner_text()
    # Three polls are minutes of a day: the figure says how long it watched, and gives no percentage yet.
    assert kubar.locator("td").nth(3).inner_text().startswith("dipantau ")
    page.wait_for_function("() => document.getElementById('channels-list').textContent !== ''")
    assert page.inner_text("#channels-list") == "Semua kanal peringatan berjalan."  # no bare dash for "none"
    page.screenshot(path=str(ARTIFACTS / f"province-{size}.png"), full_page=True)

    # The figures refresh without a reload: a recovery recorded now shows up on the open page.
    repeater = Asset.objects.get(agency__code="64.02", kind="repeater")
    AssetState.objects.filter(asset=repeater).update(state="up")
    refresh_overview()  # what the poller does after recording a cycle
    page.wait_for_function(  # a function, not an expression: the page's policy forbids eval, Playwright's too
        "() => !document.querySelector('tr[data-agency=\"64.02\"] .buckets .state-down')",
        timeout=5000,
    )

    page.click('#overview a[href="/agencies/64.02/"]')
    page.wait_for_selector("#map path.leaflet-interactive")
    assert page.locator("#map path.leaflet-interactive").count() == 3  # three sites, drawn without any tile
    assert (
        page.locator("#assets tbody tr").count()
        == Asset.objects.filter(agency__code="64.02", status__in=ON_HAND_STATUSES).count()  # monitored or not
    )
    assert page.locator("#daily .uplot canvas").count() == 1  # charts.js drew the daily chart
    page.screenshot(path=str(ARTIFACTS / f"agency-{size}.png"), full_page=True)
    page.close()
