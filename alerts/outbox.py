"""Writing the outbox: one Message row per person per channel, in the caller's transaction.

A person is reached on every active channel of their own agency where they have an address: email on
an email channel, their Telegram chat on a Telegram channel, their phone on an HTTP gateway. A recovery
goes to whoever was told of the alert, on the same channel, as a reply to the message it follows.
"""

from datetime import datetime

from alerts.choices import ChannelKind, MessageKind, MessageStatus, TimelineKind
from alerts.models import Alert, AlertContact, Channel, Message


def address_for(channel: Channel, user, contact: AlertContact | None) -> str:
    if channel.kind == ChannelKind.EMAIL:
        return user.email
    if contact is None:
        return ""
    if channel.kind == ChannelKind.TELEGRAM:
        return str(contact.telegram_chat_id) if contact.telegram_chat_id else ""
    return contact.phone  # an HTTP gateway or a webhook: the receiver forwards to the phone


def queue_messages(
    *, alert: Alert, kind: str, people, tier: int, now: datetime, exclude_channel_id: int | None = None
) -> list[Message]:
    from alerts.services import timeline

    contacts = {c.user_id: c for c in AlertContact.objects.filter(user__in=people)}
    channels: dict[int, list[Channel]] = {}
    messages = []
    for person in people:
        if person.agency_id not in channels:
            channels[person.agency_id] = list(
                Channel.objects.filter(agency_id=person.agency_id, active=True).exclude(pk=exclude_channel_id)
            )
        reached = False
        for channel in channels[person.agency_id]:
            address = address_for(channel, person, contacts.get(person.pk))
            if address:
                reached = True
                messages.append(
                    Message(
                        alert=alert,
                        kind=kind,
                        channel=channel,
                        recipient=person,
                        address=address,
                        tier=tier,
                        next_attempt_at=now,
                    )
                )
        detail = person.username if reached else f"{person.username}: tanpa kanal/kontak"
        timeline(alert, TimelineKind.QUEUED, at=now, user=person, detail=detail)
    return Message.objects.bulk_create(messages)


def queue_recovery(*, alert: Alert, now: datetime) -> list[Message]:
    """A reply to every message that told someone of the alert, in its thread."""
    told = alert.messages.filter(kind__in=[MessageKind.RAISED, MessageKind.ESCALATED]).exclude(
        status=MessageStatus.FAILED
    )
    firsts: dict[tuple[int, str], Message] = {}
    for message in told.order_by("id"):
        firsts.setdefault((message.channel_id, message.address), message)
    return Message.objects.bulk_create(
        [
            Message(
                alert=alert,
                kind=MessageKind.RECOVERED,
                channel_id=first.channel_id,
                recipient_id=first.recipient_id,
                address=first.address,
                tier=first.tier,
                reply_to=first,
                next_attempt_at=now,
            )
            for first in firsts.values()
        ]
    )
