"""The Content-Security-Policy of every page: script only from Simpul's own files, never inline, never eval.

Pages put data into the DOM as text (escaped templates, json_script, textContent); this policy is the second
line, so that a slip which lets markup into a page gives an inert element instead of a script in a province
administrator's session. Django 5.2 has no CSP support of its own (it arrives in 6.0), hence this middleware.
"""

import base64
import hashlib
from functools import lru_cache
from urllib.parse import urlsplit

from django.conf import settings

POLICY = {
    "default-src": ("'self'",),
    "script-src": ("'self'",),
    "style-src": ("'self'",),
    "img-src": ("'self'", "data:"),
    "object-src": ("'none'",),
    "base-uri": ("'self'",),
    "frame-ancestors": ("'none'",),
    "form-action": ("'self'",),
}


def _sha256(source: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(source.encode()).digest()).decode() + "'"


# Pages that other projects render (simpul/urls.py mounts them): Django's admin with django-simple-history's
# history page, DRF's browsable API, and Swagger UI and ReDoc from drf-spectacular-sidecar (served from our own
# static files). They write style attributes and ReDoc injects <style> elements at run time, so styles may be
# inline there. Script stays our own files plus exactly one inline handler, DRF's "Log out" link, allowed by its
# hash, and ReDoc's search worker, which ReDoc's own script starts from a blob: still no inline script, no eval.
THIRD_PARTY_PREFIXES = ("/admin/", "/api/")
DRF_LOGOUT = 'document.getElementById("logoutForm").submit()'
THIRD_PARTY = {
    "script-src": ("'self'", "'unsafe-hashes'", _sha256(DRF_LOGOUT)),
    "style-src": ("'self'", "'unsafe-inline'"),
    "worker-src": ("'self'", "blob:"),
}


def tile_origin(tile_url: str) -> str | None:
    """The origin map tiles come from ("https://*.tile.example" for a {s} subdomain template), or None."""
    parts = urlsplit(tile_url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    return f"{parts.scheme}://{parts.netloc.replace('{s}', '*')}"


@lru_cache(maxsize=8)
def header_value(tile_url: str, *, third_party: bool = False) -> str:
    """The header of one of our pages, or of a page another project renders."""
    policy = POLICY | THIRD_PARTY if third_party else dict(POLICY)
    origin = tile_origin(tile_url)
    if origin:
        policy["img-src"] = (*policy["img-src"], origin)
    return "; ".join(" ".join((directive, *sources)) for directive, sources in policy.items())


def content_security_policy_middleware(get_response):
    """Sets the policy on every HTML response that has none yet."""

    def middleware(request):
        response = get_response(request)
        if "Content-Security-Policy" not in response and response.get("Content-Type", "").startswith("text/html"):
            response["Content-Security-Policy"] = header_value(
                settings.MAP_TILE_URL, third_party=request.path_info.startswith(THIRD_PARTY_PREFIXES)
            )
        return response

    return middleware
