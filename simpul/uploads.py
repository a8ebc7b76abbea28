"""What an uploaded photo may be (a work order's attachment, a stocktake line's photo): JPEG, PNG or WebP of
bounded size and pixel count.

The type is what Pillow decodes, never the client's file name or the first bytes alone ("JPEG magic,
then HTML" is refused). The photo is stored under a name of our own with the extension of the decoded
type, and served with that type by a scoped view (simpul.private_media), never from a public media folder.
"""

import io
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils.translation import gettext as _
from PIL import Image, ImageOps

# Pillow format -> (content type, extension of the stored file)
FORMATS = {"JPEG": ("image/jpeg", "jpg"), "PNG": ("image/png", "png"), "WEBP": ("image/webp", "webp")}
EXTENSIONS = dict(FORMATS.values())
THUMBNAIL_PX = 320


@dataclass(frozen=True)
class Photo:
    content_type: str
    extension: str


def _refused(message: str) -> ValidationError:
    return ValidationError({"file": message})


def _open_bounded(fp, formats) -> Image.Image:
    """Open (header only) and refuse an image whose pixel count would blow up memory once decoded."""
    try:
        image = Image.open(fp, formats=formats)
    except Image.DecompressionBombError:  # Pillow's own ceiling, far above ours
        raise _refused(_too_many_pixels()) from None
    if image.width * image.height > settings.MAX_IMAGE_PIXELS:
        raise _refused(_too_many_pixels())  # (not image.close(): that would close the caller's file)
    return image


def _too_many_pixels() -> str:
    return _("Foto terlalu besar: maksimal %(mp)s megapiksel.") % {"mp": f"{settings.MAX_IMAGE_PIXELS / 1e6:g}"}


def check_image(upload) -> Photo:
    """The photo's decoded type, or ValidationError on `file` for a non-image, a broken or an oversized one."""
    if upload.size > settings.MAX_UPLOAD_BYTES:
        raise _refused(
            _("Berkas %(size)d bita; maksimal %(max)d.") % {"size": upload.size, "max": settings.MAX_UPLOAD_BYTES}
        )
    try:
        with _open_bounded(upload, list(FORMATS)) as image:
            kind = image.format
            image.verify()  # structure and checksums (PNG chunks)
        upload.seek(0)
        with _open_bounded(upload, [kind]) as image:
            image.load()  # every pixel decodes: a truncated or doctored file fails here
    except ValidationError:
        raise
    except Exception:  # whatever a decoder raises on hostile bytes means "not a usable photo"
        raise _refused(_("Hanya foto JPEG, PNG atau WebP yang utuh.")) from None
    finally:
        upload.seek(0)
    return Photo(*FORMATS[kind])


def ensure_thumbnail(file_name: str) -> str | None:
    """The stored name of a small JPEG of the photo `file_name`, made once and kept beside it; None when the
    file is gone or does not decode (stored before uploads were decoded)."""
    name = f"{file_name}.thumb.jpg"
    if default_storage.exists(name):
        return name
    buffer = io.BytesIO()
    try:
        with default_storage.open(file_name, "rb") as source, _open_bounded(source, list(FORMATS)) as image:
            image.draft("RGB", (THUMBNAIL_PX, THUMBNAIL_PX))  # JPEG: decode at a fraction of the size
            small = ImageOps.exif_transpose(image).convert("RGB")
            small.thumbnail((THUMBNAIL_PX, THUMBNAIL_PX))
            small.save(buffer, "JPEG", quality=80)
    except Exception:  # a missing file, or whatever a decoder raises
        return None
    return default_storage.save(name, ContentFile(buffer.getvalue()))
