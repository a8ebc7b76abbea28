"""The sender: takes due messages from the outbox, delivers them, records the outcome.

At least once, in order: a message is leased while it is sent (a sender killed mid-delivery leaves it
pending, and it is sent again once the lease runs out, with the same delivery id), and a message waits
while an earlier one of the same alert to the same address over the same channel is still pending, so a
recovery never overtakes its alert (other alerts to that person do not wait behind it). Failures are
retried with exponential backoff; a channel failing CHANNEL_FAILURES_TO_ALERT times in a row raises an
alert on the agency's other channels.

Embedded default: `kick()` (called after each poll cycle) wakes one sender thread of the process, so
polling never waits for a gateway. Scale-out: the Celery task calls `send_due()` directly, same path.
"""

import logging
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import close_old_connections, connection, transaction
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone

from accounts.models import User
from alerts import texts
from alerts.channels import DeliveryError, email, http, http_template, telegram, webhook
from alerts.choices import ACTIVE_STATES, AlertKind, ChannelKind, MessageKind, MessageStatus, TimelineKind
from alerts.models import Alert, AlertEvent, Channel, Message
from alerts.signing.ack import ack_url

log = logging.getLogger("simpul.alerts")
LEASE = timedelta(seconds=60)  # far longer than one send's timeouts
MAX_ATTEMPTS = 10
CHANNEL_FAILURES_TO_ALERT = 2
CLAIM = 20
SENDERS = {
    ChannelKind.EMAIL: email.send,
    ChannelKind.TELEGRAM: telegram.send,
    ChannelKind.HTTP: http_template.send,
    ChannelKind.WEBHOOK: webhook.send,
}


def backoff(attempts: int) -> timedelta:
    """15 s, 30 s, 1 min ... capped at 30 min."""
    return timedelta(seconds=min(15 * 2 ** (attempts - 1), 1800))


@dataclass
class SendSummary:
    sent: int = 0
    retry: int = 0
    failed: int = 0


def _claim(now: datetime, limit: int) -> list[Message]:
    """Lease up to `limit` due messages and load them, with what rendering needs, in a few queries."""
    earlier = Message.objects.filter(
        alert=OuterRef("alert"),
        channel=OuterRef("channel"),
        address=OuterRef("address"),
        status=MessageStatus.PENDING,
        id__lt=OuterRef("id"),
    )
    due = (
        Message.objects.filter(status=MessageStatus.PENDING, next_attempt_at__lte=now)
        .filter(Q(lease_until__isnull=True) | Q(lease_until__lt=now))
        .exclude(Exists(earlier))
        .order_by("id")
    )
    with transaction.atomic():
        ids = list(due.select_for_update(skip_locked=True).values_list("id", flat=True)[:limit])
        if not ids:
            return []
        Message.objects.filter(pk__in=ids).update(lease_until=now + LEASE)
    messages = list(
        Message.objects.filter(pk__in=ids)
        .select_related(
            "alert__agency", "alert__asset__site", "alert__channel", "alert__poller", "channel", "reply_to", "recipient"
        )
        .order_by("id")
    )
    # One Channel object per channel, so a failure counted by one message is seen by the next.
    channels = {m.channel_id: m.channel for m in messages}
    for message in messages:
        message.channel = channels[message.channel_id]
    return messages


def send_due(
    *, now: datetime | None = None, budget_s: float = 10.0, stopping: threading.Event | None = None
) -> SendSummary:
    """Deliver due messages until none is left, `budget_s` has passed or `stopping` is set (checked between
    messages).

    Messages are leased and loaded a batch at a time (with their recipients' languages); each outcome is
    written as soon as it is known, in one statement pair, so a sender killed mid-batch resends only the
    message in flight (same delivery id) and the ones it had not started, once the lease runs out.
    """
    summary = SendSummary()
    deadline = time.monotonic() + budget_s

    def over() -> bool:
        return time.monotonic() >= deadline or (stopping is not None and stopping.is_set())

    def claim() -> list[Message]:
        return [] if over() else _claim(now or timezone.now(), CLAIM)

    messages = claim()
    if not messages:
        return summary  # an idle pass builds no HTTP client: its TLS context costs milliseconds, every pass
    with http.client() as client:
        while messages:
            recipients = User.objects.filter(pk__in={m.recipient_id for m in messages}).only("language")
            languages = {user.pk: user.message_language for user in recipients}
            started = 0
            try:
                for message in messages:
                    if over():
                        break
                    started += 1
                    at = now or timezone.now()
                    language = languages.get(message.recipient_id, settings.LANGUAGE_CODE)
                    kind, detail = _deliver(message, language, client, at)
                    _record(message, kind, detail, at, summary)
            finally:
                untouched = [m.pk for m in messages[started:]]
                if untouched:  # hand back what we did not start
                    Message.objects.filter(pk__in=untouched).update(lease_until=None)
            messages = claim()
    return summary


def _deliver(message: Message, language: str, client, now: datetime) -> tuple[str, str]:
    """One attempt; updates `message` in memory and returns (timeline kind, detail)."""
    link = ack_url(message) if message.kind != MessageKind.RECOVERED else ""
    text = texts.render(alert=message.alert, kind=message.kind, ack_url=link, language=language, now=now)
    message.attempts += 1
    message.lease_until = None
    try:
        reference = _attempt(message, text, link, client)
    except DeliveryError as error:
        message.last_error = str(error)[:300]
        give_up = error.permanent or message.attempts >= MAX_ATTEMPTS
        message.status = MessageStatus.FAILED if give_up else MessageStatus.PENDING
        message.next_attempt_at = now + backoff(message.attempts)
        log.warning(
            "alert message %s via %s failed (attempt %d): %s", message.pk, message.channel, message.attempts, error
        )
        return TimelineKind.FAILED, f"{message.address}: {error}"
    message.status, message.sent_at, message.provider_ref = MessageStatus.SENT, now, reference
    return TimelineKind.SENT, message.address


def _record(message: Message, kind: str, detail: str, at: datetime, summary: SendSummary) -> None:
    """One outcome in one short transaction, before the next message goes: what went out is never resent."""
    ok = kind == TimelineKind.SENT
    with transaction.atomic():
        Message.objects.filter(pk=message.pk).update(
            attempts=message.attempts,
            status=message.status,
            next_attempt_at=message.next_attempt_at,
            last_error=message.last_error,
            sent_at=message.sent_at,
            provider_ref=message.provider_ref,
            lease_until=None,
        )
        AlertEvent.objects.create(
            alert_id=message.alert_id,
            kind=kind,
            at=at,
            user_id=message.recipient_id,
            channel=message.channel,
            detail=detail[:300],
        )
        _channel_health(message.channel, ok=ok, error=message.last_error, now=at)
    summary.sent += ok
    summary.failed += not ok and message.status == MessageStatus.FAILED
    summary.retry += not ok and message.status == MessageStatus.PENDING


def _attempt(message: Message, text: texts.Text, link: str, client) -> str:
    try:
        return SENDERS[message.channel.kind](message=message, text=text, ack_url=link, http=client)
    except DeliveryError:
        raise
    except Exception as bug:  # a defect must not leave the message leased, and retried unseen, forever
        log.exception("alert message %s: unexpected error", message.pk)
        raise DeliveryError(f"{type(bug).__name__}: {bug}"[:300]) from bug


def _channel_health(channel: Channel, *, ok: bool, error: str, now: datetime) -> None:
    """The alert path watches itself: a failing channel raises an alert on the other channels."""
    from alerts.services import alert_raise, alert_resolve

    if ok:
        if channel.failing_since is None:
            return
        Channel.objects.filter(pk=channel.pk).update(failing_since=None, consecutive_failures=0, last_error="")
        channel.failing_since, channel.consecutive_failures, channel.last_error = None, 0, ""
        for alert in Alert.objects.filter(channel=channel, state__in=ACTIVE_STATES):
            alert_resolve(alert=alert, at=now, now=now)
        return
    Channel.objects.filter(pk=channel.pk).update(
        consecutive_failures=F("consecutive_failures") + 1, last_error=error, failing_since=channel.failing_since or now
    )
    channel.refresh_from_db(fields=["consecutive_failures", "failing_since"])
    if (
        channel.consecutive_failures >= CHANNEL_FAILURES_TO_ALERT
        and not channel.failure_alerts.filter(state__in=ACTIVE_STATES).exists()
    ):
        alert_raise(
            agency_id=channel.agency_id,
            asset_id=None,
            channel_id=channel.pk,
            kind=AlertKind.CHANNEL_FAILURE,
            started_at=channel.failing_since,
            rule=None,
            reason=error,
            now=now,
        )


class _SenderThread:
    """One background sender per process, woken after each poll cycle (and every few seconds anyway)."""

    def __init__(self) -> None:
        self.wake = threading.Event()
        self.stopping = threading.Event()
        self.thread: threading.Thread | None = None
        self.lock = threading.Lock()
        self.closed = False  # set for good when the poller stops (settings.POLL_STOP_HOOKS)

    def kick(self) -> None:
        with self.lock:
            if self.closed:
                return  # the poller is stopping: what is due now waits for its next start
            if self.thread is None or not self.thread.is_alive():
                self.stopping.clear()
                self.thread = threading.Thread(target=self._run, name="simpul-alert-sender", daemon=True)
                self.thread.start()
        self.wake.set()

    def stop(self, timeout: float = 30.0) -> None:
        """Finish the message in flight, then end the thread (and its database connection)."""
        self.stopping.set()
        self.wake.set()
        if self.thread is not None:
            self.thread.join(timeout)

    def _run(self) -> None:
        try:
            while not self.stopping.is_set():
                self.wake.wait(timeout=5.0)
                self.wake.clear()
                if self.stopping.is_set():
                    break
                try:
                    close_old_connections()
                    send_due(budget_s=settings.ALERTS_SEND_BUDGET_S, stopping=self.stopping)
                except Exception:  # the sender must outlive a bad message or a database hiccup
                    log.exception("alert sender pass failed")
        finally:
            connection.close()


_thread = _SenderThread()


def kick(now: datetime) -> None:
    """After a poll cycle: wake the sender thread, or (ALERTS_SENDER_THREAD off) send inline, bounded."""
    if settings.ALERTS_SENDER_THREAD:
        _thread.kick()
    else:
        send_due(now=now, budget_s=settings.ALERTS_SEND_BUDGET_S)


def stop() -> None:
    """When the poller stops (settings.POLL_STOP_HOOKS): no new pass; the message in flight is finished."""
    with _thread.lock:
        _thread.closed = True
    _thread.stop()
