"""Bad input gets a 400 naming the field and the reason, and nothing is written."""

import pytest

from assets.models import Asset, Site
from tests import factories

VALID_REPEATER = {
    "kind": "repeater",
    "name": "Repeater Gunung Lipan",
    "band": "vhf",
    "tx_freq_mhz": "147.600",
    "rx_freq_mhz": "147.000",
    "tone": "88.5",
    "management_address": "127.64.1.10",
}
VALID_SITE = {
    "name": "Bukit Biru",
    "kind": "repeater_site",
    "latitude": "-0.4",
    "longitude": "116.9",
    "power_source": "solar",
}


@pytest.fixture
def technician(tree, client_for):
    return client_for(tree["64.01"])


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"management_address": "300.1.1.1"}, "management_address"),
        ({"management_address": "not an address"}, "management_address"),
        ({"management_address": "-bad-.example"}, "management_address"),
        ({"tx_freq_mhz": "450.000"}, "tx_freq_mhz"),  # UHF frequency on a VHF repeater
        ({"rx_freq_mhz": "12.5"}, "rx_freq_mhz"),
        ({"band": ""}, "band"),  # a repeater must say its band
        ({"kind": "teleporter"}, "kind"),
        ({"tone": "88.6"}, "tone"),
        ({"status": "lost"}, "status"),
        ({"provider": "Telkom"}, "provider"),  # link fields do not belong to a repeater
        ({"cost_idr": -5}, "cost_idr"),
        ({"power_w": "0"}, "power_w"),
        ({"acquisition_date": "2024-05-01", "warranty_end": "2023-01-01"}, "warranty_end"),
        ({"site": 999999}, "site"),
        ({"name": ""}, "name"),
        ({"tx_freq_mhz": "abc"}, "tx_freq_mhz"),
    ],
)
def test_bad_asset_is_rejected_with_field_error(technician, changes, field):
    response = technician.post("/api/assets/", VALID_REPEATER | changes, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json(), response.json()
    assert all(isinstance(message, str) and message for message in response.json()[field])
    assert not Asset.objects.exists()


def test_frequency_must_fit_the_radio_band(technician):
    body = {"kind": "hf_radio", "name": "HF", "tx_freq_mhz": "145.0", "rx_freq_mhz": "7.065"}
    response = technician.post("/api/assets/", body, format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"tx_freq_mhz"}


def test_valid_radio_gets_band_from_kind_and_offset(technician):
    body = {"kind": "vhf_radio", "name": "HT", "tx_freq_mhz": "147.600", "rx_freq_mhz": "147.000"}
    response = technician.post("/api/assets/", body, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["band"] == "vhf"
    assert response.json()["offset_mhz"] == "0.60000"


def test_duplicate_serial_of_same_manufacturer_is_a_field_error(tree, technician):
    factories.asset(tree["64.72"], manufacturer="Icom", serial_number="SN-1")
    body = VALID_REPEATER | {"manufacturer": "Icom", "serial_number": "SN-1"}
    response = technician.post("/api/assets/", body, format="json")
    assert response.status_code == 400
    assert "serial_number" in response.json()
    ok = technician.post("/api/assets/", body | {"manufacturer": "Motorola"}, format="json")
    assert ok.status_code == 201  # unique per manufacturer, not globally


def test_empty_serials_do_not_collide(technician):
    for _ in range(2):
        response = technician.post("/api/assets/", VALID_REPEATER | {"serial_number": ""}, format="json")
        assert response.status_code == 201
        assert response.json()["serial_number"] is None


def test_link_needs_its_own_fields(technician):
    response = technician.post("/api/assets/", {"kind": "internet_link", "name": "Link"}, format="json")
    assert response.status_code == 400
    assert {"provider", "medium"} <= set(response.json())


def test_ipv6_and_hostname_addresses_are_accepted(technician):
    for address in ("::1", "fe80::1", "router.bpbd-paser.go.id", "localhost"):
        body = {"kind": "router", "name": f"R {address}", "management_address": address}
        assert technician.post("/api/assets/", body, format="json").status_code == 201


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"latitude": "200"}, "latitude"),
        ({"latitude": "45.0"}, "latitude"),  # a valid latitude, but not in Indonesia
        ({"longitude": "10.0"}, "longitude"),
        ({"kind": "castle"}, "kind"),
        ({"power_source": "nuclear"}, "power_source"),
        ({"elevation_m": 9000}, "elevation_m"),
    ],
)
def test_bad_site_is_rejected(technician, changes, field):
    response = technician.post("/api/sites/", VALID_SITE | changes, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert not Site.objects.exists()


def test_duplicate_site_name_in_agency(technician):
    assert technician.post("/api/sites/", VALID_SITE, format="json").status_code == 201
    response = technician.post("/api/sites/", VALID_SITE, format="json")
    assert response.status_code == 400
    assert "name" in response.json()


def test_update_keeps_other_fields_and_validates_the_whole(tree, technician):
    asset = factories.asset(tree["64.01"], kind="repeater", band="vhf", tx_freq_mhz="147.6", rx_freq_mhz="147.0")
    response = technician.patch(f"/api/assets/{asset.pk}/", {"band": "uhf"}, format="json")
    assert response.status_code == 400  # the stored VHF frequencies no longer fit
    assert "tx_freq_mhz" in response.json()
    asset.refresh_from_db()
    assert asset.band == "vhf"


def test_deleting_a_site_in_use_is_a_conflict_not_a_crash(tree, technician):
    site = factories.site(tree["64.01"])
    factories.asset(tree["64.01"], site=site)
    response = technician.delete(f"/api/sites/{site.pk}/")
    assert response.status_code == 409
    assert Site.objects.filter(pk=site.pk).exists()


def test_malformed_json_is_a_400(technician):
    response = technician.post("/api/assets/", "{not json", content_type="application/json")
    assert response.status_code == 400


def test_bad_filter_value_is_a_400(technician):
    response = technician.get("/api/assets/", {"warranty_before": "next tuesday"})
    assert response.status_code == 400
    assert "warranty_before" in response.json()
