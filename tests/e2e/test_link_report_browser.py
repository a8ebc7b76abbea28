"""The link report as procurement reads it in real headless Chromium (Debian's), at phone and desktop widths, over
the demo's week of history; screenshots land in test-artifacts/."""

import pytest
from django.utils import timezone

from assets.seed import seed_demo_users, seed_kaltim
from monitoring.demo import seed_network_demo
from tests.e2e.conftest import ARTIFACTS, PASSWORD, SIZES, login, needs_chromium

pytestmark = needs_chromium


@pytest.fixture
def seeded(transactional_db, settings):
    settings.MAP_TILE_URL = ""  # nothing leaves this machine
    seed_kaltim()
    seed_demo_users(PASSWORD)
    seed_network_demo()


@pytest.mark.parametrize("size", SIZES)
def test_procurement_reads_each_providers_month(seeded, live_server, browser, size):
    page = browser.new_page(viewport=SIZES[size])
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("response", lambda r: errors.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    month = timezone.localdate().strftime("%Y-%m")
    login(page, live_server, "pengadaan", then=f"/reports/links/?month={month}")

    providers = page.locator("#providers tbody tr")
    assert providers.count() >= 2
    first = providers.first.inner_text()
    assert "%" in first and "Rp" in first and "None" not in page.content()
    links = page.locator("#links tbody tr")
    assert links.count() >= providers.count()
    shown = [
        float(t.split(" %")[0].replace(",", "."))
        for t in links.locator("td[data-label=Ketersediaan]").all_inner_texts()
        if "%" in t
    ]
    assert shown == sorted(shown)  # worst first
    assert "ms" in page.locator("#links").inner_text()
    page.screenshot(path=str(ARTIFACTS / f"link-report-{size}.png"), full_page=True)

    name = providers.first.locator("a").inner_text()
    providers.first.locator("a").click()
    page.wait_for_url("**provider=**")
    rows = page.locator("#providers tbody tr")
    assert [rows.nth(i).get_attribute("data-provider") for i in range(rows.count())] == [name]
    with page.expect_download() as download:
        page.get_by_role("link", name="XLSX").click()
    assert download.value.suggested_filename == "laporan-link.xlsx"
    assert not errors, errors
