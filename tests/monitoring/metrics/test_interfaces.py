"""The watched interfaces chosen by name after a walk (GETBULK against snmpd), through the command and the API."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from monitoring.metrics.models import AssetInterfaces
from monitoring.metrics.walks import hourly
from monitoring.models import ProbeConfig
from tests import factories
from tests.monitoring.metrics.polling import watch


@pytest.fixture
def router(tree, agent):
    asset = factories.asset(tree["64.01"], kind="router", name="Router Pusdalops", management_address="127.0.0.1")
    watch(asset, agent.port, if_indexes=())
    return asset


def url(asset) -> str:
    return f"/api/monitoring/metrics/{asset.pk}/interfaces/"


def test_a_walk_lists_the_interfaces_and_they_are_chosen_by_name_or_index(router, client_for, tree, capsys):
    technician = client_for(tree["64.01"], "technician")
    response = technician.put(url(router), {"watch": ["lo"]}, format="json")
    assert response.status_code == 400 and "watch" in response.json()  # nothing walked yet
    call_command("walkinterfaces", str(router.pk))
    assert f"{router.pk}: walked" in capsys.readouterr().out
    listed = technician.get(url(router)).json()["interfaces"]
    assert listed[0] == {"index": 1, "name": "lo", "descr": "lo", "speed_mbps": 10, "watched": False}
    response = technician.put(url(router), {"watch": ["lo", str(listed[-1]["index"])]}, format="json")
    assert response.status_code == 200, response.content
    assert ProbeConfig.objects.get(asset=router).if_indexes == [1, listed[-1]["index"]]
    watched = [i["index"] for i in response.json()["interfaces"] if i["watched"]]
    assert watched == [1, listed[-1]["index"]]


def test_unknown_names_are_refused_by_field_and_others_see_nothing(router, client_for, tree):
    call_command("walkinterfaces", str(router.pk))
    response = client_for(tree["64.01"], "technician").put(url(router), {"watch": ["ether9"]}, format="json")
    assert response.status_code == 400 and "ether9" in str(response.json()["watch"])
    assert client_for(tree["64.01"], "technician").put(url(router), {"watch": "lo"}, format="json").status_code == 400
    assert client_for(tree["63.01"], "technician").get(url(router)).status_code == 404
    assert client_for(tree["63.01"], "administrator").put(url(router), {"watch": []}, format="json").status_code == 404
    assert client_for(tree["64.01"], "manager").put(url(router), {"watch": ["lo"]}, format="json").status_code == 403


def test_the_hourly_upkeep_walks_assets_not_walked_for_a_day(router):
    hourly(timezone.now())
    assert AssetInterfaces.objects.get(asset=router).interfaces[0]["name"] == "lo"
