"""Every moment the API writes has one form: ISO 8601 in WITA with its offset (2026-11-03T14:05:00+08:00),
whether a serializer or a hand-built payload (dashboard, report, history) wrote it. Dates stay YYYY-MM-DD.

The walk takes every GET operation from the generated schema, so a new endpoint joins it by itself."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from accounts.choices import Role
from maintenance.corrective import open_corrective_orders
from maintenance.models import CorrectiveRule, WorkOrder
from monitoring.models import Outage
from monitoring.remote.services import poller_create
from tests import factories

KNOWN = 9001
PATH_VALUES = {"id": KNOWN, "asset": KNOWN, "asset_id": KNOWN, "code": "64.01", "kind": "router"}
REQUIRED_QUERY = {"asset": KNOWN}
LOOKS_LIKE_A_MOMENT = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")
THE_FORM = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?\+08:00")


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _get_operations():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    for path, item in schema["paths"].items():
        if "get" in item:
            required = [
                p["name"] for p in item["get"].get("parameters", []) if p["in"] == "query" and p.get("required")
            ]
            yield path.format(**PATH_VALUES), {name: REQUIRED_QUERY[name] for name in required}


@pytest.fixture
def admin(tree, client_for):
    client = client_for(tree["64"], Role.ADMINISTRATOR)
    world = factories.one_of_each(tree["64.01"], pk=KNOWN, by=client.user)
    order = world["work_order"]
    order.started_at = timezone.now()
    order.save()  # a moment among the history's changes
    _poller, token = poller_create(name="Poller Paser", agency=tree["64.01"])
    client.poller = APIClient()
    client.poller.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client


def test_every_moment_in_every_get_is_iso_8601_in_wita(admin):
    seen, wrong = 0, []
    operations = list(_get_operations())
    assert len(operations) >= 40
    for path, query in operations:
        # Remote pollers' routes answer a poller's own token only.
        client = admin.poller if path.startswith("/api/pollers/") else admin
        response = client.get(path, query)
        assert response.status_code == 200, (path, response.status_code, response.content[:200])
        for text in _strings(response.json()):
            if LOOKS_LIKE_A_MOMENT.match(text) or (text.endswith("Z") and LOOKS_LIKE_A_MOMENT.search(text)):
                seen += 1
                if not THE_FORM.fullmatch(text):
                    wrong.append(f"{path}: {text}")
    assert not wrong, "\n".join(wrong)
    assert seen >= 40  # the walk met moments from serializers and hand-built payloads alike


def test_history_writes_changed_moments_in_the_same_form(admin):
    entries = admin.get(f"/api/maintenance/work-orders/{KNOWN}/history/").json()
    change = next(c for c in entries[0]["changes"] if c["field"] == "started_at")
    assert THE_FORM.fullmatch(change["new"]) and change["old"] is None


def test_a_corrective_order_says_since_when_in_wita(tree):
    router = factories.asset(tree["64.01"], kind="router")
    CorrectiveRule.objects.create(kind="router", after_minutes=30)
    started = timezone.now() - timedelta(hours=2)
    Outage.objects.create(asset=router, started_at=started, cause="no reply")
    open_corrective_orders(timezone.now())
    order = WorkOrder.objects.get(asset=router)
    assert f"{timezone.localtime(started):%Y-%m-%d %H:%M} WITA" in order.description
