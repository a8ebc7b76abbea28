"""Every monitoring endpoint x role x own/child/foreign object, against the table in tests.api_matrix."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.choices import Role
from monitoring.models import AssetState, Event, MaintenanceWindow, Outage, ProbeConfig, RadioCheck, Sample
from tests import factories
from tests.api_matrix import CREATE_MATRIX, OBJECT_MATRIX, VISIBLE

WRITERS = {Role.TECHNICIAN, Role.ADMINISTRATOR}


@dataclass
class Endpoint:
    url: str
    make: Callable  # (agency) -> object
    create: Callable | None = None  # (agencies by code, target agency code) -> POST body; None: no POST
    patch: dict | None = None  # None: not changed through the API
    error_field: str = "agency"  # where a refused agency shows up in a 400
    key: Callable = lambda obj: obj.pk

    def item_url(self, obj) -> str:
        return f"{self.url}{self.key(obj)}/"


def _now():
    return timezone.now().replace(microsecond=0)


ENDPOINTS = {
    "status": Endpoint(
        url="/api/monitoring/status/",
        make=lambda agency: AssetState.objects.create(asset=factories.asset(agency), state="up"),
        key=lambda obj: obj.asset_id,
    ),
    "outages": Endpoint(
        url="/api/monitoring/outages/",
        make=lambda agency: Outage.objects.create(asset=factories.asset(agency), started_at=_now()),
    ),
    "events": Endpoint(
        url="/api/monitoring/events/",
        make=lambda agency: Event.objects.create(asset=factories.asset(agency), at=_now(), kind="reboot"),
    ),
    "probe-configs": Endpoint(
        url="/api/monitoring/probe-configs/",
        make=lambda agency: ProbeConfig.objects.create(asset=factories.asset(agency)),
        key=lambda obj: obj.asset_id,
        create=lambda tree, code: {"asset": factories.asset(tree[code]).pk, "interval_s": 300},
        patch={"interval_s": 120},
        error_field="asset",
    ),
    "maintenance-windows": Endpoint(
        url="/api/monitoring/maintenance-windows/",
        make=lambda agency: MaintenanceWindow.objects.create(
            agency=agency, starts_at=_now(), ends_at=_now() + timedelta(hours=2), reason="Ganti aki"
        ),
        create=lambda tree, code: {
            "agency": code,
            "starts_at": _now().isoformat(),
            "ends_at": (_now() + timedelta(hours=3)).isoformat(),
            "reason": "Pemeliharaan tower",
        },
        patch={"reason": "Ganti antena"},
    ),
    "radio-checks": Endpoint(
        url="/api/monitoring/radio-checks/",
        make=lambda agency: RadioCheck.objects.create(agency=agency, held_at=_now(), net="VHF 147.000"),
        create=lambda tree, code: {
            "agency": code,
            "net": "VHF 147.000",
            "entries": [{"asset": factories.radio(tree[code]).pk, "answered": True, "readability": 5, "signal": 5}],
        },
    ),
}
CREATABLE = [name for name, endpoint in ENDPOINTS.items() if endpoint.create]


@pytest.mark.parametrize("endpoint_name", ENDPOINTS)
@pytest.mark.parametrize(("role", "user_code", "object_code"), list(OBJECT_MATRIX))
def test_object_access(tree, client_for, endpoint_name, role, user_code, object_code):
    endpoint = ENDPOINTS[endpoint_name]
    client = client_for(tree[user_code], role)
    expected_get, expected_patch, expected_delete = OBJECT_MATRIX[(role, user_code, object_code)]
    obj = endpoint.make(tree[object_code])
    url = endpoint.item_url(obj)

    assert client.get(url).status_code == expected_get
    if endpoint.patch is None:
        # Not changed through the API: a writing role meets the missing method, the others their role.
        refused = 405 if role in WRITERS else 403
        assert client.patch(url, {"net": "x"}, format="json").status_code == refused
        assert client.delete(url).status_code == refused
        assert type(obj).objects.filter(pk=obj.pk).exists()
        return
    response = client.patch(url, endpoint.patch, format="json")
    assert response.status_code == expected_patch, response.content
    obj.refresh_from_db()
    field, value = next(iter(endpoint.patch.items()))
    assert (getattr(obj, field) == value) == (expected_patch == 200)
    assert client.delete(url).status_code == expected_delete
    assert type(obj).objects.filter(pk=obj.pk).exists() == (expected_delete != 204)


@pytest.mark.parametrize("endpoint_name", CREATABLE)
@pytest.mark.parametrize(("role", "user_code", "target_code"), list(CREATE_MATRIX))
def test_create_access(tree, client_for, endpoint_name, role, user_code, target_code):
    endpoint = ENDPOINTS[endpoint_name]
    client = client_for(tree[user_code], role)
    response = client.post(endpoint.url, endpoint.create(tree, target_code), format="json")
    expected = CREATE_MATRIX[(role, user_code, target_code)]
    assert response.status_code == expected, response.content
    if expected == 400:
        assert endpoint.error_field in response.json()
    if expected == 201:
        assert response.json()["agency"] == target_code
    else:
        assert len(client.get(endpoint.url).json()["results"]) == 0


@pytest.mark.parametrize("endpoint_name", ENDPOINTS)
@pytest.mark.parametrize("user_code", list(VISIBLE))
def test_list_shows_only_visible_agencies(tree, client_for, endpoint_name, user_code):
    endpoint = ENDPOINTS[endpoint_name]
    for code in tree:
        endpoint.make(tree[code])
    response = client_for(tree[user_code], "manager").get(endpoint.url, {"page_size": 100})
    assert response.status_code == 200
    assert {row["agency"] for row in response.json()["results"]} == VISIBLE[user_code]


@pytest.mark.parametrize("url", ["/api/monitoring/samples/", "/api/monitoring/rollups/"])
@pytest.mark.parametrize(("role", "user_code", "object_code"), list(OBJECT_MATRIX))
def test_history_of_an_invisible_asset_is_empty(tree, client_for, url, role, user_code, object_code):
    from monitoring.models import HourlyRollup

    asset = factories.asset(tree[object_code])
    Sample.objects.create(asset=asset, at=_now(), source="icmp", verdict="up")
    HourlyRollup.objects.create(asset=asset, hour=_now().replace(minute=0, second=0), samples=60, up=60)
    client = client_for(tree[user_code], role)
    response = client.get(url, {"asset": asset.pk})
    assert response.status_code == 200
    visible = OBJECT_MATRIX[(role, user_code, object_code)][0] == 200
    assert len(response.json()["results"]) == (1 if visible else 0)
    assert client.delete(url).status_code == (405 if role in WRITERS else 403)


@pytest.mark.parametrize(("role", "expected"), [("technician", 403), ("manager", 403), ("administrator", 201)])
def test_kind_policies_are_written_by_administrators_only(tree, client_for, role, expected):
    client = client_for(tree["64.01"], role)
    response = client.post("/api/monitoring/kind-policies/", {"kind": "vhf_radio", "confirm_count": 2})
    assert response.status_code == expected, response.content
    assert client.get("/api/monitoring/kind-policies/").status_code == 200
    if expected == 201:
        assert client.patch("/api/monitoring/kind-policies/vhf_radio/", {"interval_s": 300}).status_code == 200
        assert client.get("/api/monitoring/kind-policies/vhf_radio/").json()["interval_s"] == 300


def test_radio_check_is_not_deleted_even_by_an_administrator(tree, client_for):
    check = ENDPOINTS["radio-checks"].make(tree["64"])
    client = client_for(tree["64"], "administrator")
    assert client.delete(f"/api/monitoring/radio-checks/{check.pk}/").status_code == 405


def test_anonymous_gets_nothing(tree):
    urls = [endpoint.url for endpoint in ENDPOINTS.values()]
    urls += ["/api/monitoring/availability/", "/api/monitoring/kind-policies/", "/api/monitoring/samples/?asset=1"]
    for url in urls:
        assert APIClient().get(url).status_code == 401, url
