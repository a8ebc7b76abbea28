"""Responses gzipped for the clients that ask, when compressing them pays: pages, JSON, CSV.

The dashboard's figures for 600 agencies are 426 KB of JSON and 40 KB gzipped. Photos, PDFs and XLSX are
compressed already: they pass as they are, and so keep their length. Django's middleware adds random bytes
against BREACH, and CSRF tokens are masked per response.
"""

from django.middleware.gzip import GZipMiddleware

COMPRESSIBLE = ("text/", "application/json", "application/javascript", "application/xml")


class TextGZipMiddleware(GZipMiddleware):
    def process_response(self, request, response):
        if not response.get("Content-Type", "").startswith(COMPRESSIBLE):
            return response
        return super().process_response(request, response)
