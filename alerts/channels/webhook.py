"""A signed webhook: a JSON POST signed like maintenance's (simpul.webhook_signature), to the agency's own
receiver (often the same endpoint that takes its work-order webhooks), which forwards it to a phone."""

import json

from alerts.channels.http import request
from simpul import webhook_signature


def send(*, message, text, ack_url: str, http) -> str:
    alert = message.alert
    payload = {
        "event": f"alert.{message.kind}",
        "delivery_id": str(message.delivery_id),
        "to": message.address,
        "subject": text.subject,
        "text": text.body,
        "ack_url": ack_url,
        "alert": {
            "id": alert.pk,
            "kind": alert.kind,
            "severity": alert.severity,
            "state": alert.state,
            "summary": alert.summary,
            "agency": alert.agency.code,
            "asset_id": alert.asset_id,
            "started_at": alert.started_at.isoformat(),
            "affected_count": alert.affected_count,
        },
    }
    body = json.dumps(payload, sort_keys=True, separators=(",", ":")).encode()
    headers = {
        "Content-Type": "application/json",
        "X-Simpul-Event": payload["event"],
        "X-Simpul-Delivery": str(message.delivery_id),
        "Idempotency-Key": str(message.delivery_id),
        webhook_signature.HEADER: webhook_signature.sign(message.channel.secret, body),
    }
    response = request(http, "POST", message.channel.url, headers=headers, content=body)
    return response.headers.get("x-message-id", "")[:200]
