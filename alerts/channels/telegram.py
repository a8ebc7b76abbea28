"""Telegram through the Bot API (plain HTTPS, no framework): sendMessage with an inline "Terima" button
whose callback carries a signed acknowledgement, and recoveries sent as replies to the alert's message."""

import hashlib
import hmac

from django.conf import settings
from django.utils.translation import gettext as _

from alerts.channels import DeliveryError
from alerts.channels.http import request
from alerts.signing.ack import callback_data

API = "https://api.telegram.org"


def api_url(channel, method: str) -> str:
    return f"{(channel.url or API).rstrip('/')}/bot{channel.secret}/{method}"


def send(*, message, text, ack_url: str, http) -> str:
    payload = {"chat_id": int(message.address), "text": text.body, "disable_web_page_preview": True}
    if message.kind != "recovered":
        payload["reply_markup"] = {
            "inline_keyboard": [[{"text": _("Terima"), "callback_data": callback_data(message)}]]
        }
    if message.reply_to_id and message.reply_to.provider_ref:
        payload["reply_parameters"] = {
            "message_id": int(message.reply_to.provider_ref),
            "allow_sending_without_reply": True,
        }
        payload["reply_to_message_id"] = int(message.reply_to.provider_ref)
    try:
        answer = request(http, "POST", api_url(message.channel, "sendMessage"), json=payload).json()
    except ValueError:
        raise DeliveryError("Telegram answered something that is not JSON") from None
    except DeliveryError as error:
        # The token would leak into logs and the timeline through the URL: never repeat it.
        raise DeliveryError(error.reason.replace(message.channel.secret, "***"), error.permanent) from None
    if not answer.get("ok"):
        raise DeliveryError(f"Telegram: {answer.get('description', 'not ok')}"[:300])
    return str(answer["result"]["message_id"])


def webhook_secret(channel) -> str:
    """The secret_token given to setWebhook; Telegram sends it back in X-Telegram-Bot-Api-Secret-Token."""
    key = f"{settings.SECRET_KEY}:telegram-webhook".encode()
    return hmac.new(key, str(channel.pk).encode(), hashlib.sha256).hexdigest()


def is_genuine(channel, header: str) -> bool:
    return hmac.compare_digest(webhook_secret(channel), header or "")
