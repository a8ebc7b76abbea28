"""Where a channel's request goes: the deployment-wide egress rule of simpul.egress, at send time.

Registration is checked by the model field's validator (simpul.egress.validate_target_url, no DNS lookup
inside a request). At each send the name is resolved, every address checked, and the request goes to an
address just checked, with the name kept for the Host header and TLS (SNI), so a second DNS answer cannot
slip in between. WEBHOOK_ALLOWED_NETWORKS admits a gateway that lives on the agency's own network.
"""

import ipaddress

from alerts.channels import DeliveryError
from simpul import egress


def pinned(url: str) -> tuple[str, str, dict]:
    """(the URL with its host replaced by a checked address, the Host header, httpx extensions)."""
    try:
        target = egress.parse(url)
        addresses = egress.resolve_checked(target)
    except egress.EgressRefused as refused:
        raise DeliveryError(str(refused), permanent=True) from None
    except OSError:
        raise DeliveryError("nama tujuan tidak dapat diresolusi") from None  # DNS may answer later: retried
    address = addresses[0]
    literal = f"[{address}]" if isinstance(address, ipaddress.IPv6Address) else str(address)
    port = "" if target.port == egress.SCHEMES[target.scheme] else f":{target.port}"
    name = f"[{target.host}]" if ":" in target.host else target.host
    extensions = {"sni_hostname": target.host} if target.scheme == "https" else {}
    return f"{target.scheme}://{literal}{port}{target.path}", f"{name}{port}", extensions
