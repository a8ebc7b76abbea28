"""Acknowledgement tokens: a signed link per message (no login on a phone), single use, and a short signed
callback for Telegram's button (callback_data is limited to 64 bytes).

A link names the message it came in, hence the person it was sent to: whoever holds it acknowledges as
that person. It is refused when forged (bad signature), reused (the message's token already spent), or
expired (ACK_MAX_AGE).
"""

from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.urls import reverse

LINK_SALT = "simpul.alerts.ack-link"
CALLBACK_SALT = "simpul.alerts.ack-callback"
ACK_MAX_AGE = timedelta(days=7)


class BadToken(Exception):
    pass


def link_token(message) -> str:
    return signing.dumps(str(message.delivery_id), salt=LINK_SALT, compress=False)


def ack_url(message) -> str:
    base = settings.ALERTS_BASE_URL.rstrip("/")
    return base + reverse("alerts-ack", args=[link_token(message)])


def delivery_id_from_link(token: str) -> str:
    try:
        return signing.loads(token, salt=LINK_SALT, max_age=ACK_MAX_AGE)
    except signing.BadSignature:  # also SignatureExpired
        raise BadToken from None


def callback_data(message) -> str:
    """ack:<message id>:<signature>, well under Telegram's 64 bytes."""
    return "ack:" + signing.Signer(salt=CALLBACK_SALT).sign(str(message.pk))


def message_id_from_callback(data: str) -> int:
    if not data.startswith("ack:"):
        raise BadToken
    try:
        return int(signing.Signer(salt=CALLBACK_SALT).unsign(data.removeprefix("ack:")))
    except (signing.BadSignature, ValueError):
        raise BadToken from None
