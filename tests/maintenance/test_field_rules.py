"""The field rules, each kept once in maintenance.services and held alike by the pages and the API:
finishing with unticked items needs a reason per item (and counts apart in compliance), a finished order
is read-only, reopening is a dispatcher's act with a reason, holding needs a reason."""

from datetime import timedelta

import pytest
from django.utils import timezone

from maintenance.metrics import maintenance_metrics
from maintenance.models import WorkOrder
from maintenance.services import work_order_create, work_order_transition
from tests import factories


@pytest.fixture
def order(paser, repeater, technician):
    order = work_order_create(
        reporter=technician,
        agency=paser,
        asset=repeater,
        kind="preventive",
        title="Cek repeater",
        assignee=technician,
        due_date=timezone.localdate() + timedelta(days=1),
        checklist=["Ukur SWR", "Cek baterai", "Bersihkan panel surya"],
    )
    return work_order_transition(order=order, to_status="in_progress", by=technician)


@pytest.fixture
def api(technician):
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=technician).key}")
    return client


def _items(order):
    return {item.text: item for item in order.checklist.all()}


def test_finishing_with_unticked_items_without_reasons_is_400_naming_them(api, order, technician):
    url = f"/api/maintenance/work-orders/{order.pk}/"
    items = _items(order)
    api.post(f"{url}checklist/{items['Ukur SWR'].pk}/tick/", {"done": True}, format="json")

    bare = api.post(f"{url}finish/", {"resolution": "Selesai"}, format="json")
    assert bare.status_code == 400
    [message] = bare.json()["skipped"]
    assert "Cek baterai" in message and "Bersihkan panel surya" in message and "Ukur SWR" not in message

    half = {"resolution": "Selesai", "skipped": [{"item": items["Cek baterai"].pk, "reason": "baterai belum tiba"}]}
    response = api.post(f"{url}finish/", half, format="json")
    assert response.status_code == 400
    assert (
        "Bersihkan panel surya" in response.json()["skipped"][0] and "Cek baterai" not in response.json()["skipped"][0]
    )
    order.refresh_from_db()
    assert order.status == "in_progress" and not order.checklist.exclude(skip_reason="").exists()

    blank_reason = {"resolution": "x", "skipped": [{"item": items["Cek baterai"].pk, "reason": "   "}]}
    assert api.post(f"{url}finish/", blank_reason, format="json").status_code == 400
    foreign = {"resolution": "x", "skipped": [{"item": 987654, "reason": "?"}]}
    assert "987654" in api.post(f"{url}finish/", foreign, format="json").json()["skipped"][0]

    full = {
        "resolution": "Selesai sebagian",
        "skipped": [
            {"item": items["Cek baterai"].pk, "reason": "baterai belum tiba"},
            {"item": items["Bersihkan panel surya"].pk, "reason": "hujan deras, atap licin"},
        ],
    }
    done = api.post(f"{url}finish/", full, format="json")
    assert done.status_code == 200, done.content
    body = done.json()
    assert body["status"] == "done" and body["with_exceptions"] is True
    reasons = {item["text"]: item["skip_reason"] for item in body["checklist"]}
    assert reasons == {
        "Ukur SWR": "",
        "Cek baterai": "baterai belum tiba",
        "Bersihkan panel surya": "hujan deras, atap licin",
    }


def test_compliance_counts_an_order_done_with_exceptions_apart(paser, repeater, technician, order):
    clean = work_order_create(
        reporter=technician,
        agency=paser,
        asset=repeater,
        kind="preventive",
        title="Cek genset",
        due_date=order.due_date,
        checklist=["Cek oli"],
    )
    clean.checklist.update(done=True)
    clean = work_order_transition(order=clean, to_status="in_progress", by=technician)
    work_order_transition(order=clean, to_status="done", by=technician, resolution="OK")
    skipped = {item.pk: "tidak sempat" for item in order.checklist.all()}
    work_order_transition(order=order, to_status="done", by=technician, resolution="Sebagian", skipped=skipped)

    month = order.due_date.replace(day=1)
    start = timezone.make_aware(timezone.datetime(month.year, month.month, 1))
    end = start + timedelta(days=40)
    [row] = maintenance_metrics(WorkOrder.objects.all(), type(repeater).objects.all(), start=start, end=end)
    assert (row["pm_due"], row["pm_on_time"], row["pm_with_exceptions"], row["pm_compliance"]) == (2, 1, 1, 0.5)


def test_a_finished_order_is_read_only_in_the_api(api, order, technician, settings, tmp_path):
    from maintenance.models import ChecklistItem
    from tests.maintenance.test_api import png_bytes

    settings.MEDIA_ROOT = tmp_path
    order.checklist.update(done=True)
    work_order_transition(order=order, to_status="done", by=technician, resolution="OK")
    url = f"/api/maintenance/work-orders/{order.pk}/"
    item = order.checklist.first()
    refused = {
        "tick": api.post(f"{url}checklist/{item.pk}/tick/", {"done": False}, format="json"),
        "add item": api.post(f"{url}checklist/", {"text": "Baru"}, format="json"),
        "log": api.post(f"{url}logs/", {"description": "lagi", "hours": "1"}, format="json"),
        "part": api.post(f"{url}parts/", {"name": "Sekring", "quantity": "1", "unit_cost_idr": 5000}, format="json"),
        "photo": api.post(f"{url}attachments/", {"file": _png(png_bytes())}),
        "edit": api.patch(url, {"title": "Diubah"}, format="json"),
    }
    for what, response in refused.items():
        assert response.status_code == 400, what
        assert "selesai" in response.json()["status"][0], what
    order.refresh_from_db()
    assert order.title == "Cek repeater" and order.logs.count() == 0 and order.attachments.count() == 0
    assert ChecklistItem.objects.filter(work_order=order, done=True).count() == 3


def _png(data: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("foto.png", data)


def test_reopening_is_a_dispatchers_act_with_a_reason(api, client_for, order, technician, paser, tree):
    order.checklist.update(done=True)
    work_order_transition(order=order, to_status="done", by=technician, resolution="OK")
    url = f"/api/maintenance/work-orders/{order.pk}/reopen/"
    assert api.post(url, {"note": "saya ralat"}, format="json").status_code == 403  # the technician who finished
    manager = client_for(paser, "manager")
    no_reason = manager.post(url, {}, format="json")
    assert no_reason.status_code == 400 and "note" in no_reason.json()
    other_manager = client_for(tree["64.72"], "manager")
    assert other_manager.post(url, {"note": "x"}, format="json").status_code == 404
    reopened = manager.post(url, {"note": "SWR masih tinggi menurut laporan"}, format="json")
    assert reopened.status_code == 200 and reopened.json()["status"] == "open"
    assert order.transitions.last().note == "SWR masih tinggi menurut laporan"


def test_holding_needs_a_reason_in_api_and_page(api, client, order, technician):
    url = f"/api/maintenance/work-orders/{order.pk}/hold/"
    refused = api.post(url, {}, format="json")
    assert refused.status_code == 400 and "note" in refused.json()
    client.force_login(technician)
    page = client.post(f"/maintenance/orders/{order.pk}/hold/", {"note": ""})
    assert page.status_code == 400 and page.context["hold_form"].errors["note"]
    order.refresh_from_db()
    assert order.status == "in_progress"
    held = api.post(url, {"note": "hujan petir"}, format="json")
    assert held.status_code == 200 and held.json()["status"] == "on_hold"


def test_the_page_asks_a_reason_beside_each_unticked_item(client, order, technician):
    client.force_login(technician)
    items = _items(order)
    url = f"/maintenance/orders/{order.pk}/"
    client.post(f"{url}tick/", {"item": items["Ukur SWR"].pk, "done": "1"})
    response = client.post(
        f"{url}finish/", {"resolution": "Selesai", f"reason_{items['Cek baterai'].pk}": "baterai belum tiba"}
    )
    assert response.status_code == 400
    errors = response.context["finish_form"].errors
    assert list(errors) == [f"reason_{items['Bersihkan panel surya'].pk}"]
    page = response.content.decode()
    assert "Bersihkan panel surya: tidak dapat dikerjakan karena" in page
    assert 'value="baterai belum tiba"' in page  # what was typed stays
    order.refresh_from_db()
    assert order.status == "in_progress"


def test_a_finished_order_page_is_read_only_and_reopened_by_a_manager(client, order, technician, paser):
    order.checklist.update(done=True, done_by=technician, done_at=timezone.now())
    work_order_transition(order=order, to_status="done", by=technician, resolution="OK")
    client.force_login(technician)
    url = f"/maintenance/orders/{order.pk}/"
    page = client.get(url).content.decode()
    assert "tidak bisa diubah" in page
    for form in ("tick/", "log/", "attach/", "finish/", "hold/", "reopen/"):
        assert f'action="{url}{form}"' not in page, form
    assert "teknisi-paser" in page and " WITA" in page  # who ticked, and when
    logged = client.post(f"{url}log/", {"hours": "1", "description": "lagi"})
    assert logged.status_code == 400 and order.logs.count() == 0
    assert client.post(f"{url}reopen/", {"note": "x"}).status_code == 403

    manager = factories.user(paser, "manager")
    client.force_login(manager)
    page = client.get(url).content.decode()
    assert f'action="{url}reopen/"' in page
    assert client.post(f"{url}reopen/", {"note": ""}).status_code == 400
    client.post(f"{url}reopen/", {"note": "Laporan warga: masih putus"})
    order.refresh_from_db()
    assert order.status == "open" and order.done_at is None


def test_the_order_shows_where_to_go(client, order, technician, paser, repeater):
    from decimal import Decimal

    from monitoring.models import Outage

    site = factories.site(
        paser,
        name="Bukit Loa",
        address="Jl. Poros Km 12",
        access_notes="Kunci di pos ronda",
        latitude=Decimal("-1.91234"),
        longitude=Decimal("116.20123"),
    )
    repeater.site = site
    repeater.serial_number = "SN-778"
    repeater.save()
    Outage.objects.create(asset=repeater, started_at=timezone.now() - timedelta(hours=3), ended_at=timezone.now())
    client.force_login(technician)
    page = client.get(f"/maintenance/orders/{order.pk}/").content.decode()
    assert "Bukit Loa" in page and "Jl. Poros Km 12" in page and "Kunci di pos ronda" in page
    assert 'href="geo:-1.91234,116.20123?q=-1.91234,116.20123"' in page
    assert "SN-778" in page and "selama 3 j 0 mnt" in page
    assert 'accept="image/*"' in page and 'capture="environment"' in page
