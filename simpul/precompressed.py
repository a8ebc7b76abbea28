"""A JSON body built and gzipped once per cache key, then sent to every reader as it is, with a live tail spliced on.

The dashboard's bodies change once per poll cycle but are asked for by every open page every 30 seconds: joining
and gzipping 420 KB on each request cost most of its CPU. Here the body is built and compressed once; a request
reads it from the cache, compresses only its own small live tail (the alerts panel) and joins the two deflate
streams: the head ends on a full flush (byte-aligned, no back-references across it), so a fresh compressor can
continue it, and the gzip trailer's CRC-32 continues from the head's. The bodies reflect nothing from the
request, so the fixed compression gives BREACH nothing to read (TextGZipMiddleware adds random bytes for that).

The ETag names the key and the tail: a page whose figures and alerts have not changed gets a 304 and no body.
"""

import hashlib
import re
import struct
import zlib
from collections.abc import Callable

from django.core.cache import cache
from django.http import HttpResponse, HttpResponseNotModified
from django.utils.cache import patch_vary_headers

GZIP_HEADER = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"  # deflate, no name, no mtime, unknown OS
ACCEPTS_GZIP = re.compile(r"\bgzip\b")
JSON = "application/json"


def send(request, key: str, build: Callable[[], bytes], *, tail: bytes = b"", timeout: int) -> HttpResponse:
    """`build()`'s body (kept under `key` for `timeout` seconds) followed by `tail`, gzipped for who accepts it."""
    digest = hashlib.blake2b(key.encode() + b"\0" + tail, digest_size=12).hexdigest()
    etag = f'W/"{digest}"'
    if etag in request.headers.get("If-None-Match", ""):
        response = HttpResponseNotModified()
    else:
        packed = bool(ACCEPTS_GZIP.search(request.headers.get("Accept-Encoding", "")))
        part = cache.get(f"{key}:{'gz' if packed else 'raw'}")
        if part is None:
            raw = build()
            head = zlib.compressobj(6, zlib.DEFLATED, -15)
            gz = (GZIP_HEADER + head.compress(raw) + head.flush(zlib.Z_FULL_FLUSH), zlib.crc32(raw), len(raw))
            cache.set_many({f"{key}:raw": raw, f"{key}:gz": gz}, timeout)
            part = gz if packed else raw
        if packed:
            response = HttpResponse(_gzipped(*part, tail), content_type=JSON)
            response["Content-Encoding"] = "gzip"
        else:
            response = HttpResponse(part + tail, content_type=JSON)
    response["ETag"] = etag
    response["Cache-Control"] = "private, no-cache"  # kept by the browser, asked again each time (a 304 if same)
    patch_vary_headers(response, ("Accept-Encoding",))
    return response


def _gzipped(head: bytes, crc: int, size: int, tail: bytes) -> bytes:
    rest = zlib.compressobj(6, zlib.DEFLATED, -15)
    trailer = struct.pack("<II", zlib.crc32(tail, crc), (size + len(tail)) & 0xFFFFFFFF)
    return head + rest.compress(tail) + rest.flush() + trailer
