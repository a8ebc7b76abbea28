"""HTTP requests of the channels: one client per sender pass, bounded timeouts, no redirects, no proxies
from the environment, and the outcome turned into a DeliveryError the sender understands."""

import logging

import httpx

from alerts.channels import DeliveryError
from alerts.channels.egress import pinned

log = logging.getLogger("simpul.alerts")
TIMEOUT = httpx.Timeout(5.0, connect=3.0)
RETRYABLE_STATUS = frozenset({408, 425, 429})


def client() -> httpx.Client:
    return httpx.Client(timeout=TIMEOUT, follow_redirects=False, trust_env=False)


def request(http: httpx.Client, method: str, url: str, **kwargs) -> httpx.Response:
    address_url, host, extensions = pinned(url)
    kwargs["headers"] = {**kwargs.get("headers", {}), "Host": host}
    try:
        response = http.request(method, address_url, extensions=extensions, **kwargs)
    except httpx.HTTPError as error:
        # One word for every failure to get an answer, so a stored error cannot map open and closed ports.
        log.info("channel request to %s failed: %s", host, type(error).__name__)  # never the URL: it may hold a token
        raise DeliveryError("tidak ada jawaban dari tujuan") from None
    if response.is_success:
        return response
    permanent = 400 <= response.status_code < 500 and response.status_code not in RETRYABLE_STATUS
    raise DeliveryError(f"HTTP {response.status_code}: {response.text[:200]}", permanent=permanent)
