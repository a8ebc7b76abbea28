"""Uploaded files leave only through views that checked who asks: MEDIA_ROOT is never served as a folder.

Django streams the file itself, or, with MEDIA_ACCEL_REDIRECT_PREFIX set, answers with an
X-Accel-Redirect header and lets nginx send the bytes from an `internal` location (README, "Photos").
Either way the response says exactly what it is and may never run as a page: nosniff, a fixed type,
a sandboxing Content-Security-Policy and a file name of our own.
"""

from functools import wraps
from urllib.parse import quote

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET
from rest_framework.authentication import TokenAuthentication
from rest_framework.exceptions import AuthenticationFailed

from simpul.uploads import EXTENSIONS, ensure_thumbnail

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


def session_or_token(view):
    """A logged-in session (the pages), or an API token (integrators follow the API's photo URLs)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            try:
                found = TokenAuthentication().authenticate(request)
            except AuthenticationFailed:
                found = None
            if found is None:
                return redirect_to_login(request.get_full_path())
            request.user = found[0]
        return view(request, *args, **kwargs)

    return require_GET(wrapped)


def photo_response(name: str, *, content_type: str, stem: str) -> HttpResponse:
    """A stored photo (checked by simpul.uploads) as `<stem>.<extension of its type>`."""
    return private_file_response(name, content_type=content_type, download_name=f"{stem}.{EXTENSIONS[content_type]}")


def thumbnail_response(name: str, *, stem: str) -> HttpResponse:
    """The photo's small JPEG, made on first request; 404 when the photo is gone or does not decode."""
    thumbnail = ensure_thumbnail(name)
    if thumbnail is None:
        raise Http404
    return private_file_response(thumbnail, content_type="image/jpeg", download_name=f"{stem}-kecil.jpg")
