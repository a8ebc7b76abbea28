"""The header in real Chromium: on a phone the links fold behind "Menu" so a page starts at its content; on a
laptop they are all in view; without script they all show."""

import pytest

from tests import factories
from tests.e2e.conftest import ARTIFACTS, SIZES, needs_chromium

pytestmark = [needs_chromium, pytest.mark.django_db(transaction=True)]


def _login(page, live_server, user) -> None:
    page.goto(f"{live_server.url}/accounts/login/?next=/alerts/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", "x-Very-Long-Pass-9")  # tests.factories.user's
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/alerts/")


def test_on_a_phone_the_links_fold_behind_menu_and_open_on_a_tap(live_server, browser, tree):
    user = factories.user(tree["64.01"], "manager")
    page = browser.new_page(viewport=SIZES["phone"])
    _login(page, live_server, user)
    menu, dashboard = page.locator(".top .menu-toggle"), page.locator("#site-nav a", has_text="Dasbor")
    assert menu.is_visible() and not dashboard.is_visible()
    assert page.locator("main h1").bounding_box()["y"] < 150  # the page's title, not the links, under the thumb
    assert page.locator("header button[value=en]").is_visible()  # the language and the logout stay at hand
    page.screenshot(path=str(ARTIFACTS / "header-folded-phone.png"))
    menu.click()
    assert dashboard.is_visible() and menu.get_attribute("aria-expanded") == "true"
    page.screenshot(path=str(ARTIFACTS / "header-open-phone.png"))
    dashboard.click()
    page.wait_for_url(f"{live_server.url}/")


def test_on_a_laptop_every_link_shows_and_there_is_no_menu_button(live_server, browser, tree):
    user = factories.user(tree["64.01"], "manager")
    page = browser.new_page(viewport=SIZES["desktop"])
    _login(page, live_server, user)
    assert not page.locator(".top .menu-toggle").is_visible()
    assert page.locator("#site-nav a", has_text="Dasbor").is_visible()
    page.screenshot(path=str(ARTIFACTS / "header-laptop.png"))


def test_without_script_a_phone_shows_every_link(live_server, browser, tree):
    user = factories.user(tree["64.01"], "manager")
    context = browser.new_context(viewport=SIZES["phone"], java_script_enabled=False)
    page = context.new_page()
    _login(page, live_server, user)
    assert page.locator("#site-nav a", has_text="Dasbor").is_visible()
    assert not page.locator(".top .menu-toggle").is_visible()


@pytest.mark.parametrize("size", SIZES)
def test_a_missing_page_is_simpuls_own_with_the_roles_menu(live_server, browser, tree, size):
    user = factories.user(tree["64.01"], "technician")
    page = browser.new_page(viewport=SIZES[size])
    _login(page, live_server, user)
    response = page.goto(f"{live_server.url}/maintenance/orders/999999/")
    assert response.status == 404
    assert page.inner_text("main h1") == "Halaman tidak ditemukan"
    assert "di luar instansi yang dapat Anda lihat" in page.inner_text("main")
    assert "Traceback" not in page.content() and "WorkOrder" not in page.inner_text("body")
    menu, mine = page.locator(".top .menu-toggle"), page.locator("#site-nav a", has_text="Perintah kerja saya")
    if size == "phone":
        assert menu.is_visible() and not mine.is_visible()
        page.screenshot(path=str(ARTIFACTS / f"404-{size}.png"))
        menu.click()
    assert mine.is_visible()
    links = page.locator("#site-nav a").all_inner_texts()
    assert "Kesenjangan" not in links and "Papan kerja" not in links  # not the technician's
    page.screenshot(path=str(ARTIFACTS / f"404-menu-{size}.png"))
    page.click("text=Kembali ke beranda")
    page.wait_for_url(f"{live_server.url}/")
