"""The remote pollers page: health trouble first, a token shown once, rotate and revoke by administrators only,
scoped like everything else; the dashboard lists pollers silent first; an asset's page names its poller."""

from datetime import timedelta

import pytest
from django.utils import timezone

from monitoring.models import AssetState, Poller
from monitoring.remote.assignment import poller_assets, poller_of
from monitoring.remote.services import poller_create
from monitoring.remote.tokens import token_hash
from tests import factories


@pytest.fixture
def pollers(tree, settings):
    settings.POLLER_SILENT_AFTER_S = 180
    now = timezone.now()
    quiet, _token = poller_create(name="Poller Paser", agency=tree["64.01"])
    busy, _token = poller_create(name="Poller Samarinda", agency=tree["64.72"])
    foreign, _token = poller_create(name="Poller Luar", agency=tree["63.01"])
    Poller.objects.filter(pk=quiet.pk).update(
        last_contact_at=now - timedelta(minutes=10), created_at=now - timedelta(days=1)
    )
    Poller.objects.filter(pk=busy.pk).update(last_contact_at=now, last_backlog=1520, version="0.1.0")
    factories.asset(tree["64.01"], name="Router Paser", management_address="10.1.0.1")
    factories.asset(tree["64.72"], name="Router Samarinda", management_address="10.2.0.1")
    factories.asset(tree["64.72"], name="Modem Samarinda", management_address="10.2.0.2")
    return {"quiet": quiet, "busy": busy, "foreign": foreign}


def test_the_page_lists_silent_pollers_first_with_contact_backlog_version_and_assets(client, tree, pollers):
    client.force_login(factories.user(tree["64"], "manager"))
    page = client.get("/pollers/").content.decode()
    assert "1 diam dari 2 poller aktif" in page
    assert page.index("Poller Paser") < page.index("Poller Samarinda")  # trouble first
    assert "Poller Luar" not in page  # another province's
    quiet = page[page.index(f'id="poller-{pollers["quiet"].pk}"') :]
    assert "Diam" in quiet[:600] and "WITA" in quiet[:600]
    busy = page[page.index(f'id="poller-{pollers["busy"].pk}"') :]
    assert "Melapor" in busy[:800] and "1.520 hasil" in busy[:800] and "0.1.0" in busy[:800]
    assert "Ganti token" not in page and "Buat poller" not in page  # a manager reads only


def test_an_administrator_makes_a_poller_sees_its_token_once_then_rotates_and_revokes_it(client, tree, pollers):
    client.force_login(factories.user(tree["64"], "administrator"))
    made = client.post("/pollers/new/", {"name": "Poller Provinsi", "agency": "64"})
    assert made.status_code == 200 and "no-store" in made["Cache-Control"]
    poller = Poller.objects.get(name="Poller Provinsi")
    token = made.content.decode().split('id="token-value">')[1].split("<")[0]
    assert token_hash(token) == poller.token_hash
    assert token not in client.get("/pollers/").content.decode()  # only then

    rotated = client.post(f"/pollers/{poller.pk}/rotate/").content.decode()
    new_token = rotated.split('id="token-value">')[1].split("<")[0]
    poller.refresh_from_db()
    assert new_token != token and poller.token_hash == token_hash(new_token)

    assert client.post(f"/pollers/{poller.pk}/revoke/").status_code == 302
    poller.refresh_from_db()
    assert poller.revoked_at is not None
    assert "Dicabut" in client.get("/pollers/").content.decode()


def test_bad_input_names_the_field_and_writes_nothing(client, tree, pollers):
    client.force_login(factories.user(tree["64"], "administrator"))
    empty = client.post("/pollers/new/", {"name": "", "agency": "64.01"})
    assert empty.status_code == 400 and "Bidang ini harus diisi." in empty.content.decode()
    twice = client.post("/pollers/new/", {"name": "Poller Kedua", "agency": "64.72"})  # it has a poller already
    assert twice.status_code == 400 and "sudah punya poller aktif" in twice.content.decode()
    assert "poller_one_active_per_agency" not in twice.content.decode()  # the rule's name is no message
    foreign = client.post("/pollers/new/", {"name": "Poller X", "agency": "63.01"})
    assert foreign.status_code == 400  # an agency it cannot see is no choice at all
    assert Poller.objects.count() == 3


@pytest.mark.parametrize("role", ["technician", "manager", "procurement"])
def test_only_administrators_manage_pollers(client, tree, pollers, role):
    client.force_login(factories.user(tree["64.01"], role))
    quiet = pollers["quiet"]
    assert client.post("/pollers/new/", {"name": "Poller Y", "agency": "64.01"}).status_code == 403
    assert client.post(f"/pollers/{quiet.pk}/rotate/").status_code == 403
    assert client.post(f"/pollers/{quiet.pk}/revoke/").status_code == 403
    quiet.refresh_from_db()
    assert quiet.revoked_at is None and Poller.objects.count() == 3


def test_another_agencys_poller_is_not_found(client, tree, pollers):
    client.force_login(factories.user(tree["64"], "administrator"))
    foreign = pollers["foreign"]
    assert client.post(f"/pollers/{foreign.pk}/rotate/").status_code == 404
    assert client.post(f"/pollers/{foreign.pk}/revoke/").status_code == 404
    assert client.get("/pollers/new/").status_code == 405


def test_the_dashboard_lists_pollers_silent_first_and_the_asset_page_names_the_poller(client, tree, pollers):
    client.force_login(factories.user(tree["64"], "manager"))
    rows = client.get("/api/reports/dashboard/").json()["pollers"]
    assert [(r["name"], r["health"], r["assets"]) for r in rows] == [
        ("Poller Paser", "silent", 1),
        ("Poller Samarinda", "reporting", 2),
    ]
    agency = client.get("/api/reports/dashboard/64.01/").json()
    assert [(a["name"], a["state"], a["reason"]) for a in agency["assets"]] == [
        ("Router Paser", "unknown", "poller_silent")
    ]
    router = factories.asset(tree["64"], name="Router Provinsi", management_address="10.0.0.1")
    assert "pusat" in client.get(f"/assets/{router.pk}/").content.decode()
    paser_router = tree["64.01"].assets.get(name="Router Paser")
    page = client.get(f"/assets/{paser_router.pk}/").content.decode()
    assert "Poller Paser (diam)" in page


def test_a_poller_for_chosen_sites_is_made_from_the_page(client, tree, pollers):
    client.force_login(factories.user(tree["64"], "administrator"))
    hill, office = factories.site(tree["64.01"], name="Bukit Pelangi"), factories.site(tree["64.01"])
    repeater = factories.asset(tree["64.01"], site=hill, management_address="10.1.0.9")
    page = client.get("/pollers/").content.decode()
    assert "64.01 · Bukit Pelangi" in page and "Kosongkan agar poller memantau seluruh aset instansi." in page
    made = client.post("/pollers/new/", {"name": "Poller Bukit", "agency": "64.01", "sites": [hill.pk]})
    assert made.status_code == 200 and "Poller Bukit" in made.content.decode()
    poller = Poller.objects.get(name="Poller Bukit")
    assert poller.scope == "sites" and list(poller.poller_sites.values_list("site", flat=True)) == [hill.pk]
    assert list(poller_assets(poller)) == [repeater] and poller_of(repeater) == poller
    taken = client.post("/pollers/new/", {"name": "Poller Lain", "agency": "64.01", "sites": [hill.pk, office.pk]})
    assert taken.status_code == 400 and "Bukit Pelangi sudah dipantau Poller Bukit." in taken.content.decode()
    assert not Poller.objects.filter(name="Poller Lain").exists()  # nothing half-written


def test_a_site_of_another_agency_is_refused_by_name(client, tree, pollers):
    client.force_login(factories.user(tree["64"], "administrator"))
    elsewhere = factories.site(tree["64.72"], name="Menara Samarinda")
    answer = client.post("/pollers/new/", {"name": "Poller Campur", "agency": "64.01", "sites": [elsewhere.pk]})
    assert answer.status_code == 400
    assert "Lokasi bukan milik instansi ini: Menara Samarinda." in answer.content.decode()
    foreign = factories.site(tree["63.01"])
    unseen = client.post("/pollers/new/", {"name": "Poller Luar 2", "agency": "64.01", "sites": [foreign.pk]})
    assert unseen.status_code == 400  # a site it cannot see is no choice at all
    assert Poller.objects.count() == 3


def test_the_status_api_says_unknown_for_the_assets_of_a_silent_poller(client, tree, pollers):
    paser = tree["64.01"].assets.get(name="Router Paser")
    samarinda = tree["64.72"].assets.get(name="Router Samarinda")
    for asset in (paser, samarinda):
        AssetState.objects.create(asset=asset, state="down", since=timezone.now(), reason="timeout")
    client.force_login(factories.user(tree["64"], "manager"))
    rows = {row["asset_name"]: row for row in client.get("/api/monitoring/status/").json()["results"]}
    assert (rows["Router Paser"]["state"], rows["Router Paser"]["poller_silent"]) == ("unknown", True)
    assert rows["Router Paser"]["reason"] == "poller diam"
    assert (rows["Router Samarinda"]["state"], rows["Router Samarinda"]["poller_silent"]) == ("down", False)
    down = client.get("/api/monitoring/status/?state=down").json()["results"]
    assert [row["asset_name"] for row in down] == ["Router Samarinda"]  # a silent poller's asset is not down
    unknown = client.get("/api/monitoring/status/?state=unknown").json()["results"]
    assert [row["asset_name"] for row in unknown] == ["Router Paser"]
    Poller.objects.filter(pk=pollers["quiet"].pk).update(last_contact_at=timezone.now())  # heard again
    again = client.get(f"/api/monitoring/status/{paser.pk}/").json()
    assert (again["state"], again["poller_silent"], again["reason"]) == ("down", False, "timeout")
