"""The offline app's server side: the service worker and the manifest (public, scoped to the technician
pages, icons that are real PNGs), and the order page's forms that the offline queue turns into API calls."""

import io
import re

import pytest
from django.contrib.staticfiles import finders
from PIL import Image

from maintenance.services import work_order_create, work_order_transition
from tests import factories


def test_the_service_worker_is_served_from_the_technician_pages_folder(db, client):
    response = client.get("/maintenance/sw.js")  # no login: the browser fetches it without following redirects
    assert response.status_code == 200
    assert response["Content-Type"] == "text/javascript; charset=utf-8"
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    assert b'addEventListener("fetch"' in b"".join(response.streaming_content)


def test_the_manifest_opens_my_orders_standalone_with_real_icons(db, client):
    response = client.get("/maintenance/manifest.webmanifest")
    assert response.status_code == 200 and response["Content-Type"] == "application/manifest+json"
    body = response.json()
    assert (body["name"], body["start_url"], body["scope"], body["display"]) == (
        "Simpul Teknisi",
        "/maintenance/my/",
        "/maintenance/",
        "standalone",
    )
    for icon in body["icons"]:
        side = int(icon["sizes"].split("x")[0])
        path = finders.find(icon["src"].removeprefix("/static/"))
        with open(path, "rb") as handle:
            image = Image.open(io.BytesIO(handle.read()))
        assert (image.format, image.size) == ("PNG", (side, side))


@pytest.fixture
def page_client(tree, client):
    person = factories.user(tree["64.01"], "technician", username="teknisi-paser")
    client.force_login(person)
    client.user = person
    return client


@pytest.fixture
def order(tree, page_client):
    return work_order_create(
        reporter=None,
        agency=tree["64.01"],
        asset=factories.asset(tree["64.01"]),
        kind="corrective",
        title="Repeater mati",
        assignee=page_client.user,
        checklist=["Ukur SWR"],
    )


def test_my_orders_installs_the_app_and_marks_the_pages_to_keep(page_client, order):
    html = page_client.get("/maintenance/my/").content.decode()
    assert '<link rel="manifest" href="/maintenance/manifest.webmanifest">' in html
    assert re.search(r'<script src="/static/maintenance/offline\.js" defer></script>', html)
    assert f'href="/maintenance/orders/{order.pk}/" data-offline-page' in html
    assert 'data-sw="/maintenance/sw.js?static=/static/"' in html
    assert 'data-text-pending="menunggu sinkron ({n})"' in html


def test_the_order_page_names_the_api_call_of_each_form(page_client, order):
    html = page_client.get(f"/maintenance/orders/{order.pk}/").content.decode()
    item = order.checklist.get()
    base = f"/api/maintenance/work-orders/{order.pk}/"
    for kind, api in (
        ("tick", f"{base}checklist/{item.pk}/tick/"),
        ("start", f"{base}start/"),
        ("hold", f"{base}hold/"),
        ("finish", f"{base}finish/"),
        ("log", f"{base}logs/"),
        ("attach", f"{base}attachments/"),
    ):
        assert f'data-offline="{kind}" data-offline-api="{api}"' in html
    assert f'data-offline-assignee="{page_client.user.pk}"' in html
    # Not started: hold and finish are on the page for an offline start to show, hidden until then.
    assert re.search(r'<details class="card" id="hold" hidden>', html)
    assert '<section id="finish-section" hidden>' in html


def test_a_finished_order_offers_nothing_to_queue(page_client, order):
    order = work_order_transition(order=order, to_status="in_progress", by=page_client.user)
    work_order_transition(
        order=order, to_status="done", by=page_client.user, resolution="Beres", skipped={order.checklist.get().pk: "x"}
    )
    html = page_client.get(f"/maintenance/orders/{order.pk}/").content.decode()
    assert "data-offline=" not in html and 'id="offline"' in html
