"""The monthly report in real headless Chromium: a regency writes notes, saves, submits; the province sees every
regency's state for the month and returns the report with a reason. Screenshots land in test-artifacts/."""

import pytest

from tests.e2e.conftest import ARTIFACTS, PASSWORD, login, needs_chromium
from tests.reports.october import build_october

pytestmark = needs_chromium
VIEWPORTS = {"phone": {"width": 390, "height": 844}, "laptop": {"width": 1366, "height": 768}}
NOTES = "<img src=x onerror=alert(1)> Genset diuji 2 jam."


@pytest.fixture
def october(transactional_db, tree):
    made = build_october(tree, submitted=False)
    for user in (made["maker"], made["receiver"]):
        user.set_password(PASSWORD)
        user.save()
    return made


def new_page(browser, size: str):
    """An Indonesian browser: pages follow the browser's language, and their Indonesian is what is checked."""
    return browser.new_page(viewport=VIEWPORTS[size], locale="id-ID")


def watch(page) -> list[str]:
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("dialog", lambda dialog: dialog.accept())  # the irreversible buttons ask once
    return errors


@pytest.mark.parametrize("size", VIEWPORTS)
def test_regency_submits_and_province_returns(october, live_server, browser, size):
    page = new_page(browser, size)
    errors = watch(page)
    login(page, live_server, october["maker"].username, then="/reports/64.01/2025-10/")
    status = page.locator("#report-status").inner_text()
    assert "Terlambat" in status and "Batas kirim 10 November 2025" in status
    assert "2 jam 15 menit" in page.locator("#section-gangguan").inner_text()
    assert "Ganti adaptor daya" in page.locator("#section-pemeliharaan").inner_text()
    assert page.locator("#section-kekurangan").is_visible()  # its figures: tests/reports/test_monthly_documents.py
    assert "20 Oktober 2025" in page.locator("#section-isr_kedaluwarsa").inner_text()
    page.fill("#id_notes", NOTES)
    page.get_by_role("button", name="Simpan draf").click()
    assert page.locator(".flash.success").inner_text() == "Catatan disimpan sebagai draf."
    assert page.input_value("#id_notes") == NOTES
    page.screenshot(path=str(ARTIFACTS / f"monthly-report-draft-{size}.png"), full_page=True)
    page.get_by_role("button", name="Kirim ke provinsi").click()
    page.wait_for_selector(".flash.success")
    assert page.locator(".flash.success").inner_text() == "Laporan dikirim ke provinsi."
    assert page.locator("#id_notes").count() == 0  # read-only once sent
    assert page.locator(".notes-text").inner_text() == NOTES  # as text: no image element was made
    assert page.locator("#notes img").count() == 0
    assert "oleh Rina Lestari" in page.locator("#report-status").inner_text()
    page.screenshot(path=str(ARTIFACTS / f"monthly-report-sent-{size}.png"), full_page=True)

    province = new_page(browser, size)
    errors += watch(province)
    login(province, live_server, october["receiver"].username, then="/reports/?month=2025-10")
    assert "1 dari 2 laporan dikirim" in province.locator("#totals").inner_text()
    paser = province.locator("#statuses tr[data-agency='64.01']").inner_text()
    assert "BPBD Kabupaten Paser" in paser and "Terlambat" in paser and "WITA" in paser
    assert "Terlambat" in province.locator("#statuses tr[data-agency='64.72']").inner_text()
    province.screenshot(path=str(ARTIFACTS / f"monthly-status-{size}.png"), full_page=True)
    province.locator("#statuses tr[data-agency='64.01']").get_by_role("link", name="Buka").click()
    province.wait_for_url("**/reports/64.01/2025-10/")
    province.fill("#id_reason", "Lampirkan hasil uji genset.")
    province.get_by_role("button", name="Kembalikan").click()
    province.wait_for_selector(".flash.success")
    assert province.locator(".flash.success").inner_text() == "Laporan dikembalikan ke instansi."
    province.goto(f"{live_server.url}/reports/?month=2025-10")
    assert "Lampirkan hasil uji genset." in province.locator("#statuses tr[data-agency='64.01']").inner_text()

    page.reload()
    assert "Lampirkan hasil uji genset." in page.locator("#return-reason").inner_text()
    assert page.input_value("#id_notes") == NOTES  # editable again
    page.screenshot(path=str(ARTIFACTS / f"monthly-report-returned-{size}.png"), full_page=True)
    assert not errors, errors
