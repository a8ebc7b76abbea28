"""Email through Django's email framework. The Message-ID carries the delivery id, and a recovery
answers the alert's email (In-Reply-To), so mail clients thread them."""

from django.conf import settings
from django.core.mail import EmailMessage, get_connection

from alerts.channels import DeliveryError

TIMEOUT_S = 10


def message_id(delivery_id) -> str:
    return f"<{delivery_id}@simpul>"


def send(*, message, text, ack_url: str, http) -> str:
    headers = {"Message-ID": message_id(message.delivery_id), "X-Simpul-Delivery": str(message.delivery_id)}
    if message.reply_to_id and message.reply_to.provider_ref:
        headers["In-Reply-To"] = headers["References"] = message.reply_to.provider_ref
    email = EmailMessage(
        subject=text.subject,
        body=text.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[message.address],
        headers=headers,
        connection=get_connection(timeout=TIMEOUT_S),
    )
    try:
        email.send()
    except OSError as error:  # smtplib's errors are OSErrors: refused, timed out, rejected recipient
        raise DeliveryError(f"{type(error).__name__}: {error}"[:300]) from None
    except ValueError as error:  # a malformed address or header: no retry will mend it
        raise DeliveryError(f"{type(error).__name__}: {error}"[:300], permanent=True) from None
    return headers["Message-ID"]
