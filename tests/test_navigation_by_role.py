"""The header offers each role only the pages it may use: every link answers 200 for that role, and every page
left out answers 403 when typed. One rule per page (accounts.pages.page_for) serves both."""

import re

import pytest
from django.test import Client
from django.utils import timezone

from alerts.models import DutyAssignment, DutyShift
from simpul.navigation import LINKS
from tests import factories

ALL = {name for name, _label in LINKS}
TECHNICIAN = {
    "dashboard",
    "maintenance-my-orders",
    "radio-check-new",
    "rollcalls-board",
    "alerts-list",
    "pollers-page",
    "monthly-status-page",
    "stock-page",
    "stocktake-list",
    "scan-page",
    "labels-page",
}
OFFERED = {
    "technician": TECHNICIAN,
    "manager": ALL - {"maintenance-my-orders", "radio-check-new"},
    "procurement": {
        "dashboard",
        "alerts-list",
        "gaps-page",
        "link-report-page",
        "expiries-page",
        "stock-page",
        "stocktake-list",
        "scan-page",
        "labels-page",
    },
    "administrator": ALL,
}


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _header_links(client) -> list[str]:
    html = client.get("/").content.decode()
    nav = re.search(r'<nav id="site-nav">(.*?)</nav>', html, re.S)
    return re.findall(r'href="([^"]+)"', nav.group(1)) if nav else []


def _paths() -> dict[str, str]:
    from django.urls import reverse

    return {name: reverse(name) for name in ALL}


@pytest.mark.parametrize(("role", "code"), [("technician", "64.01"), ("manager", "64.01"), ("procurement", "64"),
                                            ("administrator", "64")])  # fmt: skip
def test_each_role_is_offered_what_it_may_open_and_refused_the_rest(tree, role, code):
    client = _client(factories.user(tree[code], role))
    paths = _paths()
    offered = _header_links(client)
    assert set(offered) == {paths[name] for name in OFFERED[role]}, role
    assert len(offered) == len(set(offered))
    for path in offered:
        assert client.get(path).status_code == 200, path
    for name in ALL - OFFERED[role]:
        response = client.get(paths[name])
        assert response.status_code == 403, name
        assert "Anda tidak berhak membuka halaman ini" in response.content.decode()


def test_the_technician_on_duty_is_offered_the_work_board(tree):
    technician = factories.user(tree["64.01"], "technician")
    client = _client(technician)
    assert "/maintenance/board/" not in _header_links(client)
    assert client.get("/maintenance/board/").status_code == 403
    shift = DutyShift.objects.create(agency=tree["64.01"], name="Sepanjang hari", starts="00:00", ends="00:00")
    DutyAssignment.objects.create(shift=shift, date=timezone.localdate(), user=technician)
    assert set(_header_links(client)) == {_paths()[name] for name in TECHNICIAN | {"maintenance-board"}}
    assert client.get("/maintenance/board/").status_code == 200


def test_anonymous_is_offered_the_login_only(db):
    html = Client().get("/accounts/login/").content.decode()
    assert 'id="site-nav"' not in html and 'href="/accounts/login/"' in html
    for path in _paths().values():
        response = Client().get(path)
        assert response.status_code == 302 and response.url.startswith("/accounts/login/"), path


def test_the_current_page_is_marked_for_screen_readers(tree):
    client = _client(factories.user(tree["64"], "procurement"))
    html = client.get("/procurement/gaps/").content.decode()
    assert 'href="/procurement/gaps/" aria-current="page"' in html
    assert html.count('aria-current="page"') == 1


def test_a_refused_page_says_why_in_the_views_words(tree):
    response = _client(factories.user(tree["64.01"], "manager")).get("/radio-checks/new/")
    assert response.status_code == 403
    assert "Hanya teknisi dan administrator instansi yang mencatat apel radio." in response.content.decode()
