"""HTTP requests of the channels: one client per sender pass, bounded timeouts, no redirects, no proxies
from the environment, and the outcome turned into a DeliveryError the sender understands."""

import httpx

from alerts.channels import DeliveryError
from alerts.channels.egress import check_target

TIMEOUT = httpx.Timeout(5.0, connect=3.0)
RETRYABLE_STATUS = frozenset({408, 425, 429})


def client() -> httpx.Client:
    return httpx.Client(timeout=TIMEOUT, follow_redirects=False, trust_env=False)


def request(http: httpx.Client, method: str, url: str, **kwargs) -> httpx.Response:
    check_target(url)
    try:
        response = http.request(method, url, **kwargs)
    except httpx.HTTPError as error:
        raise DeliveryError(f"{type(error).__name__}: {error}"[:300]) from None
    if response.is_success:
        return response
    permanent = 400 <= response.status_code < 500 and response.status_code not in RETRYABLE_STATUS
    raise DeliveryError(f"HTTP {response.status_code}: {response.text[:200]}", permanent=permanent)
