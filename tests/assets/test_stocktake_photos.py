"""A stocktake line's photo and note: checked like a work order's photo (simpul.uploads: decoded, bounded, stored
under our own name), served only to who sees the count, shown as a thumbnail on the count's page; and the label
scanner's server side: a scanned or typed asset opens, ticked in the open count; "catat kondisi" with history."""

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from accounts.choices import Role
from assets.choices import StocktakeResult
from assets.models import Asset, StocktakeLine
from assets.stocktake import stocktake_close, stocktake_open
from tests import factories

STORED = re.compile(r"^stocktakes/\d+/[0-9a-f]{32}\.(jpg|png|webp)$")


def jpeg_bytes(size=(640, 480)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (30, 120, 200)).save(buffer, "JPEG")
    return buffer.getvalue()


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def paser(tree):
    return tree["64.01"]


@pytest.fixture
def office(paser):
    return factories.site(paser, name="Pusdalops Paser")


@pytest.fixture
def radio(paser, office):
    return factories.radio(paser, name="Radio VHF base", site=office, tag="6401-VHF-001")


@pytest.fixture
def counter(paser):
    return factories.user(paser, Role.TECHNICIAN)


@pytest.fixture
def count(paser, office, radio, counter):
    return stocktake_open(agency=paser, site=office, by=counter)


def _browser(user) -> Client:
    browser = Client()
    browser.force_login(user)
    return browser


def test_a_photo_over_the_api_is_checked_stored_under_our_name_and_served_scoped(
    media, tree, paser, radio, count, client_for
):
    tech = client_for(paser)
    url = f"/api/stocktakes/{count.pk}/photo/"
    refused = tech.post(url, {"asset": radio.pk, "file": SimpleUploadedFile("x.jpg", b"\xff\xd8\xff<html>")})
    assert refused.status_code == 400 and "file" in refused.json()
    assert not StocktakeLine.objects.get(stocktake=count, asset=radio).photo

    sent = tech.post(url, {"asset": radio.pk, "file": SimpleUploadedFile("evil.html", jpeg_bytes())})
    assert sent.status_code == 200, sent.content
    line = StocktakeLine.objects.get(stocktake=count, asset=radio)
    assert STORED.match(line.photo.name) and line.photo.name.endswith(".jpg") and line.photo_type == "image/jpeg"
    body = sent.json()
    assert body["photo_url"].endswith(f"/stocktakes/{count.pk}/lines/{line.pk}/photo/")
    assert body["photo_thumbnail_url"].endswith(f"/stocktakes/{count.pk}/lines/{line.pk}/thumb/")
    listed = tech.get(f"/api/stocktakes/{count.pk}/lines/").json()
    assert [entry["photo_url"] for entry in listed] == [body["photo_url"]]

    photo = tech.get(body["photo_url"])  # the API token works on the photo's URL too
    assert photo.status_code == 200 and photo["Content-Type"] == "image/jpeg"
    assert b"".join(photo.streaming_content) == jpeg_bytes()
    assert photo["X-Content-Type-Options"] == "nosniff"
    thumb = tech.get(body["photo_thumbnail_url"])
    assert thumb.status_code == 200 and thumb["Content-Type"] == "image/jpeg"
    small = Image.open(io.BytesIO(b"".join(thumb.streaming_content)))
    assert max(small.size) == 320
    for outsider in (client_for(tree["64.72"]), client_for(tree["63.01"], Role.MANAGER)):
        assert outsider.get(body["photo_url"]).status_code == 404
        assert outsider.get(body["photo_thumbnail_url"]).status_code == 404
        assert outsider.post(
            url, {"asset": radio.pk, "file": SimpleUploadedFile("a.jpg", jpeg_bytes())}
        ).status_code in (
            403,
            404,
        )
    assert client_for(paser, Role.MANAGER).post(url, {"asset": radio.pk}).status_code == 403
    assert Client().get(body["photo_url"]).status_code == 302  # to the login


def test_a_photo_needs_the_asset_on_an_open_count(media, paser, radio, count, counter, client_for):
    tech = client_for(paser)
    stranger = factories.radio(paser, name="HT di gudang")
    off_count = tech.post(
        f"/api/stocktakes/{count.pk}/photo/", {"asset": stranger.pk, "file": SimpleUploadedFile("a.jpg", jpeg_bytes())}
    )
    assert off_count.status_code == 400 and "asset" in off_count.json()
    stocktake_close(stocktake=count, by=counter)
    closed = tech.post(
        f"/api/stocktakes/{count.pk}/photo/", {"asset": radio.pk, "file": SimpleUploadedFile("a.jpg", jpeg_bytes())}
    )
    assert closed.status_code == 400 and closed.json() == {"stocktake": ["Inventarisasi ini sudah ditutup."]}


def test_the_page_takes_a_note_and_a_photo_and_shows_the_thumbnail(media, paser, radio, count, counter):
    browser = _browser(counter)
    marked = browser.post(
        f"/stocktakes/{count.pk}/mark/",
        {"asset": radio.pk, "result": "found", "condition": "light_damage", "note": "Konektor <b>longgar</b>"},
        follow=True,
    )
    assert "Konektor &lt;b&gt;longgar&lt;/b&gt;" in marked.content.decode()
    sent = browser.post(
        f"/stocktakes/{count.pk}/photo/",
        {"asset": radio.pk, "file": SimpleUploadedFile("IMG_0001.jpg", jpeg_bytes())},
        follow=True,
    )
    page = sent.content.decode()
    line = StocktakeLine.objects.get(stocktake=count, asset=radio)
    assert "Radio VHF base: foto disimpan." in page
    assert f'src="/stocktakes/{count.pk}/lines/{line.pk}/thumb/"' in page
    assert line.note == "Konektor <b>longgar</b>" and line.photo
    empty = browser.post(f"/stocktakes/{count.pk}/photo/", {"asset": radio.pk}, follow=True)
    assert "Pilih foto dulu." in empty.content.decode()
    broken = browser.post(
        f"/stocktakes/{count.pk}/photo/",
        {"asset": radio.pk, "file": SimpleUploadedFile("a.jpg", b"GIF89a nothing")},
        follow=True,
    )
    assert "Hanya foto JPEG, PNG atau WebP yang utuh." in broken.content.decode()


def test_a_scanned_label_opens_the_asset_ticked_in_the_open_count(paser, radio, count, counter):
    browser = _browser(counter)
    opened = browser.post(f"/assets/scan/?stocktake={count.pk}", {"asset": radio.pk})
    assert opened.status_code == 302 and opened["Location"] == f"/assets/{radio.pk}/"
    line = StocktakeLine.objects.get(stocktake=count, asset=radio)
    assert (line.result, line.marked_by) == (StocktakeResult.FOUND, counter)
    # Scanned again after the counter wrote the condition down: what they said stays.
    line.condition = "heavy_damage"
    line.save()
    browser.post("/assets/scan/", {"asset": radio.pk})
    assert StocktakeLine.objects.get(pk=line.pk).condition == "heavy_damage"


def test_without_a_count_named_the_scan_ticks_the_counts_waiting_for_the_asset(paser, radio, count, counter):
    page = _browser(counter).post("/assets/scan/", {"tag": " 6401-vhf-001 "}, follow=True)
    assert page.redirect_chain == [(f"/assets/{radio.pk}/", 302)]
    assert "Ditandai ditemukan di inventarisasi Pusdalops Paser." in page.content.decode()
    assert StocktakeLine.objects.get(stocktake=count, asset=radio).result == StocktakeResult.FOUND


def test_a_reader_scanning_opens_the_asset_and_ticks_nothing(paser, radio, count):
    manager = _browser(factories.user(paser, Role.MANAGER))
    assert manager.post("/assets/scan/", {"asset": radio.pk})["Location"] == f"/assets/{radio.pk}/"
    assert StocktakeLine.objects.get(stocktake=count, asset=radio).result == StocktakeResult.PENDING


def test_tags_that_are_unknown_or_shared_and_labels_of_others(tree, paser, radio, counter):
    browser = _browser(counter)
    unknown = browser.post("/assets/scan/", {"tag": "6401-VHF-999"})
    assert unknown.status_code == 400
    assert "Nomor inventaris “6401-VHF-999” tidak ditemukan." in unknown.content.decode()
    assert browser.post("/assets/scan/", {"tag": ""}).status_code == 400
    foreign = factories.radio(tree["64.72"], tag="6401-VHF-001")
    assert browser.post("/assets/scan/", {"asset": foreign.pk}).status_code == 404  # not theirs to see
    assert browser.post("/assets/scan/", {"tag": "6401-VHF-001"})["Location"] == f"/assets/{radio.pk}/"
    # The province sees both Paser's and Samarinda's radio under one tag: it chooses.
    province = _browser(factories.user(tree["64"], Role.MANAGER))
    choices = province.post("/assets/scan/", {"tag": "6401-VHF-001"}).content.decode()
    assert choices.count('name="asset"') == 3  # the two choices, and the camera's own field
    assert _browser(counter).get("/assets/scan/?stocktake=999999").status_code == 404


def test_catat_kondisi_writes_the_condition_with_its_history(tree, paser, radio, counter):
    browser = _browser(counter)
    page = browser.post(
        f"/assets/{radio.pk}/condition/", {"condition": "heavy_damage", "note": "Tersambar petir"}, follow=True
    )
    assert "Kondisi dicatat: Rusak Berat." in page.content.decode()
    change = Asset.objects.get(pk=radio.pk).history.first()
    assert (change.condition, change.history_change_reason, change.history_user) == (
        "heavy_damage",
        "Tersambar petir",
        counter,
    )
    assert change.prev_record.condition == ""
    wrong = browser.post(f"/assets/{radio.pk}/condition/", {"condition": "broken"}, follow=True)
    assert "Pilih Baik, Rusak Ringan atau Rusak Berat." in wrong.content.decode()
    assert Asset.objects.get(pk=radio.pk).condition == "heavy_damage"
    assert _browser(factories.user(paser, Role.MANAGER)).post(f"/assets/{radio.pk}/condition/").status_code == 403
    assert _browser(factories.user(tree["64.72"])).post(f"/assets/{radio.pk}/condition/").status_code == 404


def test_closing_the_count_writes_the_condition_seen_into_the_register(paser, radio, count, counter, client_for):
    tech = client_for(paser)
    tech.post(
        f"/api/stocktakes/{count.pk}/mark/",
        {"asset": radio.pk, "result": "found", "condition": "light_damage"},
        format="json",
    )
    tech.post(f"/api/stocktakes/{count.pk}/close/")
    assert Asset.objects.get(pk=radio.pk).condition == "light_damage"
    assert tech.get(f"/api/assets/{radio.pk}/").json()["condition"] == "light_damage"
