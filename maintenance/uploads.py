"""What a work-order attachment may be: a photo (JPEG, PNG or WebP) of bounded size, judged by its bytes."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

SIGNATURES = {
    b"\xff\xd8\xff": "image/jpeg",
    b"\x89PNG\r\n\x1a\n": "image/png",
}


def check_image(upload) -> str:
    """The upload's real content type, or ValidationError on `file` for a non-image or oversized file."""
    if upload.size > settings.MAX_UPLOAD_BYTES:
        raise ValidationError(
            {
                "file": _("Berkas %(size)d bita; maksimal %(max)d.")
                % {"size": upload.size, "max": settings.MAX_UPLOAD_BYTES}
            }
        )
    head = upload.read(16)
    upload.seek(0)
    for signature, content_type in SIGNATURES.items():
        if head.startswith(signature):
            return content_type
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    raise ValidationError({"file": _("Hanya foto JPEG, PNG atau WebP.")})
