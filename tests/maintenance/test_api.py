"""The maintenance API: scoping, transitions as actions, no mass assignment, uploads, calendar, metrics."""

import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from maintenance.choices import WorkOrderStatus
from maintenance.models import WorkOrder
from tests import factories
from tests.api_matrix import CREATE_MATRIX, OBJECT_MATRIX


def png_bytes(extra: int = 0) -> bytes:
    """A real 1x1 PNG, padded with a comment chunk to reach a size."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    body = chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\x00\x00"))
    if extra:
        body += chunk(b"tEXt", b"c\x00" + b"x" * extra)
    return b"\x89PNG\r\n\x1a\n" + body + chunk(b"IEND", b"")


def make_order(agency):
    asset = factories.asset(agency)
    return WorkOrder.objects.create(agency=agency, asset=asset, kind="corrective", title="Cek")


@pytest.mark.parametrize(("role", "user_code", "object_code"), list(OBJECT_MATRIX))
def test_work_order_access(tree, client_for, role, user_code, object_code):
    client = client_for(tree[user_code], role)
    get_status, patch_status, delete_status = OBJECT_MATRIX[(role, user_code, object_code)]
    order = make_order(tree[object_code])
    url = f"/api/maintenance/work-orders/{order.pk}/"
    assert client.get(url).status_code == get_status
    assert client.patch(url, {"title": "Baru"}, format="json").status_code == patch_status
    assert client.post(f"{url}start/", {}, format="json").status_code == patch_status  # actions write
    assert client.delete(url).status_code == delete_status


@pytest.mark.parametrize(("role", "user_code", "target_code"), list(CREATE_MATRIX))
def test_work_order_create_access(tree, client_for, role, user_code, target_code):
    client = client_for(tree[user_code], role)
    asset = factories.asset(tree[target_code])
    body = {"agency": target_code, "asset": asset.pk, "kind": "inspection", "title": "Inspeksi menara"}
    response = client.post("/api/maintenance/work-orders/", body, format="json")
    expected = CREATE_MATRIX[(role, user_code, target_code)]
    assert response.status_code == expected, response.content
    assert WorkOrder.objects.exists() == (expected == 201)


@pytest.fixture
def tech(tree, client_for):
    return client_for(tree["64.01"], "technician", email="t@paser.test")


def test_status_and_reporter_cannot_be_mass_assigned(tree, tech):
    asset = factories.asset(tree["64.01"])
    body = {
        "asset": asset.pk,
        "kind": "corrective",
        "title": "Radio mati",
        "status": "done",
        "reporter": 999,
        "resolution": "fake",
        "assignee": "someone",
    }
    response = tech.post("/api/maintenance/work-orders/", body, format="json")
    assert response.status_code == 201
    data = response.json()
    assert (data["status"], data["reporter"], data["resolution"], data["assignee"]) == (
        "open",
        tech.user.username,
        "",
        None,
    )
    patched = tech.patch(f"/api/maintenance/work-orders/{data['id']}/", {"status": "done"}, format="json")
    assert patched.json()["status"] == "open"


def test_transition_actions_and_illegal_ones(tree, tech):
    order = make_order(tree["64.01"])
    url = f"/api/maintenance/work-orders/{order.pk}/"
    illegal = tech.post(f"{url}finish/", {"resolution": "x"}, format="json")
    assert illegal.status_code == 400
    message = illegal.json()["status"][0]  # in words a person reads; allowed_next on the order gives the codes
    assert str(WorkOrderStatus.ASSIGNED.label) in message and str(WorkOrderStatus.IN_PROGRESS.label) in message
    assigned = tech.post(f"{url}assign/", {"assignee": tech.user.username}, format="json")
    assert assigned.status_code == 200 and assigned.json()["assignee"] == tech.user.username
    assert tech.post(f"{url}start/", {}, format="json").json()["status"] == "in_progress"
    no_resolution = tech.post(f"{url}finish/", {}, format="json")
    assert no_resolution.status_code == 400 and "resolution" in no_resolution.json()
    done = tech.post(f"{url}finish/", {"resolution": "Konektor diganti", "asset_status": "in_service"}, format="json")
    assert done.status_code == 200 and done.json()["allowed_next"] == ["open"]
    assert tech.get("/api/maintenance/work-orders/", {"mine": "true"}).json()["count"] == 1


def test_checklist_logs_parts(tree, tech):
    order = make_order(tree["64.01"])
    url = f"/api/maintenance/work-orders/{order.pk}/"
    item = tech.post(f"{url}checklist/", {"text": "Ukur SWR"}, format="json").json()
    ticked = tech.post(f"{url}checklist/{item['id']}/tick/", {"done": True}, format="json").json()
    assert ticked["done"] and ticked["done_by"] == tech.user.username
    log = tech.post(
        f"{url}logs/",
        {"description": "Naik menara", "started_at": "2026-11-01T01:00:00Z", "ended_at": "2026-11-01T03:30:00Z"},
        format="json",
    )
    assert log.status_code == 201 and log.json()["hours"] == "2.50"
    bad_log = tech.post(f"{url}logs/", {"description": "?"}, format="json")
    assert bad_log.status_code == 400 and "hours" in bad_log.json()
    part = tech.post(f"{url}parts/", {"name": "Konektor N", "quantity": "2", "unit_cost_idr": 85000}, format="json")
    assert part.json()["total_idr"] == 170000
    assert (
        tech.post(f"{url}parts/", {"name": "x", "quantity": "-1", "unit_cost_idr": 1}, format="json").status_code == 400
    )


def test_photo_upload_accepts_png_and_rejects_others(tree, tech, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.MAX_UPLOAD_BYTES = 50_000
    order = make_order(tree["64.01"])
    url = f"/api/maintenance/work-orders/{order.pk}/attachments/"
    ok = tech.post(url, {"file": SimpleUploadedFile("menara.png", png_bytes()), "caption": "Antena"})
    assert ok.status_code == 201, ok.content
    assert ok.json()["content_type"] == "image/png"
    assert len(list(tmp_path.rglob("*.png"))) == 1 and not list(tmp_path.rglob("menara*"))
    fake = tech.post(url, {"file": SimpleUploadedFile("virus.png", b"MZ\x90\x00 not an image at all")})
    assert fake.status_code == 400 and "file" in fake.json()
    huge = tech.post(url, {"file": SimpleUploadedFile("besar.png", png_bytes(extra=60_000))})
    assert huge.status_code == 400 and "file" in huge.json()
    assert order.attachments.count() == 1


def test_calendar_feed(tree, tech, client):
    order = make_order(tree["64.01"])
    order.due_date = timezone.localdate()
    order.save()
    feed = tech.post("/api/maintenance/calendar-feeds/", {}, format="json").json()
    body = client.get(feed["url"].replace("http://testserver", "")).content.decode()
    assert "BEGIN:VCALENDAR" in body and f"work-order-{order.pk}@simpul" in body
    assert client.get("/maintenance/calendar/not-a-token.ics").status_code == 404


def test_metrics_endpoint(tree, tech):
    make_order(tree["64.01"])
    response = tech.get("/api/maintenance/metrics/", {"group_by": "agency"})
    assert response.status_code == 200
    [row] = response.json()["results"]
    assert row["key"] == "64.01" and row["open"] == 1
    assert tech.get("/api/maintenance/metrics/", {"month": "2026-13"}).status_code == 400


def test_webhook_secret_is_write_only(tree, client_for, settings):
    settings.WEBHOOK_ALLOWED_NETWORKS = ["127.0.0.0/8"]
    admin = client_for(tree["64.01"], "administrator")
    secret = "sangat-rahasia-sekali-123"
    created = admin.post("/api/maintenance/webhooks/", {"url": "http://127.0.0.1:9/h", "secret": secret}, format="json")
    assert created.status_code == 201
    listing = admin.get("/api/maintenance/webhooks/")
    assert secret not in created.content.decode() and secret not in listing.content.decode()
    assert (
        admin.post(
            "/api/maintenance/webhooks/", {"url": "http://127.0.0.1:9/h", "secret": "short"}, format="json"
        ).status_code
        == 400
    )
