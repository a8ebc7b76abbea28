"""The technician pages, driven through Django's test client with a logged-in session."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from maintenance.services import work_order_create
from tests import factories
from tests.maintenance.test_api import png_bytes


@pytest.fixture
def order(paser, repeater, technician):
    return work_order_create(
        reporter=technician,
        agency=paser,
        asset=repeater,
        kind="preventive",
        title="Cek repeater",
        assignee=technician,
        checklist=["Ukur SWR", "Cek baterai"],
    )


@pytest.fixture
def browser(client, technician):
    client.force_login(technician)
    return client


def test_my_orders_lists_mine(browser, order, tree):
    factories.user(tree["64.01"], "technician")
    page = browser.get("/maintenance/my/").content.decode()
    assert "Cek repeater" in page and f"/maintenance/orders/{order.pk}/" in page
    assert 'name="viewport"' in page  # usable on a phone


def test_a_technician_works_an_order_to_the_end(browser, order, repeater, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    url = f"/maintenance/orders/{order.pk}/"
    assert "Ukur SWR" in browser.get(url).content.decode()
    item = order.checklist.first()
    browser.post(f"{url}tick/", {"item": item.pk, "done": "1"})
    item.refresh_from_db()
    assert item.done
    browser.post(f"{url}start/")
    browser.post(f"{url}log/", {"hours": "1.5", "description": "Ganti konektor"})
    browser.post(f"{url}attach/", {"file": SimpleUploadedFile("foto.png", png_bytes()), "caption": "Sesudah"})
    skipped = order.checklist.get(text="Cek baterai")
    response = browser.post(
        f"{url}finish/",
        {"resolution": "Normal kembali", "asset_status": "in_service", f"reason_{skipped.pk}": "baterai belum tiba"},
        follow=True,
    )
    assert response.status_code == 200
    order.refresh_from_db()
    repeater.refresh_from_db()
    assert order.status == "done" and order.logs.count() == 1 and order.attachments.count() == 1
    assert repeater.status == "in_service"


def test_finish_without_resolution_shows_an_error_and_changes_nothing(browser, order):
    url = f"/maintenance/orders/{order.pk}/"
    browser.post(f"{url}start/")
    response = browser.post(f"{url}finish/", {"resolution": ""})
    assert response.status_code == 400
    assert response.context["finish_form"].errors["resolution"]
    order.refresh_from_db()
    assert order.status == "in_progress"


def test_manager_reads_but_cannot_act(client, order, paser):
    client.force_login(factories.user(paser, "manager"))
    assert client.get(f"/maintenance/orders/{order.pk}/").status_code == 200
    assert client.post(f"/maintenance/orders/{order.pk}/start/").status_code == 403


def test_foreign_order_is_404_and_login_is_required(client, order, tree):
    assert client.get("/maintenance/my/").status_code == 302
    client.force_login(factories.user(tree["64.72"], "technician"))
    assert client.get(f"/maintenance/orders/{order.pk}/").status_code == 404
