"""Monitoring lists run a fixed number of queries whatever the page size."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from monitoring.models import (
    AssetState,
    Event,
    HourlyRollup,
    MaintenanceWindow,
    Outage,
    ProbeConfig,
    RadioCheck,
    RadioCheckEntry,
    Sample,
)
from tests import factories


def _queries(client, url, params) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params)
    assert response.status_code == 200
    assert len(response.json()["results"]) == params["page_size"]
    # ATOMIC_REQUESTS adds SAVEPOINT/RELEASE inside the test's transaction: not queries of the view.
    return sum(1 for q in ctx.captured_queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE")))


@pytest.fixture
def history(tree):
    now = timezone.now()
    first = None
    operators = {code: factories.user(tree[code]) for code in ("64.01", "64.72")}
    for index in range(30):
        code = "64.01" if index % 2 else "64.72"
        agency, operator = tree[code], operators[code]
        site = factories.site(agency)
        asset = factories.asset(agency, site=site)
        radio = factories.radio(agency, site=site)
        first = first or asset
        AssetState.objects.create(asset=asset, state="down", caused_by=radio)
        Outage.objects.create(asset=asset, started_at=now - timedelta(hours=index + 1))
        Event.objects.create(asset=asset, at=now, kind="reboot")
        ProbeConfig.objects.create(asset=asset, snmp=True, snmp_community=f"c{index}", depends_on=radio)
        MaintenanceWindow.objects.create(
            agency=agency, asset=asset, starts_at=now, ends_at=now + timedelta(hours=1), reason="x", created_by=operator
        )
        check = RadioCheck.objects.create(agency=agency, held_at=now, net="VHF", operator=operator)
        RadioCheckEntry.objects.create(radio_check=check, asset=radio, answered=True, readability=5, signal=5)
        Sample.objects.create(asset=first, at=now - timedelta(minutes=index), source="icmp", verdict="up")
        HourlyRollup.objects.create(asset=first, hour=now - timedelta(hours=index), samples=60, up=60)
    return {"asset": first.pk}


@pytest.mark.parametrize(
    ("endpoint", "expected"),
    [
        ("status", 4),  # token + silent pollers + count + page
        ("outages", 2),  # token + page: a keyset page counts nothing
        ("events", 3),
        ("probe-configs", 3),
        ("maintenance-windows", 3),
        ("radio-checks", 4),  # + the entries of the page, with their assets
        ("samples", 4),  # token + the asset in scope + recent rows + hour blocks
        ("rollups", 3),
    ],
)
def test_list_query_count_is_independent_of_page_size(tree, client_for, history, endpoint, expected):
    client = client_for(tree["64"], "manager")
    url = f"/api/monitoring/{endpoint}/"
    params = {"asset": history["asset"]} if endpoint in ("samples", "rollups") else {}
    client.get(url, params)  # once: a process asks once whether the history's old table is still there
    small, large = _queries(client, url, params | {"page_size": 2}), _queries(client, url, params | {"page_size": 25})
    assert small == large == expected
