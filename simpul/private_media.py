"""Uploaded files leave only through views that checked who asks: MEDIA_ROOT is never served as a folder.

Django streams the file itself, or, with MEDIA_ACCEL_REDIRECT_PREFIX set, answers with an
X-Accel-Redirect header and lets nginx send the bytes from an `internal` location (README, "Photos").
Either way the response says exactly what it is and may never run as a page: nosniff, a fixed type,
a sandboxing Content-Security-Policy and a file name of our own.
"""

from urllib.parse import quote

from django.conf import settings
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse
from django.utils.http import content_disposition_header

SANDBOX = "default-src 'none'; sandbox"


def private_file_response(name: str, *, content_type: str, download_name: str) -> HttpResponse:
    """The stored file `name` (relative to MEDIA_ROOT) as an inline download; 404 if it is gone."""
    prefix = settings.MEDIA_ACCEL_REDIRECT_PREFIX
    if prefix:
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = prefix.rstrip("/") + "/" + quote(name)
    else:
        try:
            response = FileResponse(default_storage.open(name, "rb"), content_type=content_type)
        except FileNotFoundError:
            raise Http404 from None
    response["Content-Disposition"] = content_disposition_header(False, download_name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = SANDBOX
    response["Cache-Control"] = "private, max-age=3600"
    return response
