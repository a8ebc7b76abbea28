"""The alerting API: scoped like every other resource, secrets write-only, bad input answered 400 by field."""

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from alerts.models import Alert, AlertEvent, Channel, DutyShift
from tests import factories


@pytest.fixture
def alerts(tree, repeater):
    now = timezone.now()
    make = Alert.objects.create
    return {
        "resolved": make(
            agency=tree["64.01"],
            asset=repeater,
            kind="degraded",
            state="resolved",
            summary="a",
            started_at=now - timedelta(hours=3),
            resolved_at=now,
        ),
        "acked": make(
            agency=tree["64.01"],
            asset=repeater,
            kind="reboot",
            state="acknowledged",
            summary="b",
            started_at=now - timedelta(hours=2),
        ),
        "open": make(
            agency=tree["64.01"], asset=repeater, kind="down", summary="c", started_at=now - timedelta(hours=5)
        ),
        "foreign": make(agency=tree["63.01"], kind="channel_failure", summary="d", started_at=now),
    }


def test_list_is_scoped_and_puts_unacknowledged_first(client_for, tree, alerts):
    client = client_for(tree["64"], "manager")
    rows = client.get("/api/alerts/alerts/").json()["results"]
    assert [r["summary"] for r in rows] == ["c", "b", "a"]
    assert client.get("/api/alerts/alerts/", {"state": "open"}).json()["count"] == 1
    assert client.get("/api/alerts/alerts/", {"agency": "64.01", "kind": "reboot"}).json()["count"] == 1
    assert client.get(f"/api/alerts/alerts/{alerts['foreign'].pk}/").status_code == 404


def test_acknowledge_once_from_the_api(client_for, tree, alerts):
    client = client_for(tree["64.01"], "manager")
    url = f"/api/alerts/alerts/{alerts['open'].pk}/acknowledge/"
    answer = client.post(url)
    assert answer.status_code == 200 and answer.json()["state"] == "acknowledged"
    assert answer.json()["acknowledged_by"] == client.user.username
    again = client.post(url)
    assert again.status_code == 400 and "state" in again.json()
    assert client_for(tree["64.01"], "procurement").post(url).status_code == 403
    assert client.post(f"/api/alerts/alerts/{alerts['foreign'].pk}/acknowledge/").status_code == 404
    timeline = client.get(f"/api/alerts/alerts/{alerts['open'].pk}/timeline/").json()
    assert timeline[-1]["kind"] == "acknowledged" and timeline[-1]["user"] == client.user.username
    assert AlertEvent.objects.filter(alert=alerts["open"], kind="acknowledged").count() == 1


def test_channel_secret_is_write_only_and_encrypted_at_rest(client_for, tree):
    client = client_for(tree["64.01"])
    created = client.post(
        "/api/alerts/channels/",
        {"name": "Bot", "kind": "telegram", "secret": "123456:TOKEN-never-shown"},
        format="json",
    )
    assert created.status_code == 201, created.json()
    assert "secret" not in created.json() and created.json()["secret_set"] is True
    listed = client.get("/api/alerts/channels/").content.decode()
    assert "TOKEN-never-shown" not in listed
    with connection.cursor() as cursor:
        cursor.execute("SELECT secret FROM alerts_channel")
        (stored,) = cursor.fetchone()
    assert "TOKEN" not in stored and stored.startswith("fernet:")
    assert Channel.objects.get().secret == "123456:TOKEN-never-shown"
    kept = client.patch(f"/api/alerts/channels/{created.json()['id']}/", {"name": "Bot 2"}, format="json")
    assert kept.json()["secret_set"] is True


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "x", "kind": "http"}, "url"),
        ({"name": "x", "kind": "http", "url": "ftp://127.0.0.1/x"}, "url"),
        ({"name": "x", "kind": "telegram"}, "secret"),
        ({"name": "x", "kind": "http", "url": "http://127.0.0.1/", "headers": {"a": 1}}, "headers"),
        ({"name": "x", "kind": "pigeon"}, "kind"),
    ],
)
def test_bad_channels_answer_400_naming_the_field(client_for, tree, body, field):
    answer = client_for(tree["64.01"]).post("/api/alerts/channels/", body, format="json")
    assert answer.status_code == 400 and field in answer.json(), answer.json()
    assert not Channel.objects.exists()


def test_rules_by_agency(client_for, tree):
    technician = client_for(tree["64.01"])
    created = technician.post(
        "/api/alerts/rules/",
        {
            "name": "Repeater mati",
            "asset_kinds": ["repeater"],
            "kinds": ["down"],
            "delay_minutes": 5,
            "quiet_start": "22:00",
            "quiet_end": "05:00",
        },
        format="json",
    )
    assert created.status_code == 201 and created.json()["agency"] == "64.01"
    assert technician.post("/api/alerts/rules/", {"name": "x", "kinds": ["melted"]}, format="json").json().keys() == {
        "kinds"
    }
    half = technician.post(
        "/api/alerts/rules/", {"name": "x", "kinds": ["down"], "quiet_start": "22:00"}, format="json"
    )
    assert half.status_code == 400 and "quiet_end" in half.json()
    province = technician.post("/api/alerts/rules/", {"name": "x", "kinds": ["down"], "agency": "64"}, format="json")
    assert province.status_code == 400 and "agency" in province.json()
    admin = client_for(tree["64"], "administrator")
    assert (
        admin.post(
            "/api/alerts/rules/",
            {"name": "Semua kab/kota", "kinds": ["down"], "agency": "64", "include_children": True},
            format="json",
        ).status_code
        == 201
    )


def test_roster_and_swap(client_for, tree):
    client = client_for(tree["64.01"])
    colleague = factories.user(tree["64.01"], username="rekan")
    outsider = factories.user(tree["64.72"], username="orang-kota")
    shift = client.post("/api/alerts/shifts/", {"name": "Sore", "starts": "16:00", "ends": "00:00"}, format="json")
    assert shift.status_code == 201
    entry = client.post(
        "/api/alerts/roster/",
        {"shift": shift.json()["id"], "date": "2026-11-14", "user": client.user.username},
        format="json",
    )
    assert entry.status_code == 201, entry.json()
    wrong = client.post(
        "/api/alerts/roster/", {"shift": shift.json()["id"], "date": "2026-11-14", "user": "orang-kota"}, format="json"
    )
    assert wrong.status_code == 400 and "user" in wrong.json()
    swapped = client.post(f"/api/alerts/roster/{entry.json()['id']}/swap/", {"user": "rekan"}, format="json")
    assert swapped.json()["user"] == "rekan" and swapped.json()["planned_user"] == client.user.username
    refused = client.post(f"/api/alerts/roster/{entry.json()['id']}/swap/", {"user": outsider.username}, format="json")
    assert refused.status_code == 400 and "user" in refused.json()
    assert colleague.duty_assignments.count() == 1
    assert DutyShift.objects.get().agency == tree["64.01"]
