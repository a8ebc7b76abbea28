"""The signature of Simpul's outgoing webhooks, shared by maintenance's notifications and alerts' channels.

HMAC-SHA256 over the exact body, hex, in the X-Simpul-Signature header as "sha256=<hex>": one format,
so a receiver that checks maintenance's webhooks checks alerts' the same way.
"""

import hashlib
import hmac

HEADER = "X-Simpul-Signature"


def sign(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
