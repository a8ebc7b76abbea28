"""The alert pages and the dashboard's alert panel in real Chromium: what the person on duty checks by eye."""

import pytest
from django.utils import timezone

from alerts.models import Channel
from tests.alerts.conftest import default_rule, email_channel, on_duty, paser, people, repeater, shifts  # noqa: F401 (fixtures)
from tests.alerts.flow import down
from tests.e2e.conftest import ARTIFACTS, needs_chromium

pytestmark = needs_chromium
SIZES = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1366, "height": 768}}
PASSWORD = "x-Very-Long-Pass-9"  # tests.factories.user's


@pytest.fixture(autouse=True)
def _loopback(settings):
    settings.WEBHOOK_ALLOWED_NETWORKS = ["127.0.0.0/8"]


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("size", SIZES)
def test_alert_list_acknowledge_and_dashboard_panel(live_server, browser, size, paser, repeater, on_duty, people):  # noqa: F811
    down([repeater])
    Channel.objects.create(
        agency=paser,
        name="WA <b>gateway</b>",
        kind="http",
        url="http://127.0.0.1:9/send",
        failing_since=timezone.now(),
        consecutive_failures=3,
    )
    page = browser.new_page(viewport=SIZES[size])
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{live_server.url}/accounts/login/?next=/alerts/")
    page.fill("#id_username", "kalaksa")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/alerts/")

    assert "MATI: Repeater Gunung, BPBD 64.01" in page.inner_text("main")
    page.screenshot(path=str(ARTIFACTS / f"alerts-list-{size}.png"), full_page=True)

    page.click("text=MATI: Repeater Gunung, BPBD 64.01")
    page.wait_for_selector("#acknowledge")
    page.click("#acknowledge")
    page.wait_for_selector("#timeline")
    assert page.locator("#acknowledge").count() == 0
    assert "Diterima" in page.inner_text("#timeline")
    page.screenshot(path=str(ARTIFACTS / f"alert-detail-{size}.png"), full_page=True)

    page.goto(f"{live_server.url}/")
    page.wait_for_selector("#alerts-list li a")
    assert page.inner_text("#alerts-totals") == "0 belum diterima dari 1 peringatan aktif"
    item = page.locator("#alerts-list li").first
    assert "MATI: Repeater Gunung, BPBD 64.01" in item.inner_text() and "Diterima" in item.inner_text()
    assert "WA <b>gateway</b> – 3 gagal berturut-turut" in page.inner_text("#channels-list")  # as text, not markup
    page.screenshot(path=str(ARTIFACTS / f"dashboard-alerts-{size}.png"), full_page=True)
    assert not errors, errors
