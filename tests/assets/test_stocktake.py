"""Stocktakes: the lines an opened count expects, marking (found, elsewhere, missing, an asset scanned where the
register does not place it), refusals with the field named, closing with missing assets flagged in the register
and its history (never deleted), and scoping."""

import io

import pytest
from django.test import Client
from pypdf import PdfReader

from accounts.choices import Role
from assets.choices import AssetStatus, SiteKind
from assets.models import Asset, Stocktake
from tests import factories


@pytest.fixture
def paser(tree):
    return tree["64.01"]


@pytest.fixture
def places(paser):
    return {
        "office": factories.site(paser, name="Pusdalops", kind=SiteKind.PUSDALOPS),
        "warehouse": factories.site(paser, name="Gudang Logistik", kind=SiteKind.WAREHOUSE),
    }


@pytest.fixture
def radios(paser, places):
    office, warehouse = places["office"], places["warehouse"]
    return {
        "base": factories.radio(paser, name="Radio VHF base", site=office, tag="6401-VHF-001"),
        "ht1": factories.radio(paser, name="HT VHF 1", site=office),
        "ht2": factories.radio(paser, name="HT VHF 2", site=office),
        "ht3": factories.radio(paser, name="HT VHF 3", site=office),
        "old": factories.radio(paser, name="HT lama", site=office, status=AssetStatus.RETIRED),
        "spare": factories.radio(paser, name="HT cadangan", site=warehouse, status=AssetStatus.SPARE),
    }


@pytest.fixture
def technician(paser, client_for):
    return client_for(paser)


def test_a_count_of_the_office_closed_with_a_missing_radio(tree, technician, places, radios):
    office, warehouse = places["office"], places["warehouse"]
    opened = technician.post("/api/stocktakes/", {"site": office.pk}, format="json")
    assert opened.status_code == 201, opened.content
    count = opened.json()
    assert (count["agency"], count["status"], count["expected"], count["pending"]) == ("64.01", "open", 4, 4)
    url = f"/api/stocktakes/{count['id']}"
    lines = technician.get(url + "/lines/").json()
    assert sorted(line["asset_name"] for line in lines) == ["HT VHF 1", "HT VHF 2", "HT VHF 3", "Radio VHF base"]

    def mark(**body):
        return technician.post(url + "/mark/", body, format="json")

    assert mark(asset=radios["base"].pk, result="found", condition="good").json()["result"] == "found"
    damaged = mark(asset=radios["ht1"].pk, result="found", condition="heavy_damage")
    assert damaged.json()["condition"] == "heavy_damage"
    moved = mark(asset=radios["ht2"].pk, result="elsewhere", found_site=warehouse.pk, condition="light_damage")
    assert moved.json()["found_site"] == warehouse.pk
    # The spare from the warehouse, scanned in the office, joins the count as found here.
    scanned = mark(asset=radios["spare"].pk, result="found", condition="good").json()
    assert (scanned["result"], scanned["found_site"], scanned["expected_site"]) == (
        "elsewhere",
        office.pk,
        warehouse.pk,
    )
    for body, field in (
        ({"asset": radios["ht3"].pk, "result": "elsewhere"}, "found_site"),
        ({"asset": radios["ht3"].pk, "result": "pending"}, "result"),
        ({"asset": radios["ht3"].pk, "result": "missing", "condition": "good"}, "condition"),
        ({"asset": radios["ht3"].pk, "result": "found", "condition": "broken"}, "condition"),
        ({"result": "found"}, "asset"),
    ):
        refused = mark(**body)
        assert refused.status_code == 400 and field in refused.json(), (body, refused.content)

    differences = technician.get(url + "/discrepancies/").json()
    assert [(d["asset_name"], d["result"]) for d in differences] == [
        ("HT VHF 3", "pending"),
        ("HT VHF 2", "elsewhere"),
        ("HT cadangan", "elsewhere"),
        ("HT VHF 1", "found"),  # found, but heavily damaged
    ]

    closed = technician.post(url + "/close/")
    assert closed.status_code == 200, closed.content
    summary = closed.json()
    assert (summary["status"], summary["missing"], summary["elsewhere"], summary["found"]) == ("closed", 1, 2, 2)
    assert summary["closed_by"] == technician.user.username and summary["closed_at"]

    def asset(key) -> Asset:
        return Asset.objects.get(pk=radios[key].pk)

    assert asset("ht3").status == AssetStatus.MISSING  # flagged, still in the register
    assert asset("ht1").status == AssetStatus.FAULTY
    assert asset("ht2").site == warehouse and asset("ht2").status == AssetStatus.IN_SERVICE
    assert asset("spare").site == office and asset("spare").status == AssetStatus.SPARE
    assert asset("base").status == AssetStatus.IN_SERVICE and asset("old").status == AssetStatus.RETIRED
    change = asset("ht3").history.first()
    assert change.history_user == technician.user and change.history_change_reason == f"Inventarisasi #{count['id']}"
    assert change.prev_record.status == AssetStatus.IN_SERVICE

    # Its record (berita acara) lists what was not found, for the manager to sign; another agency gets 404.
    browser = Client()
    browser.force_login(technician.user)
    record = browser.get(f"/stocktakes/{count['id']}/berita-acara.pdf")
    assert record.status_code == 200 and record["Content-Type"] == "application/pdf"
    text = PdfReader(io.BytesIO(record.content)).pages[0].extract_text()
    assert "BERITA ACARA INVENTARISASI ASET - Pusdalops" in text and "Mengetahui," in text
    assert "HT VHF 3" in text and "Tidak ditemukan" in text and "Rusak Berat" in text and "Gudang Logistik" in text
    outsider = Client()
    outsider.force_login(factories.user(tree["63.01"]))
    assert outsider.get(f"/stocktakes/{count['id']}/berita-acara.pdf").status_code == 404

    # A closed count is a record: nothing more is marked on it, and it is not closed twice.
    assert mark(asset=radios["ht3"].pk, result="found").json() == {"stocktake": ["Inventarisasi ini sudah ditutup."]}
    assert technician.post(url + "/close/").status_code == 400


def test_a_missing_asset_found_at_the_next_count_is_back_in_service(technician, paser, radios):
    first = technician.post("/api/stocktakes/", {}, format="json").json()
    assert first["agency"] == "64.01" and first["expected"] == 5  # every counted asset of the agency
    technician.post(f"/api/stocktakes/{first['id']}/close/")
    assert Asset.objects.get(pk=radios["ht1"].pk).status == AssetStatus.MISSING
    second = technician.post("/api/stocktakes/", {}, format="json").json()
    assert second["expected"] == 5  # missing assets are still looked for
    technician.post(
        f"/api/stocktakes/{second['id']}/mark/", {"asset": radios["ht1"].pk, "result": "found"}, format="json"
    )
    technician.post(f"/api/stocktakes/{second['id']}/close/")
    assert Asset.objects.get(pk=radios["ht1"].pk).status == AssetStatus.IN_SERVICE


def test_one_open_count_per_place(technician, places, radios):
    assert technician.post("/api/stocktakes/", {"site": places["office"].pk}, format="json").status_code == 201
    again = technician.post("/api/stocktakes/", {"site": places["office"].pk}, format="json")
    assert again.status_code == 400 and "site" in again.json()
    assert Stocktake.objects.count() == 1
    browser = Client()
    browser.force_login(technician.user)
    open_count = Stocktake.objects.get()
    assert browser.get(f"/stocktakes/{open_count.pk}/berita-acara.pdf").status_code == 404  # not a record yet


def test_stocktakes_are_scoped(tree, client_for, places, radios):
    own = client_for(tree["64.01"])
    count = own.post("/api/stocktakes/", {"site": places["office"].pk}, format="json").json()
    url = f"/api/stocktakes/{count['id']}"
    for outsider in (client_for(tree["63.01"]), client_for(tree["64.72"])):
        assert outsider.get(url + "/").status_code == 404
        assert outsider.get(url + "/lines/").status_code == 404
        assert (
            outsider.post(url + "/mark/", {"asset": radios["ht1"].pk, "result": "found"}, format="json").status_code
            == 404
        )
        assert outsider.post(url + "/close/").status_code == 404
        assert outsider.get("/api/stocktakes/").json()["count"] == 0
    # The province's technician sees the regency's count but does not mark or close it.
    province = client_for(tree["64"])
    assert province.get(url + "/").status_code == 200
    assert province.post(url + "/close/").status_code == 403
    foreign_site = factories.site(tree["63.01"])
    refused = own.post("/api/stocktakes/", {"site": foreign_site.pk}, format="json")
    assert refused.status_code == 400 and "site" in refused.json()
    foreign_asset = factories.radio(tree["63.01"])
    marked = own.post(url + "/mark/", {"asset": foreign_asset.pk, "result": "found"}, format="json")
    assert marked.status_code == 400 and "asset" in marked.json()
    manager = client_for(tree["64.01"], Role.MANAGER)
    assert manager.post(url + "/close/").status_code == 403
    assert Stocktake.objects.get(pk=count["id"]).status == "open"
