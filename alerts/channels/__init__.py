"""The ways a message leaves Simpul. Each channel module has `send(message, text, ack_url, client)` that
returns the provider's reference (Telegram message_id, email Message-ID) or raises DeliveryError."""

from dataclasses import dataclass


@dataclass
class DeliveryError(Exception):
    reason: str
    permanent: bool = False  # retrying cannot help (bad token, refused address): give up at once

    def __str__(self) -> str:
        return self.reason
