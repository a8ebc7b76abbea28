"""The dashboard and an agency's tables in real Chromium, as a regency technician and a province administrator
read them on a phone (390x844) and on a laptop (1366x768): what is wrong, where, since when, and what is not
watched at all. Screenshots land in test-artifacts/.
"""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from assets.models import Asset
from maintenance.models import WorkOrder
from tests import factories
from tests.e2e.conftest import ARTIFACTS, PASSWORD, login, needs_chromium
from tests.reports.network import kaltim_network

pytestmark = needs_chromium

VIEWPORTS = {"phone": {"width": 390, "height": 844}, "laptop": {"width": 1366, "height": 768}}
RAW_CODES = re.compile(r"\b(up|down|degraded|unreachable|unknown|unchecked|unmonitored|maintenance|None|null)\b")
MOMENT = r"\d{1,2} [A-Z][a-z]+ \d{4}, \d{2}\.\d{2} WITA"


@pytest.fixture
def network(transactional_db, settings):
    settings.MAP_TILE_URL = ""  # nothing leaves this machine
    kaltim = factories.agency("64")
    tree = {"64": kaltim, "64.01": factories.agency("64.01", parent=kaltim)}
    tree["64.72"] = factories.agency("64.72", parent=kaltim, level="city")
    world = kaltim_network(tree, password=PASSWORD)
    # A thousand spare UPS in the provincial warehouse: counts read with a thousands separator.
    Asset.objects.bulk_create(
        Asset(agency=kaltim, kind="ups", name=f"UPS gudang {n}", status="spare") for n in range(1000)
    )
    order = WorkOrder.objects.create(
        agency=world["kubar"],
        asset=world["repeater"],
        kind="corrective",
        status="assigned",
        title="Ganti catu daya repeater",
        due_date=timezone.localdate() + timedelta(days=5),
        reporter=world["technician"],
        assignee=world["technician"],
    )
    order.outages.add(world["outage"])  # who is on it
    return world


def _open(browser, live_server, username: str, size: str):
    page = browser.new_page(viewport=VIEWPORTS[size], locale="id-ID")  # a BPBD manager's browser
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("response", lambda r: errors.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    login(page, live_server, username)
    page.wait_for_selector("#overview tbody tr")
    return page, errors


def _fits(page) -> None:
    """Nothing to scroll sideways: the table became cards on a phone, and fits a laptop."""
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth + 1")
    assert page.evaluate(  # nor does a table's own wrapper
        "() => [...document.querySelectorAll('table.cards')]"
        ".every(t => t.parentElement.scrollWidth <= t.parentElement.clientWidth + 1)"
    )


@pytest.mark.parametrize("size", VIEWPORTS)
def test_a_regency_technician_sees_what_is_wrong_since_when_and_what_is_not_watched(
    network, live_server, browser, size
):
    page, errors = _open(browser, live_server, "teknisi-kubar", size)
    rows = page.locator("#overview tbody tr")
    assert rows.count() == 1
    row = rows.first
    assert row.locator("td").nth(1).inner_text() == "Mati"  # the worst state, translated
    badges = row.locator(".buckets .badge").all_inner_texts()
    assert badges == ["1 Mati", "2 Belum dicek", "2 Tidak dipantau", "1 Normal"]
    assert page.inner_text("#overview-totals") == "1 mati dari 6 aset · 2 belum dicek · 2 tidak dipantau · 1 normal"
    outages = row.locator("td").nth(6).inner_text()
    assert re.fullmatch(rf"1 · sejak {MOMENT} \(3 jam\)", outages), outages
    assert row.locator("td").nth(3).inner_text() == "93,7 %"  # router all day, repeater down 3 of 24 hours
    assert not RAW_CODES.search(page.inner_text("#overview")), page.inner_text("#overview")
    _fits(page)
    page.screenshot(path=str(ARTIFACTS / f"dashboard-technician-{size}.png"), full_page=True)

    page.click('#overview a[href="/agencies/64.02/"]')
    page.wait_for_selector("#assets tbody tr")
    names = page.locator("#assets tbody tr td:first-child").all_inner_texts()
    assert names == [
        "Repeater Bukit Batu",
        "Link Starlink baru",
        "Radio VHF Pusdalops",
        "Genset 10 kVA",
        "UPS cadangan",
        "Router Pusdalops",
    ]
    states = page.locator("#assets tbody tr .badge").all_inner_texts()
    assert states == ["Mati", "Belum dicek", "Belum dicek", "Tidak dipantau", "Tidak dipantau", "Normal"]
    notes = page.locator("#assets tbody tr td:nth-child(5)").all_inner_texts()
    assert re.fullmatch(rf"sejak {MOMENT}", notes[0]), notes
    assert notes[1:5] == [
        "menunggu hasil pertama",
        "belum pernah diapelkan",
        "jenis ini tidak dipantau",
        "cadangan, tidak terpasang",
    ]
    assert page.locator("#assets tbody tr td:nth-child(6)").last.inner_text() == "12,5 ms"
    assert page.inner_text("#assets-totals").startswith("1 mati dari 6 aset")
    [outage] = page.locator("#outages li").all_inner_texts()
    assert re.fullmatch(
        rf"Repeater Bukit Batu · sejak {MOMENT} · 3 jam · sebab: tidak menjawab ping · ditangani Budi Santoso "
        r"\(Ditugaskan\)",
        outage,
    ), outage
    [work] = page.locator("#upcoming li").all_inner_texts()
    assert re.fullmatch(r"\d{1,2} [A-Z][a-z]+ \d{4} · Ganti catu daya repeater · Ditugaskan", work), work
    for box in ("#assets", "#outages", "#upcoming"):
        assert not RAW_CODES.search(page.inner_text(box)), page.inner_text(box)
    assert page.inner_text("#a24h") == "93,7 %"
    _fits(page)
    assert not errors, errors
    page.screenshot(path=str(ARTIFACTS / f"agency-tables-technician-{size}.png"), full_page=True)
    page.close()


@pytest.mark.parametrize("size", VIEWPORTS)
def test_a_province_administrator_sees_agencies_trouble_first_with_totals_and_coverage(
    network, live_server, browser, size
):
    page, errors = _open(browser, live_server, "admin-provinsi", size)
    order = [row.get_attribute("data-agency") for row in page.locator("#overview tbody tr").all()]
    assert order == ["64.02", "64.01", "64", "64.72"]  # down, never checked, then the healthy ones
    paser = page.locator('#overview tr[data-agency="64.01"]')
    assert paser.locator("td").nth(1).inner_text() == "Belum dicek"  # its radios were never called: not green
    assert paser.locator(".buckets .badge").all_inner_texts() == ["2 Belum dicek"]
    assert paser.locator("td").nth(3).inner_text() == "dipantau 0 menit dari 24 jam"
    samarinda = page.locator('#overview tr[data-agency="64.72"] td')
    thirty_days = samarinda.nth(5).inner_text()
    assert re.fullmatch(r"dipantau [23] menit dari 30 hari", thirty_days), thirty_days  # and no percentage
    province = page.locator('#overview tr[data-agency="64"] td')
    assert province.nth(5).inner_text() == "100,0 %"
    assert "1.000 Tidak dipantau" in province.nth(2).inner_text()
    assert page.inner_text("#overview-totals") == (
        "1 mati dari 1.010 aset · 4 belum dicek · 1.002 tidak dipantau · 3 normal"
    )
    foot = page.locator("#overview tfoot td")
    assert foot.first.inner_text() == "Jumlah 4 instansi"
    assert re.fullmatch(rf"1 · sejak {MOMENT}", foot.nth(6).inner_text())
    assert not RAW_CODES.search(page.inner_text("#overview")), page.inner_text("#overview")
    _fits(page)
    page.screenshot(path=str(ARTIFACTS / f"dashboard-province-{size}.png"), full_page=True)

    page.click('#overview a[href="/agencies/64.01/"]')
    page.wait_for_selector("#assets tbody tr")
    assert page.locator("#assets tbody tr td:nth-child(5)").all_inner_texts() == ["belum pernah diapelkan"] * 2
    assert page.inner_text("#outages") == "Tidak ada gangguan aktif."
    assert page.inner_text("#upcoming") == "Tidak ada perintah kerja atau jendela pemeliharaan dalam 30 hari."
    assert page.inner_text("#a30d") == "dipantau 0 menit dari 30 hari"
    _fits(page)
    assert not errors, errors
    page.screenshot(path=str(ARTIFACTS / f"agency-tables-province-{size}.png"), full_page=True)
    page.close()
