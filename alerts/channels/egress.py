"""Which URLs a channel may call. One function, so the deployment-wide egress rule plugs in here.

TODO(lead): merge with the egress rule from fix/uploads (simpul.egress): at registration the channel's
`url` gets `validate_target_url` (no DNS lookup), and `check_target` becomes `resolve_checked(parse(url))`
at each send, with WEBHOOK_ALLOWED_NETWORKS (or its successor) listing 127.0.0.0/8 in the tests that
reach the loopback fake gateways. Until then only the scheme and the host are checked here; redirects are
never followed (alerts.channels.http), so a 3xx is a failed delivery either way.
"""

from urllib.parse import urlsplit

from alerts.channels import DeliveryError


def is_allowed_target(url: str) -> bool:
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname)


def check_target(url: str) -> None:
    if not is_allowed_target(url):
        raise DeliveryError("target not allowed (http(s) URL with a host required)", permanent=True)
