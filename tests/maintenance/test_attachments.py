"""Work-order photos: decoded before they are kept, stored under our own name, served only to who sees the order."""

import io
import re
import struct
import time
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from maintenance.models import Attachment, WorkOrder
from tests import factories

STORED = re.compile(r"^work_orders/\d+/[0-9a-f]{32}\.(jpg|png|webp)$")


def jpeg_bytes(size=(64, 48)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 40, 40)).save(buffer, "JPEG")
    return buffer.getvalue()


def png_pixel_bomb(side: int = 8000) -> bytes:
    """A valid grey PNG of side x side pixels (64 MP by default) in ~70 KB: all zeros, deflated row by row."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    packer = zlib.compressobj(9)
    row = b"\x00" * (side + 1)  # filter byte + one byte per pixel
    idat = b"".join(packer.compress(row) for _ in range(side)) + packer.flush()
    header = struct.pack(">IIBBBBB", side, side, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def order(tree):
    return WorkOrder.objects.create(agency=tree["64.01"], asset=factories.asset(tree["64.01"]), kind="corrective")


@pytest.fixture
def tech(tree, client_for):
    return client_for(tree["64.01"], "technician")


def attach(client, order, name: str, content: bytes):
    url = f"/api/maintenance/work-orders/{order.pk}/attachments/"
    return client.post(url, {"file": SimpleUploadedFile(name, content), "caption": "Antena"})


@pytest.mark.parametrize("name", ["evil.html", "evil.svg", "foto.jpg"])
def test_jpeg_magic_followed_by_anything_else_is_refused(media, order, tech, name):
    disguised = b"\xff\xd8\xff\xe0" + b"<html><script>alert(document.cookie)</script></html>" * 20
    response = attach(tech, order, name, disguised)
    assert response.status_code == 400 and "file" in response.json()
    truncated = jpeg_bytes((400, 300))[:300]
    assert attach(tech, order, name, truncated).status_code == 400
    assert not Attachment.objects.exists() and not list(media.rglob("*.*"))


def test_a_real_jpeg_named_html_is_stored_under_our_name_and_served_as_jpeg(media, order, tech):
    photo = jpeg_bytes()
    response = attach(tech, order, "evil.html", photo)
    assert response.status_code == 201, response.content
    attachment = Attachment.objects.get()
    assert STORED.match(attachment.file.name) and attachment.file.name.endswith(".jpg")
    assert attachment.original_name == "evil.html" and not list(media.rglob("evil*"))
    data = response.json()
    assert data["url"] == f"http://testserver/maintenance/attachments/{attachment.pk}/"
    assert "/media/" not in response.content.decode() and "file" not in data
    served = tech.get(data["url"])  # the API's token works on the download route
    assert served.status_code == 200
    assert b"".join(served.streaming_content) == photo
    assert served["Content-Type"] == "image/jpeg"
    assert served["X-Content-Type-Options"] == "nosniff"
    assert served["Content-Disposition"] == f'inline; filename="foto-{attachment.pk}.jpg"'
    assert "sandbox" in served["Content-Security-Policy"]


def test_a_pixel_bomb_is_refused_before_it_is_decoded(media, order, tech):
    bomb = png_pixel_bomb()
    assert len(bomb) < 200_000
    started = time.monotonic()
    response = attach(tech, order, "bom.png", bomb)
    assert response.status_code == 400 and "megapiksel" in response.json()["file"][0]
    assert time.monotonic() - started < 1.0
    assert not Attachment.objects.exists()


def test_download_is_scoped_like_the_work_order(media, order, tech, tree, client, client_for):
    attach(tech, order, "menara.jpg", jpeg_bytes())
    attachment = Attachment.objects.get()
    for route in (f"/maintenance/attachments/{attachment.pk}/", f"/maintenance/attachments/{attachment.pk}/thumb/"):
        assert client_for(tree["64"], "manager").get(route).status_code == 200  # the province sees its regencies
        assert client_for(tree["64.72"], "technician").get(route).status_code == 404
        assert client_for(tree["63"], "administrator").get(route).status_code == 404
        anonymous = client.get(route)
        assert anonymous.status_code == 302 and anonymous["Location"].startswith("/accounts/login/")
        assert client.get(route, HTTP_AUTHORIZATION="Token not-a-token").status_code == 302
    # Nothing serves MEDIA_ROOT as a folder.
    assert client_for(tree["64.01"], "technician").get(f"/media/{attachment.file.name}").status_code == 404


def test_the_page_shows_a_thumbnail_linking_to_the_photo(media, order, tech, client):
    attach(tech, order, "menara.jpg", jpeg_bytes((1600, 1200)))
    attachment = Attachment.objects.get()
    client.force_login(tech.user)
    page = client.get(f"/maintenance/orders/{order.pk}/").content.decode()
    route = f"/maintenance/attachments/{attachment.pk}/"
    assert f'<a href="{route}"><img src="{route}thumb/"' in page
    thumb = client.get(f"/maintenance/attachments/{attachment.pk}/thumb/")
    assert thumb["Content-Type"] == "image/jpeg" and thumb["X-Content-Type-Options"] == "nosniff"
    with Image.open(io.BytesIO(b"".join(thumb.streaming_content))) as small:
        assert small.format == "JPEG" and max(small.size) == 320


def test_behind_nginx_the_bytes_go_by_x_accel_redirect(media, order, tech, settings):
    settings.MEDIA_ACCEL_REDIRECT_PREFIX = "/_media_internal/"
    attach(tech, order, "menara.png", png_bytes_1x1())
    attachment = Attachment.objects.get()
    response = tech.get(f"/maintenance/attachments/{attachment.pk}/")
    assert response.status_code == 200 and response.content == b""
    assert response["X-Accel-Redirect"] == f"/_media_internal/{attachment.file.name}"
    assert response["Content-Type"] == "image/png" and response["X-Content-Type-Options"] == "nosniff"


def png_bytes_1x1() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGBA", (1, 1)).save(buffer, "PNG")
    return buffer.getvalue()
