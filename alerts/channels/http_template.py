"""A generic HTTP gateway (WhatsApp, SMS): the channel's URL, headers and body are templates.

Placeholders {to}, {text}, {subject}, {delivery_id}, {alert_id}, {ack_url} and {secret} are replaced in the
URL, every header value and every string inside the JSON body, by plain substitution (never str.format,
so a template's own braces are safe). The body is then sent as JSON or as a form. The delivery id also
goes out as Idempotency-Key and X-Simpul-Delivery, for gateways that de-duplicate.
"""

from urllib.parse import quote

from alerts.channels import DeliveryError
from alerts.channels.http import request


def fill(template, values: dict[str, str]):
    if isinstance(template, str):
        for name, value in values.items():
            template = template.replace("{" + name + "}", value)
        return template
    if isinstance(template, dict):
        return {key: fill(value, values) for key, value in template.items()}
    if isinstance(template, list):
        return [fill(value, values) for value in template]
    return template


def send(*, message, text, ack_url: str, http) -> str:
    channel = message.channel
    values = {
        "to": message.address,
        "text": text.body,
        "subject": text.subject,
        "delivery_id": str(message.delivery_id),
        "alert_id": str(message.alert_id),
        "ack_url": ack_url,
        "secret": channel.secret,
    }
    url = fill(channel.url, {**values, **{k: quote(v, safe="") for k, v in values.items()}})
    headers = {
        "Idempotency-Key": str(message.delivery_id),
        "X-Simpul-Delivery": str(message.delivery_id),
        **fill(channel.headers, values),
    }
    body = fill(channel.body, values)
    kwargs = {}
    if channel.method == "GET":
        kwargs["params"] = body
    elif channel.body_encoding == "form":
        kwargs["data"] = body
    else:
        kwargs["json"] = body
    response = request(http, channel.method, url, headers=headers, **kwargs)
    if channel.success_contains and channel.success_contains not in response.text:
        raise DeliveryError(f"answer lacks {channel.success_contains!r}: {response.text[:150]}")
    return response.headers.get("x-message-id", "")[:200]
