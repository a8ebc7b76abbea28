"""Bad input to the writable monitoring endpoints answers 400, naming the field."""

from datetime import timedelta

import pytest
from django.utils import timezone

from monitoring.models import MaintenanceWindow, RadioCheck
from tests import factories

WINDOWS = "/api/monitoring/maintenance-windows/"
CHECKS = "/api/monitoring/radio-checks/"


@pytest.fixture
def technician(tree, client_for):
    return client_for(tree["64.01"])


def _window(**fields) -> dict:
    now = timezone.now()
    return {"starts_at": now.isoformat(), "ends_at": (now + timedelta(hours=2)).isoformat(), "reason": "Ganti aki"} | (
        fields
    )


def test_maintenance_window_records_its_author_who_cannot_be_forged(tree, technician, client_for):
    other = client_for(tree["64.01"]).user
    response = technician.post(WINDOWS, _window(created_by=other.username), format="json")
    assert response.status_code == 201, response.content
    assert response.json()["created_by"] == technician.user.username
    assert response.json()["agency"] == "64.01"  # the user's own by default
    assert MaintenanceWindow.objects.get().created_by == technician.user


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        (
            {"ends_at": timezone.now().isoformat(), "starts_at": (timezone.now() + timedelta(hours=1)).isoformat()},
            "ends_at",
        ),
        ({"ends_at": "besok"}, "ends_at"),
        ({"reason": ""}, "reason"),
        ({"site": "neighbour_site"}, "site"),
        ({"asset": "neighbour_asset"}, "asset"),
    ],
)
def test_maintenance_window_refusals(tree, client_for, fields, field):
    admin = client_for(tree["64"], "administrator")  # sees 64.72's site and asset: refused for being another's
    neighbours = {
        "neighbour_site": factories.site(tree["64.72"]).pk,
        "neighbour_asset": factories.asset(tree["64.72"]).pk,
    }
    body = _window(agency="64.01") | {name: neighbours.get(value, value) for name, value in fields.items()}
    response = admin.post(WINDOWS, body, format="json")
    assert response.status_code == 400
    assert field in response.json(), response.json()


def test_maintenance_window_shortened_to_nothing_is_refused_on_ends_at(tree, technician):
    window = MaintenanceWindow.objects.create(
        agency=tree["64.01"], starts_at=timezone.now(), ends_at=timezone.now() + timedelta(hours=1), reason="x"
    )
    response = technician.patch(f"{WINDOWS}{window.pk}/", {"ends_at": window.starts_at.isoformat()}, format="json")
    assert response.status_code == 400 and "ends_at" in response.json()


def test_radio_check_is_recorded_with_its_operator(tree, technician):
    a, b = factories.radio(tree["64.01"]), factories.radio(tree["64.01"])
    body = {
        "net": "VHF 147.000",
        "operator": "someone-else",
        "entries": [
            {"asset": a.pk, "answered": True, "readability": 5, "signal": 4},
            {"asset": b.pk, "answered": False},
        ],
    }
    response = technician.post(CHECKS, body, format="json")
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["operator"] == technician.user.username and data["agency"] == "64.01"
    assert [(e["asset"], e["answered"], e["readability"]) for e in data["entries"]] == [
        (a.pk, True, 5),
        (b.pk, False, None),
    ]
    assert technician.get(f"{CHECKS}{data['id']}/").json()["entries"] == data["entries"]


@pytest.mark.parametrize(
    ("entries", "field"),
    [
        ([], "entries"),
        ([{"asset": "own", "answered": True}, {"asset": "own", "answered": False}], "entries"),  # twice
        ([{"asset": "own", "answered": False, "readability": 3}], "entries"),  # a report without an answer
        ([{"asset": "own", "answered": True, "signal": 10}], "entries"),  # strength is S1-S9
        ([{"asset": "own", "answered": True, "readability": 6}], "entries"),  # readability is R1-R5
        ([{"asset": "own", "answered": True, "readability": 0}], "entries"),
        ([{"asset": "own"}], "entries"),  # answered or not must be said
        ([{"asset": "foreign", "answered": True}], "entries"),  # another province's radio "does not exist"
        ([{"asset": "router", "answered": True}], "entries"),  # not a radio
    ],
)
def test_radio_check_entry_refusals(tree, technician, entries, field):
    assets = {
        "own": factories.radio(tree["64.01"]).pk,
        "foreign": factories.radio(tree["63.01"]).pk,
        "router": factories.asset(tree["64.01"]).pk,
    }
    for entry in entries:
        entry["asset"] = assets[entry["asset"]]
    response = technician.post(CHECKS, {"net": "VHF", "entries": entries}, format="json")
    assert response.status_code == 400
    assert field in response.json(), response.json()
    assert not RadioCheck.objects.exists()


def test_a_radio_outside_the_nets_agency_is_refused_by_the_service(tree, client_for):
    """The province's admin sees both regencies, but Samarinda's roll call cannot call Paser's radio."""
    admin = client_for(tree["64"], "administrator")
    body = {
        "agency": "64.72",
        "net": "VHF",
        "entries": [{"asset": factories.radio(tree["64.01"]).pk, "answered": True}],
    }
    response = admin.post(CHECKS, body, format="json")
    assert response.status_code == 400 and "milik instansi lain" in str(response.json()["entries"])
    assert not RadioCheck.objects.exists()


def test_the_provinces_net_calls_its_regencies_radios(tree, client_for):
    admin = client_for(tree["64"], "administrator")
    body = {"agency": "64", "net": "VHF", "entries": [{"asset": factories.radio(tree["64.01"]).pk, "answered": True}]}
    assert admin.post(CHECKS, body, format="json").status_code == 201


def test_radio_check_in_the_future_is_refused(tree, technician):
    later = (timezone.now() + timedelta(hours=2)).isoformat()
    entries = [{"asset": factories.radio(tree["64.01"]).pk, "answered": True}]
    response = technician.post(CHECKS, {"net": "VHF", "held_at": later, "entries": entries}, format="json")
    assert response.status_code == 400 and "held_at" in response.json()


def test_radio_check_cannot_be_changed(tree, technician):
    check = RadioCheck.objects.create(agency=tree["64.01"], held_at=timezone.now(), net="VHF")
    assert technician.patch(f"{CHECKS}{check.pk}/", {"net": "HF"}, format="json").status_code == 405
    assert technician.put(f"{CHECKS}{check.pk}/", {"net": "HF"}, format="json").status_code == 405
