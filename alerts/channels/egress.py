"""Which URLs a channel may call. One function, so the deployment-wide egress rule plugs in here.

TODO(lead): the lead merges this with the egress rule from fix/uploads (refusing loopback, private and
link-local targets unless allow-listed); until then only the scheme and host are checked. Tests reach
their fake gateways on 127.0.0.0/8, so they will need that rule's allow-list setting.
"""

from urllib.parse import urlsplit

from alerts.channels import DeliveryError


def is_allowed_target(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.hostname)


def check_target(url: str) -> None:
    if not is_allowed_target(url):
        raise DeliveryError(f"target not allowed: {urlsplit(url).hostname or url[:60]}", permanent=True)
