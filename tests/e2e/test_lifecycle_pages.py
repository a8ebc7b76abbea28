"""What lapses, radios on expired licences and readiness for BNPB's aid, as procurement sees them in real
headless Chromium (Debian's) at phone and desktop widths; screenshots land in test-artifacts/."""

import pytest

from assets.seed import seed_demo_users, seed_kaltim
from tests.e2e.conftest import ARTIFACTS, PASSWORD, SIZES, login, needs_chromium

pytestmark = needs_chromium


@pytest.fixture
def seeded(transactional_db, settings):
    settings.MAP_TILE_URL = ""  # nothing leaves this machine
    seed_kaltim()
    seed_demo_users(PASSWORD)


@pytest.mark.parametrize("size", SIZES)
def test_procurement_sees_what_lapses_and_who_can_receive_equipment(seeded, live_server, browser, size):
    page = browser.new_page(viewport=SIZES[size])
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("response", lambda r: errors.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    login(page, live_server, "pengadaan", then="/procurement/expiries/")

    summary = page.locator("#summary").inner_text()
    assert "berakhir dalam 90 hari di 11 instansi" in summary and "Rp" in summary
    expired = page.locator("#expired-licences").inner_text()
    assert "BPBD Kota Samarinda" in expired and "Radio VHF base" in expired and "6472-VHF-001" in expired
    assert page.get_by_text("Izin stasiun radio (ISR)").first.is_visible()
    page.screenshot(path=str(ARTIFACTS / f"expiries-{size}.png"), full_page=True)
    assert page.locator("main [aria-current=page]").inner_text() == "90 hari"
    page.get_by_role("link", name="30 hari").click()
    page.wait_for_url("**/procurement/expiries/?days=30")
    assert "berakhir dalam 30 hari" in page.locator("#summary").inner_text()

    page.goto(f"{live_server.url}/procurement/gaps/?horizon_days=90")
    samarinda = page.locator("section.agency-gaps", has_text="BPBD Kota Samarinda")
    assert samarinda.locator("h2 .badge").inner_text() == "Siap menerima bantuan"
    paser = page.locator("section.agency-gaps", has_text="BPBD Kabupaten Paser").inner_text()
    assert "Belum siap" in paser and "ruang radio minimal 4 x 6 m (tercatat 3 x 4 m)" in paser
    assert "2 dari 11 instansi siap" in page.content()
    assert page.get_by_text("BHP frekuensi").first.is_visible()
    page.screenshot(path=str(ARTIFACTS / f"gaps-readiness-{size}.png"), full_page=True)

    page.goto(f"{live_server.url}/agencies/64.72/")
    card = page.locator("#licences")
    assert "Radio VHF base" in card.inner_text() and "HT VHF 1" in card.inner_text()
    assert "HT VHF cadangan" not in card.inner_text()  # in the warehouse, not on the air
    page.locator("#lapsing").scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / f"agency-licences-{size}.png"), full_page=True)
    assert not errors, errors
