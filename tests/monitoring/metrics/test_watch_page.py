"""The asset page's form for the watched interfaces: the walked list (snmpd's, by GETBULK), saved as the API saves
it, for those who may write the asset's agency only."""

import pytest
from django.core.management import call_command

from monitoring.models import ProbeConfig
from tests import factories
from tests.monitoring.metrics.polling import watch


@pytest.fixture
def router(tree, agent):
    asset = factories.asset(tree["64.01"], kind="router", name="Router Pusdalops", management_address="127.0.0.1")
    watch(asset, agent.port, if_indexes=())
    return asset


def form_url(asset) -> str:
    return f"/metrics/assets/{asset.pk}/interfaces/"


def test_a_technician_sees_the_walked_interfaces_and_saves_a_choice(router, client, tree):
    client.force_login(factories.user(tree["64.01"], "technician"))
    html = client.get(f"/assets/{router.pk}/").content.decode()
    assert 'id="watch-interfaces"' in html and "Belum ada daftar antarmuka" in html  # nothing walked yet
    call_command("walkinterfaces", str(router.pk), verbosity=0)
    html = client.get(f"/assets/{router.pk}/").content.decode()
    assert 'id="watch-1" name="watch" value="1"' in html and "<strong>lo</strong>" in html and "10 Mbps" in html
    response = client.post(form_url(router), {"watch": ["1"]}, follow=True)
    assert response.redirect_chain[-1][0] == f"/assets/{router.pk}/"
    assert "Antarmuka dipantau: 1." in response.content.decode()
    assert ProbeConfig.objects.get(asset=router).if_indexes == [1]
    assert 'id="watch-1" name="watch" value="1" checked' in response.content.decode()


def test_a_bad_choice_is_an_error_on_the_page_and_nothing_is_written(router, client, tree):
    call_command("walkinterfaces", str(router.pk), verbosity=0)
    client.force_login(factories.user(tree["64.01"], "technician"))
    response = client.post(form_url(router), {"watch": ["1", "999"]}, follow=True)
    html = response.content.decode()
    assert response.status_code == 200 and 'class="flash error"' in html and "Antarmuka tidak dikenal: 999." in html
    assert ProbeConfig.objects.get(asset=router).if_indexes == []


def test_others_are_refused_and_see_no_form(router, client, tree):
    call_command("walkinterfaces", str(router.pk), verbosity=0)
    client.force_login(factories.user(tree["63.01"], "technician"))  # another province's
    assert client.post(form_url(router), {"watch": ["1"]}).status_code == 404
    client.force_login(factories.user(tree["64.01"], "manager"))  # reads the agency, may not write it
    assert 'id="watch-interfaces"' not in client.get(f"/assets/{router.pk}/").content.decode()
    response = client.post(form_url(router), {"watch": ["1"]})
    assert response.status_code == 403 and "yang dapat memilih antarmuka" in response.content.decode()
    assert ProbeConfig.objects.get(asset=router).if_indexes == []
