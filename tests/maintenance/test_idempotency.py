"""Idempotency-Key on the work-order API (what the offline app's queue relies on), and the conflict rules of
work queued on a phone: reassigned meanwhile (409), finished meanwhile (400). Real database, real uploads."""

import io
import threading
import uuid
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.utils import timezone
from PIL import Image
from rest_framework.test import APIClient

from maintenance.models import AppliedAction, Attachment, WorkLog, WorkOrder, WorkOrderTransition
from maintenance.services import work_order_create, work_order_transition
from maintenance.tasks import maintenance_hourly
from tests import factories


def png(colour=(20, 120, 60)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), colour).save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def tech(tree, client_for):
    return client_for(tree["64.01"], "technician", username="teknisi-a")


@pytest.fixture
def order(tree, tech):
    return work_order_create(
        reporter=None,
        agency=tree["64.01"],
        asset=factories.asset(tree["64.01"]),
        kind="corrective",
        title="Repeater mati",
        assignee=tech.user,
        checklist=["Ukur SWR", "Cek baterai"],
    )


def post(client, path: str, body: dict, key, multipart: bool = False, **headers):
    extra = {"HTTP_IDEMPOTENCY_KEY": str(key), **{f"HTTP_{k.upper().replace('-', '_')}": v for k, v in headers.items()}}
    if multipart:
        return client.post(path, body, format="multipart", **extra)
    return client.post(path, body, format="json", **extra)


def reassign(order, person) -> None:
    """What a dispatcher does (assigned -> open -> assigned to somebody else)."""
    order = work_order_transition(order=order, to_status="open", by=None)
    work_order_transition(order=order, to_status="assigned", by=None, assignee=person)


def url(order, action: str) -> str:
    return f"/api/maintenance/work-orders/{order.pk}/{action}/"


def test_the_same_key_twice_applies_once_and_answers_the_same(tech, order):
    key = uuid.uuid4()
    first = post(tech, url(order, "logs"), {"hours": "1.5", "description": "Ganti konektor"}, key)
    again = post(tech, url(order, "logs"), {"hours": "1.5", "description": "Ganti konektor"}, key)
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true" and "Idempotent-Replayed" not in first
    assert WorkLog.objects.filter(work_order=order).count() == 1
    assert AppliedAction.objects.get(user=tech.user, key=key).status_code == 201


def test_a_replayed_finish_is_no_second_transition(tech, order):
    post(tech, url(order, "start"), {}, uuid.uuid4())
    key = uuid.uuid4()
    body = {
        "resolution": "Konektor diganti",
        "skipped": [{"item": i.pk, "reason": "hujan"} for i in order.checklist.all()],
    }
    first = post(tech, url(order, "finish"), body, key)
    again = post(tech, url(order, "finish"), body, key)
    assert first.status_code == again.status_code == 200, first.content
    assert again.json() == first.json() and again.json()["status"] == "done"
    assert WorkOrderTransition.objects.filter(work_order=order, to_status="done").count() == 1
    # Without the key the same request is judged again: a done order cannot be finished twice.
    assert tech.post(url(order, "finish"), body, format="json").status_code == 400


def test_a_photo_sent_twice_is_kept_once(media, tech, order):
    key = uuid.uuid4()
    responses = [
        post(
            tech,
            url(order, "attachments"),
            {"file": SimpleUploadedFile("panel.png", png()), "caption": "Panel"},
            key,
            True,
        )
        for _ in range(2)
    ]
    assert [r.status_code for r in responses] == [201, 201]
    assert responses[0].json()["id"] == responses[1].json()["id"]
    assert Attachment.objects.filter(work_order=order).count() == 1
    other = {"file": SimpleUploadedFile("panel.png", png((200, 0, 0))), "caption": "Panel"}
    refused = post(tech, url(order, "attachments"), other, key, True)
    assert refused.status_code == 422 and "Idempotency-Key" in refused.json()
    assert Attachment.objects.filter(work_order=order).count() == 1


def test_another_users_key_does_not_collide(tree, client_for, tech, order):
    colleague = client_for(tree["64.01"], "technician", username="teknisi-b")
    key = uuid.uuid4()
    body = {"hours": "1", "description": "Cek antena"}
    assert post(tech, url(order, "logs"), body, key).status_code == 201
    assert post(colleague, url(order, "logs"), body, key).status_code == 201
    assert list(WorkLog.objects.filter(work_order=order).values_list("technician__username", flat=True)) == [
        "teknisi-a",
        "teknisi-b",
    ]


@pytest.mark.parametrize(
    ("path", "body"),
    [("logs", {"hours": "2", "description": "Ganti konektor"}), ("start", {})],
    ids=["other-body", "other-path"],
)
def test_a_key_reused_for_another_request_is_refused(tech, order, path, body):
    key = uuid.uuid4()
    assert post(tech, url(order, "logs"), {"hours": "1.5", "description": "Ganti konektor"}, key).status_code == 201
    response = post(tech, url(order, path), body, key)
    assert response.status_code == 422
    assert "sudah dipakai untuk permintaan lain" in response.json()["Idempotency-Key"][0]
    assert WorkLog.objects.count() == 1 and WorkOrder.objects.get(pk=order.pk).status == "assigned"


def test_a_key_that_is_no_uuid_is_a_400_naming_the_header(tech, order):
    response = post(tech, url(order, "logs"), {"hours": "1", "description": "x"}, "satu-dua")
    assert response.status_code == 400 and "Idempotency-Key" in response.json()
    assert not WorkLog.objects.exists() and not AppliedAction.objects.exists()


def test_a_refused_request_keeps_no_key(tech, order):
    key = uuid.uuid4()
    for _ in range(2):  # judged each time, never replayed: the refusal rolled the key back with it
        response = post(tech, url(order, "finish"), {"resolution": "x"}, key)
        assert response.status_code == 400 and "status" in response.json()
    assert not AppliedAction.objects.exists()


def test_work_queued_before_a_reassignment_is_refused(tree, tech, order):
    colleague = factories.user(tree["64.01"], "technician", username="teknisi-b", first_name="Budi")
    item = order.checklist.first()
    seen = str(tech.user.pk)
    reassign(order, colleague)
    response = post(
        tech, url(order, f"checklist/{item.pk}/tick"), {"done": True}, uuid.uuid4(), x_expected_assignee=seen
    )
    assert response.status_code == 409
    assert (
        response.json()["detail"]
        == f"Perintah kerja #{order.pk} sudah dialihkan ke Budi; tindakan ini tidak diterapkan."
    )
    item.refresh_from_db()
    assert not item.done and not AppliedAction.objects.exists()
    # Queued on a colleague's order while it was theirs, or sent without the header (online API): applied.
    ok = post(
        tech,
        url(order, "logs"),
        {"hours": "1", "description": "Bantu"},
        uuid.uuid4(),
        x_expected_assignee=str(colleague.pk),
    )
    assert ok.status_code == 201
    assert tech.post(url(order, f"checklist/{item.pk}/tick"), {"done": True}, format="json").status_code == 200


def test_work_queued_on_an_order_assigned_to_me_meanwhile_is_applied(tree, tech):
    order = work_order_create(
        reporter=None, agency=tree["64.01"], asset=factories.asset(tree["64.01"]), kind="corrective", title="x"
    )
    work_order_transition(order=order, to_status="assigned", by=None, assignee=tech.user)
    response = post(tech, url(order, "start"), {}, uuid.uuid4(), x_expected_assignee="")
    assert response.status_code == 200 and response.json()["status"] == "in_progress"


def test_work_queued_on_an_order_finished_meanwhile_is_refused(tech, order):
    post(tech, url(order, "start"), {}, uuid.uuid4())
    order.refresh_from_db()
    work_order_transition(
        order=order,
        to_status="done",
        by=None,
        resolution="Selesai oleh tim",
        skipped={i.pk: "tidak perlu" for i in order.checklist.all()},
    )
    item = order.checklist.first()
    response = post(
        tech,
        url(order, f"checklist/{item.pk}/tick"),
        {"done": True},
        uuid.uuid4(),
        x_expected_assignee=str(tech.user.pk),
    )
    assert response.status_code == 400
    assert response.json()["status"] == ["Perintah kerja sudah selesai: tidak bisa diubah lagi."]


@pytest.mark.django_db(transaction=True)
def test_two_sends_at_once_apply_once(tree):
    """The phone's retry racing its first attempt: the second waits on the key's row, then replays."""
    if connection.vendor == "sqlite":
        pytest.skip("SQLite serialises writers; the race needs PostgreSQL's row locks")
    from rest_framework.authtoken.models import Token

    person = factories.user(tree["64.01"], "technician")
    order = work_order_create(
        reporter=None,
        agency=tree["64.01"],
        asset=factories.asset(tree["64.01"]),
        kind="corrective",
        title="x",
        assignee=person,
    )
    token = Token.objects.create(user=person).key
    key, answers, barrier = uuid.uuid4(), [], threading.Barrier(4)

    def send():
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
        barrier.wait()
        answers.append(post(client, url(order, "logs"), {"hours": "1", "description": "Sekali"}, key))
        connection.close()

    threads = [threading.Thread(target=send) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(r.status_code for r in answers) == [201] * 4
    assert len({r.json()["id"] for r in answers}) == 1
    assert WorkLog.objects.filter(work_order=order).count() == 1


def test_keys_are_forgotten_after_the_keeping_days_and_only_then(tech, order, settings):
    settings.IDEMPOTENCY_KEEP_DAYS = 30
    old_key, new_key = uuid.uuid4(), uuid.uuid4()
    for key in (old_key, new_key):
        assert post(tech, url(order, "logs"), {"hours": "1", "description": "Cek"}, key).status_code == 201
    now = timezone.now()
    AppliedAction.objects.filter(key=old_key).update(created_at=now - timedelta(days=31))
    AppliedAction.objects.filter(key=new_key).update(created_at=now - timedelta(days=29))
    maintenance_hourly()  # the beat's (and the poller's hourly) entry point
    assert list(AppliedAction.objects.values_list("key", flat=True)) == [new_key]
    again = post(tech, url(order, "logs"), {"hours": "1", "description": "Cek"}, new_key)
    assert again["Idempotent-Replayed"] == "true" and WorkLog.objects.filter(work_order=order).count() == 2
