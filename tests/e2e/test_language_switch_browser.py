"""The EN/ID switch in real Chromium (Debian's), at phone and laptop widths, on the seeded Kaltim demo: a manager
switches the dashboard to English with the header's button (and the page's scripts write English too); the
choice sticks to their profile; a technician signing in on the same browser keeps it, and their work orders and
an order's page read in English. Screenshots land in test-artifacts/."""

import re

import pytest

from accounts.models import User
from assets.models import Asset
from assets.seed import seed_demo_users, seed_kaltim
from maintenance.demo import seed_maintenance_demo
from maintenance.services import work_order_create
from tests.e2e.conftest import ARTIFACTS, PASSWORD, SIZES, login, needs_chromium
from tests.i18n.words import INDONESIAN, data

pytestmark = needs_chromium


@pytest.fixture
def seeded(transactional_db, settings):
    settings.MAP_TILE_URL = ""  # nothing leaves this machine
    seed_kaltim()
    seed_demo_users(PASSWORD)
    seed_maintenance_demo()
    technician = User.objects.get(username="teknisi")
    work_order_create(  # the province's technician has no open order of the demo's own
        reporter=User.objects.get(username="manajer"),
        agency=technician.agency,
        asset=Asset.objects.filter(agency=technician.agency, kind="repeater").first(),
        title="Ganti baterai repeater",
        kind="corrective",
        assignee=technician,
        checklist=["Ukur tegangan baterai", "Pasang baterai baru"],
    )
    return data()


def _indonesian_left(page, typed: list[str]) -> list[str]:
    text = " ".join(page.locator("body").inner_text().split())
    for value in typed:
        text = text.replace(value, " ")
    return [text[max(m.start() - 30, 0) : m.end() + 30] for m in INDONESIAN.finditer(text)]


@pytest.mark.parametrize("size", SIZES)
def test_the_switch_turns_the_dashboard_and_a_technicians_pages_to_english(seeded, live_server, browser, size):
    context = browser.new_context(viewport=SIZES[size], locale="en-US")  # an English browser: Indonesian all the same
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("response", lambda r: errors.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    login(page, live_server, "manajer")
    assert page.locator("html").get_attribute("lang") == "id"
    assert "dari" in page.locator("#overview-totals").inner_text()  # the script's totals line, in Indonesian

    page.locator("header button[value=en]").click()
    page.wait_for_function("document.documentElement.lang === 'en'")
    assert page.locator("main h1").inner_text() == "Communication network health"
    page.wait_for_function("/ of /.test(document.getElementById('overview-totals').textContent)")
    assert re.search(r"\d+ down of \d+ assets", page.locator("#overview-totals").inner_text())
    assert page.locator("#overview thead").inner_text().split("\t")[0].strip()  # headers are there, and...
    assert "Worst state" in page.locator("#overview thead").inner_text()  # ...in English
    assert page.locator("header button[value=en]").get_attribute("class").split()[-1] == "current"
    assert not _indonesian_left(page, seeded), _indonesian_left(page, seeded)
    page.screenshot(path=str(ARTIFACTS / f"language-dashboard-en-{size}.png"), full_page=True)
    assert User.objects.get(username="manajer").language == "en"

    page.locator("header form.inline:not(.lang) button").click()  # sign out; the browser keeps its language cookie
    login(page, live_server, "teknisi", then="/maintenance/my/")
    assert page.locator("main h1").inner_text() == "My work orders"
    assert User.objects.get(username="teknisi").language == "en"  # chosen before signing in, kept at login
    assert not _indonesian_left(page, seeded), _indonesian_left(page, seeded)
    page.screenshot(path=str(ARTIFACTS / f"language-my-orders-en-{size}.png"), full_page=True)

    page.locator("main a.card-link").first.click()
    page.wait_for_url(re.compile(r".*/maintenance/orders/\d+/$"))
    body = page.locator("main").inner_text()
    assert "Checklist" in body and "Work log" in body
    assert not _indonesian_left(page, seeded), _indonesian_left(page, seeded)
    page.screenshot(path=str(ARTIFACTS / f"language-order-en-{size}.png"), full_page=True)
    assert not errors, errors
