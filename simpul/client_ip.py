"""Who is asking: the one reading of a request's client address, for the token throttle, the login lock-out
and the log lines of both.

REMOTE_ADDR is the peer of the connection, which a client cannot choose. X-Forwarded-For is whatever the
client wrote followed by one address appended by each proxy on the way, so only the entries our own proxies
appended can be believed: with TRUSTED_PROXY_COUNT = n (default 0: no proxy) the client is the n-th address
from the right, the rule of DRF's NUM_PROXIES, which settings set from the same number.
"""

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str | None:
    remote = request.META.get("REMOTE_ADDR") or None
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies <= 0 or not forwarded:
        return remote
    hops = [hop.strip() for hop in forwarded.split(",")]
    try:
        return str(ipaddress.ip_address(hops[-min(proxies, len(hops))]))
    except ValueError:
        return remote  # a proxy that wrote no address: its own address, which at least nobody can vary
