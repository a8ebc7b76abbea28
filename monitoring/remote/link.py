"""A remote poller's connection to the centre: httpx with timeouts, TLS required, and backoff for retries."""

import ipaddress
import socket
from urllib.parse import urlsplit

import httpx
from django.conf import settings

from monitoring.remote.api import plain_http_allowed

VERSION = "simpul-poller/1"  # the protocol's version (PROTOCOL.md), sent with every batch
TIMEOUT = httpx.Timeout(20.0, connect=5.0)
BACKOFF_FIRST_S, BACKOFF_MAX_S = 1.0, 60.0


class InsecureCentre(ValueError):
    """An http:// centre outside POLLER_PLAIN_HTTP_NETWORKS: the assignment would carry secrets in clear."""


def check_transport(url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme == "https":
        return
    if parts.scheme != "http" or not parts.hostname:
        raise InsecureCentre(f"{url}: the centre's address must be https://host/")
    try:
        addresses = [str(ipaddress.ip_address(parts.hostname))]
    except ValueError:
        addresses = [info[4][0] for info in socket.getaddrinfo(parts.hostname, parts.port or 80)]
    if not all(plain_http_allowed(address) for address in addresses):
        allowed = ", ".join(map(str, settings.POLLER_PLAIN_HTTP_NETWORKS)) or "none"
        raise InsecureCentre(f"{url}: plain HTTP only within POLLER_PLAIN_HTTP_NETWORKS ({allowed}); use https://")


def centre_client(url: str, token: str) -> httpx.AsyncClient:
    check_transport(url)
    return httpx.AsyncClient(
        base_url=url.rstrip("/") + "/api/pollers/",
        headers={"Authorization": f"Bearer {token}", "User-Agent": VERSION},
        timeout=TIMEOUT,
        transport=httpx.AsyncHTTPTransport(retries=2),  # a refused or reset connection, at once
        follow_redirects=False,  # never hand the token to another address
    )


class Backoff:
    """Seconds to wait before the next try: 1 s doubling to 60 s after each failure, back to 1 s on success."""

    def __init__(self) -> None:
        self.delay = 0.0

    def failed(self) -> float:
        self.delay = min(max(self.delay * 2, BACKOFF_FIRST_S), BACKOFF_MAX_S)
        return self.delay

    def succeeded(self) -> None:
        self.delay = 0.0
