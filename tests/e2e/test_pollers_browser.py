"""Remote pollers in real Chromium: the province administrator sees the silent poller first, makes a poller and
copies its token (shown once), revokes one after confirming; the dashboard lists pollers, silent first, and
the silent poller's asset reads "belum diketahui (poller diam)" on its agency's page."""

from datetime import timedelta

import pytest
from django.utils import timezone

from monitoring.models import Poller
from monitoring.remote.services import poller_create
from monitoring.remote.tokens import token_hash
from tests import factories
from tests.e2e.conftest import ARTIFACTS, SIZES, needs_chromium

pytestmark = needs_chromium
PASSWORD = "x-Very-Long-Pass-9"  # tests.factories.user's


@pytest.fixture
def pollers(tree, settings):
    settings.POLLER_SILENT_AFTER_S = 180
    now = timezone.now()
    quiet, _token = poller_create(name="Poller Paser", agency=tree["64.01"])
    busy, _token = poller_create(name="Poller <b>Samarinda</b>", agency=tree["64.72"])
    Poller.objects.filter(pk=quiet.pk).update(last_contact_at=now - timedelta(minutes=12), version="0.1.0")
    Poller.objects.filter(pk=busy.pk).update(last_contact_at=now, last_backlog=1520, version="0.1.0")
    factories.asset(tree["64.01"], name="Router Paser", management_address="10.1.0.1")
    factories.asset(tree["64.72"], name="Router Samarinda", management_address="10.2.0.1")
    factories.user(tree["64"], "administrator", username="admin-prov")
    return quiet, busy


def _login(page, live_server, then: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/?next={then}")
    page.fill("#id_username", "admin-prov")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}{then}")


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("size", SIZES)
def test_the_administrator_sees_silent_pollers_first_makes_one_and_revokes_one(live_server, browser, size, pollers):
    quiet, busy = pollers
    page = browser.new_page(viewport=SIZES[size])
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    _login(page, live_server, "/pollers/")
    assert page.inner_text("#poller-totals") == "1 diam dari 2 poller aktif"
    rows = page.locator("#pollers tbody tr")
    assert rows.nth(0).get_attribute("id") == f"poller-{quiet.pk}"  # trouble first
    assert "Diam" in rows.nth(0).inner_text() and "WITA" in rows.nth(0).inner_text()
    assert "Poller <b>Samarinda</b>" in rows.nth(1).inner_text()  # a name is text, never markup
    assert "1.520 hasil" in rows.nth(1).inner_text()
    page.screenshot(path=str(ARTIFACTS / f"pollers-page-{size}.png"), full_page=True)

    page.fill("#id_name", "Poller Provinsi")
    page.select_option("#id_agency", "64")
    page.click("button:has-text('Buat dan tampilkan token')")
    page.wait_for_selector("#new-token")
    token = page.inner_text("#token-value")
    assert token_hash(token) == Poller.objects.get(name="Poller Provinsi").token_hash
    assert "Hanya ditampilkan sekarang." in page.inner_text("#new-token")
    page.screenshot(path=str(ARTIFACTS / f"pollers-token-once-{size}.png"), full_page=True)

    page.once("dialog", lambda dialog: dialog.accept())  # revoking asks once
    page.locator(f"#poller-{busy.pk} button:has-text('Cabut')").click()
    page.wait_for_selector(".flash")
    assert "Token Poller <b>Samarinda</b> dicabut" in page.inner_text(".flash")
    assert page.locator("#token-value").count() == 0  # the token is never shown again
    busy.refresh_from_db()
    assert busy.revoked_at is not None

    page.goto(f"{live_server.url}/")
    page.wait_for_selector("#pollers-list li")
    items = page.locator("#pollers-list li")
    assert items.nth(0).get_attribute("data-state") == "silent"  # silent first
    assert "Poller Paser" in items.nth(0).inner_text() and "Diam" in items.nth(0).inner_text()
    assert "diam dari" in page.inner_text("#pollers-totals")
    page.locator("#pollers-panel").scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / f"pollers-dashboard-{size}.png"), full_page=True)

    page.goto(f"{live_server.url}/agencies/64.01/")
    page.wait_for_selector("text=Router Paser")
    assert "poller diam" in page.inner_text("main")
    assert not errors, errors
