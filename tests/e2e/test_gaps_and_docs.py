"""The gap page as procurement reads it, and the API documentation pages loading nothing from elsewhere, in
real headless Chromium (Debian's) at phone and laptop widths; screenshots land in test-artifacts/."""

import re
from urllib.parse import urlsplit

import pytest

from assets.models import StandardItem
from tests import factories
from tests.e2e.conftest import ARTIFACTS, PASSWORD, login, needs_chromium

pytestmark = needs_chromium
SIZES = {"phone": {"width": 390, "height": 844}, "laptop": {"width": 1366, "height": 768}}


@pytest.fixture
def procurement(transactional_db):
    StandardItem.objects.all().delete()
    StandardItem.objects.create(level="regency", kind="router", required=1, unit_cost_idr=4_200_000)
    StandardItem.objects.create(level="regency", kind="vhf_radio", required=10, unit_cost_idr=5_100_000)
    StandardItem.objects.create(
        level="regency", kind="internet_link", link_role="primary", required=1, unit_cost_idr=12_000_000
    )
    kaltim = factories.agency("64")
    paser = factories.agency("64.01", parent=kaltim)
    kubar = factories.agency("64.07", parent=kaltim)
    factories.agency("63.01", parent=factories.agency("63"))  # another province: never on the page
    for n in range(9):
        factories.radio(kubar, name=f"HT {n}")
    user = factories.user(kaltim, "procurement", username="pengadaan")
    user.set_password(PASSWORD)
    user.save()
    return paser, kubar


def _track_offsite(page, live_server) -> list[str]:
    origin = urlsplit(live_server.url).netloc
    offsite = []
    page.on("request", lambda r: offsite.append(r.url) if urlsplit(r.url).netloc not in ("", origin) else None)
    return offsite


@pytest.mark.parametrize("size", SIZES)
def test_gap_page_shows_labels_subtotals_per_agency_and_the_grand_total(procurement, live_server, browser, size):
    page = browser.new_page(viewport=SIZES[size], locale="id-ID")
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("response", lambda r: errors.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    offsite = _track_offsite(page, live_server)
    login(page, live_server, "pengadaan", then="/procurement/gaps/")

    paser = page.locator("section.agency-gaps[data-agency='64.01']")
    text = paser.inner_text()
    assert "Radio VHF" in text and "Router/switch" in text and "Link internet (utama)" in text  # labels
    assert "vhf_radio" not in page.content().replace('value="vhf_radio"', "")  # no codes shown
    assert "wajib 10, berfungsi 0, segera diganti 0: perlu 10" in text
    subtotal = paser.locator("tfoot tr.subtotal").inner_text()
    assert "Subtotal 64.01" in subtotal and "Rp 55.200.000" in subtotal and "Rp 12.000.000" in subtotal
    kubar = page.locator("section.agency-gaps[data-agency='64.07']").locator("tfoot").inner_text()
    assert "Rp 9.300.000" in kubar and "Rp 12.000.000" in kubar  # one radio and a router; the link per year
    grand = page.locator("#grand-total").inner_text()
    assert "Total pembelian dan perpanjangan: Rp 64.500.000" in grand
    assert "Total langganan per tahun: Rp 24.000.000" in grand
    assert "63.01" not in page.content()
    assert re.search(
        r"sampai \d+ (Januari|Februari|Maret|April|Mei|Juni|Juli|Agustus|September|Oktober|November|Desember) 20\d\d",
        grand,
    )
    page.screenshot(path=str(ARTIFACTS / f"gaps-{size}.png"), full_page=True)

    # The filters are a plain GET form: it works without any script.
    page.select_option("#id_agency", "64.07")
    page.select_option("#id_kind", "vhf_radio")
    page.get_by_role("button", name="Tampilkan").click()
    page.wait_for_url(re.compile(r".*agency=64\.07.*kind=vhf_radio.*"))
    assert page.locator("section.agency-gaps").count() == 1
    only = page.locator("section.agency-gaps[data-agency='64.07']").inner_text()
    assert "Radio VHF" in only and "Router" not in only and "Rp 5.100.000" in only
    assert "Total langganan per tahun: Rp 0" in page.locator("#grand-total").inner_text()
    page.screenshot(path=str(ARTIFACTS / f"gaps-filtered-{size}.png"), full_page=True)
    assert not errors, errors
    assert not offsite, offsite


@pytest.mark.parametrize("path", ["/api/docs/", "/api/redoc/"])
def test_api_documentation_loads_nothing_from_outside(procurement, live_server, browser, path):
    page = browser.new_page(viewport=SIZES["laptop"])
    offsite = _track_offsite(page, live_server)
    login(page, live_server, "pengadaan", then=path)
    # Both show the schema's title once they have loaded it and drawn the page (ReDoc takes a while on a
    # loaded machine, and the page's CSP forbids Playwright's wait_for_function).
    for _ in range(120):
        if "Simpul API" in page.content():
            break
        page.wait_for_timeout(500)
    assert "Simpul API" in page.content()
    page.wait_for_load_state("networkidle", timeout=60_000)
    page.screenshot(path=str(ARTIFACTS / f"api-docs-{path.strip('/').replace('/', '-')}.png"))
    assert not offsite, offsite
