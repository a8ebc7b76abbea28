"""Probe configurations: secrets are write-only and encrypted at rest; the model's rules answer 400 by field."""

import pytest
from django.db import connection

from monitoring.models import ProbeConfig
from tests import factories

URL = "/api/monitoring/probe-configs/"
COMMUNITY = b"k0munitas-Rahasia-64"


@pytest.fixture
def switch(tree):
    return factories.asset(tree["64.01"], name="Switch Pusdalops", management_address="127.64.1.20")


@pytest.fixture
def technician(tree, client_for):
    return client_for(tree["64.01"])


def _raw_column(asset_id: int, column: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM monitoring_probeconfig WHERE asset_id = %s", [asset_id])
        return cursor.fetchone()[0]


def test_secrets_never_leave_and_are_encrypted_at_rest(switch, technician):
    body = {"asset": switch.pk, "snmp": True, "snmp_community": COMMUNITY.decode()}
    created = technician.post(URL, body, format="json")
    assert created.status_code == 201, created.content
    assert created.json()["snmp_community_set"] is True and created.json()["snmp_auth_key_set"] is False
    item = f"{URL}{switch.pk}/"
    updated = technician.patch(item, {"interval_s": 120}, format="json")
    replaced = technician.put(item, {"asset": switch.pk, "snmp": True}, format="json")  # leaving it out keeps it
    for response in (created, technician.get(URL), technician.get(item), updated, replaced):
        assert response.status_code in (200, 201)
        assert COMMUNITY not in response.content
        assert b'snmp_community"' not in response.content
    assert replaced.json()["snmp_community_set"] is True

    stored = _raw_column(switch.pk, "snmp_community")
    assert stored.startswith("fernet:") and COMMUNITY.decode() not in stored
    assert ProbeConfig.objects.get(pk=switch.pk).snmp_community == COMMUNITY.decode()


def test_a_new_community_replaces_the_old_one_and_v3_keys_stay_hidden(switch, technician):
    ProbeConfig.objects.create(asset=switch, snmp=True, snmp_community="lama-lama")
    body = {
        "snmp_version": "3",
        "snmp_username": "simpul",
        "snmp_auth_protocol": "SHA256",
        "snmp_auth_key": "kunci-autentikasi-9",
        "snmp_priv_protocol": "AES",
        "snmp_priv_key": "kunci-privasi-99",
        "snmp_community": "",
    }
    response = technician.patch(f"{URL}{switch.pk}/", body, format="json")
    assert response.status_code == 200, response.content
    assert b"kunci-" not in response.content
    data = response.json()
    assert (data["snmp_community_set"], data["snmp_auth_key_set"], data["snmp_priv_key_set"]) == (False, True, True)
    assert _raw_column(switch.pk, "snmp_priv_key").startswith("fernet:")


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"snmp": True}, "snmp_community"),  # v2c needs a community
        ({"snmp": True, "snmp_version": "3"}, "snmp_username"),
        ({"snmp_version": "3", "snmp_auth_protocol": "SHA", "snmp_auth_key": "short", "snmp": True}, "snmp_auth_key"),
        ({"interval_s": 5}, "interval_s"),
        ({"if_indexes": [1, -2]}, "if_indexes"),
        ({"snmp_port": 70000}, "snmp_port"),
        ({"asset": None}, "asset"),
    ],
)
def test_bad_input_is_refused_by_field(switch, technician, body, field):
    response = technician.post(URL, {"asset": switch.pk} | body, format="json")
    assert response.status_code == 400
    assert field in response.json(), response.json()


def test_snmp_needs_a_management_address(tree, technician):
    radio = factories.radio(tree["64.01"])
    response = technician.post(URL, {"asset": radio.pk, "snmp": True, "snmp_community": "x"}, format="json")
    assert response.status_code == 400 and "snmp" in response.json()


def test_one_config_per_asset_and_it_stays_with_its_asset(switch, tree, technician):
    ProbeConfig.objects.create(asset=switch)
    assert "asset" in technician.post(URL, {"asset": switch.pk}, format="json").json()
    other = factories.asset(tree["64.01"])
    response = technician.patch(f"{URL}{switch.pk}/", {"asset": other.pk}, format="json")
    assert response.status_code == 400 and "asset" in response.json()
    assert not ProbeConfig.objects.filter(pk=other.pk).exists()


def test_dependency_must_be_same_agency_visible_and_acyclic(switch, tree, client_for):
    admin = client_for(tree["64"], "administrator")
    link = factories.asset(tree["64.01"], name="Link")
    neighbour = factories.asset(tree["64.72"])
    foreign = factories.asset(tree["63.01"])
    ProbeConfig.objects.create(asset=link, depends_on=switch)

    def refused(body) -> bool:
        response = admin.post(URL, {"asset": switch.pk} | body, format="json")
        return response.status_code == 400 and "depends_on" in response.json()

    assert refused({"depends_on": neighbour.pk})  # visible to the province, but another agency's
    assert refused({"depends_on": foreign.pk})  # invisible: "does not exist"
    assert refused({"depends_on": switch.pk})  # itself
    assert refused({"depends_on": link.pk})  # link -> switch -> link
    assert admin.post(URL, {"asset": neighbour.pk, "depends_on": None}, format="json").status_code == 201


def test_deleting_a_config_keeps_the_asset(switch, technician):
    ProbeConfig.objects.create(asset=switch)
    assert technician.delete(f"{URL}{switch.pk}/").status_code == 204
    switch.refresh_from_db()
