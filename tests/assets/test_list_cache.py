"""The asset list's pages kept per inventory version (assets.list_cache): asked again, a page is sent as kept; a
write of an asset, an agency or a licence is in the very next page; a kept page only reaches readers who see the
same agencies, at the same address."""

import gzip
import json
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.choices import Role
from assets.list_cache import VERSION_KEY
from assets.models import Agency, Asset, RadioLicence
from tests import factories

URL = "/api/assets/?page_size=2"


@pytest.fixture
def inventory(tree):
    return {
        "province": [factories.asset(tree["64"], name=f"Router provinsi {n}") for n in range(3)],
        "paser": factories.radio(
            tree["64.01"], name="Radio Paser", tx_freq_mhz="147.000", licence=factories.licence(tree["64.01"])
        ),
    }


def _names(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [row["name"] for row in response.json()["results"]]


@pytest.mark.django_db
def test_a_page_asked_again_is_sent_as_kept_without_reading_the_assets(inventory, tree, client_for):
    client = client_for(tree["64"], Role.MANAGER)
    first = client.get(URL, HTTP_ACCEPT_ENCODING="gzip")
    with CaptureQueriesContext(connection) as queries:
        again = client.get(URL, HTTP_ACCEPT_ENCODING="gzip")
    read = [query["sql"] for query in queries if "SAVEPOINT" not in query["sql"]]
    assert len(read) == 1 and "authtoken_token" in read[0]  # the token's lookup; no asset, agency or licence
    assert again.content == first.content and again["Content-Encoding"] == "gzip"
    assert client.get(URL).json() == json.loads(gzip.decompress(first.content))  # unzipped for who asks so
    unchanged = client.get(URL, HTTP_IF_NONE_MATCH=first["ETag"])
    assert unchanged.status_code == 304 and unchanged.content == b""


@pytest.mark.django_db
def test_a_write_through_the_api_is_in_the_next_page(inventory, tree, client_for):
    client = client_for(tree["64"], Role.ADMINISTRATOR)
    first = client.get(URL)
    asset = inventory["province"][0]
    assert client.patch(f"/api/assets/{asset.pk}/", {"name": "Router diganti"}, format="json").status_code == 200
    assert "Router diganti" in _names(client.get(URL))
    assert client.get(URL, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200
    assert client.delete(f"/api/assets/{asset.pk}/").status_code == 204
    assert "Router diganti" not in _names(client.get(URL))


@pytest.mark.django_db
def test_a_licence_or_an_agency_changed_elsewhere_is_in_the_next_page(inventory, tree, client_for):
    client = client_for(tree["64"], Role.MANAGER)
    url = "/api/assets/?kind=vhf_radio"
    [radio] = client.get(url).json()["results"]
    assert radio["licence_status"] == "valid" and radio["agency"] == "64.01"
    licence = RadioLicence.objects.get(pk=inventory["paser"].licence_id)
    licence.valid_until = timezone.localdate() - timedelta(days=1)
    licence.save()
    [radio] = client.get(url).json()["results"]
    assert radio["licence_status"] == "expired" and radio["on_expired_licence"] is True
    paser = Agency.objects.get(code="64.01")
    paser.code = "64.09"
    paser.save()
    [radio] = client.get(url).json()["results"]
    assert radio["agency"] == "64.09"


@pytest.mark.django_db
def test_a_kept_page_goes_only_to_readers_of_the_same_agencies_at_the_same_address(inventory, tree, client_for):
    province = client_for(tree["64"], Role.MANAGER)
    paser = client_for(tree["64.01"], Role.MANAGER)
    assert len(_names(province.get("/api/assets/"))) == 4
    assert _names(paser.get("/api/assets/")) == ["Radio Paser"]
    assert len(_names(province.get("/api/assets/"))) == 4
    next_here = province.get(URL).json()["next"]
    next_there = province.get(URL, HTTP_HOST="localhost").json()["next"]
    assert next_here.startswith("http://testserver/") and next_there.startswith("http://localhost/")


@pytest.mark.django_db
def test_a_bad_query_is_still_a_400_and_nothing_is_kept_for_it(inventory, tree, client_for):
    client = client_for(tree["64"], Role.MANAGER)
    for _ in range(2):
        response = client.get("/api/assets/?page_size=0")
        assert response.status_code == 400 and "page_size" in response.json()
    assert client.get("/api/assets/?cursor=forged").status_code == 404


@pytest.mark.django_db(transaction=True)
def test_a_write_sets_a_new_version_at_once_and_again_when_it_commits(tree):
    """At once: the writer reads its own write. At the commit: a page built meanwhile from the rows as they were
    before the commit, by another reader, is kept under the version in between, which nobody asks for again."""
    cache.set(VERSION_KEY, "before", None)
    with transaction.atomic():
        Asset.objects.create(agency=tree["64"], name="Baru", kind="router")
        during = cache.get(VERSION_KEY)
        assert during != "before"
    assert cache.get(VERSION_KEY) not in {"before", during}


@pytest.mark.django_db
def test_todays_licence_status_is_kept_only_for_today(inventory, tree, client_for, monkeypatch):
    client = client_for(tree["64"], Role.MANAGER)
    RadioLicence.objects.filter(pk=inventory["paser"].licence_id).update(valid_until=timezone.localdate())
    cache.clear()  # the bulk update above is no write the list watches: start from nothing kept
    url = "/api/assets/?kind=vhf_radio"
    assert client.get(url).json()["results"][0]["licence_status"] == "renewal_due"  # its last day
    tomorrow = timezone.localdate() + timedelta(days=1)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: tomorrow)
    assert client.get(url).json()["results"][0]["licence_status"] == "expired"
