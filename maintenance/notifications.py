"""Notifications of work orders and of what is about to lapse: queued in the caller's transaction, delivered
later with retries.

`notify()` only writes Delivery rows, so a slow or dead gateway never slows or breaks the request
that caused it. `deliver_due()` (run by the poller process, Celery beat or `manage.py
send_notifications`) sends what is due: email through Django's email framework, webhooks as a JSON
POST signed with HMAC-SHA256 over the exact body (header X-Simpul-Signature: sha256=<hex>), only to
targets simpul.egress allows, checked again at each send, and never following a redirect.
"""

import json
import logging
from datetime import date, datetime, timedelta
from http.client import HTTPException

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts import language
from accounts.choices import Role
from assets.choices import LapseKind
from assets.expiries import Expiry, expiry_row
from assets.models import Agency
from maintenance.choices import DeliveryStatus, NotificationEvent
from maintenance.models import AgencyMaintenanceSettings, Delivery, WebhookEndpoint, WorkOrder
from simpul import egress, webhook_signature

log = logging.getLogger("simpul.notifications")
MAX_ATTEMPTS = 8
WEBHOOK_TIMEOUT_S = 5.0


def payload_for(event: str, order: WorkOrder) -> dict:
    return {
        "event": event,
        "work_order": {
            "id": order.pk,
            "title": order.title,
            "kind": order.kind,
            "priority": order.priority,
            "status": order.status,
            "agency": order.agency.code,
            "asset": order.asset_id,
            "site": order.site_id,
            "assignee": order.assignee.username if order.assignee else None,
            "due_date": order.due_date.isoformat() if order.due_date else None,
        },
    }


def notify(event: str, order: WorkOrder) -> int:
    """Queue `event` about `order` for every destination that wants it; returns how many were queued."""
    now = timezone.now()
    payload = payload_for(event, order)
    deliveries = [
        Delivery(event=event, work_order=order, webhook=hook, payload=payload, next_attempt_at=now)
        for hook in _agency_webhooks(order.agency_id, event)
    ]
    emails = {order.assignee.email if order.assignee else ""}
    agency_settings = AgencyMaintenanceSettings.objects.filter(agency_id=order.agency_id).first()
    if agency_settings:
        emails.add(agency_settings.notify_email)
    deliveries += [
        Delivery(event=event, work_order=order, email=email, payload=payload, next_attempt_at=now)
        for email in sorted(emails - {""})
    ]
    Delivery.objects.bulk_create(deliveries)
    return len(deliveries)


def _agency_webhooks(agency_id: int, event: str) -> list[WebhookEndpoint]:
    return [
        hook
        for hook in WebhookEndpoint.objects.filter(agency_id=agency_id, active=True)
        if not hook.events or event in hook.events
    ]


def _day(day: date) -> str:
    return date_format(day, "j F Y")


def lapsing_payload(agency: Agency, items: list[Expiry], today: date) -> dict:
    """One digest per agency: every item that reached a reminder's lead time today, soonest first."""
    lines = []
    for item in items:
        template = (
            _("- %(kind)s: %(subject)s, jatuh tempo %(day)s (%(left)d hari lagi)")
            if item.kind in (LapseKind.LICENCE_FEE, LapseKind.BATTERY)
            else _("- %(kind)s: %(subject)s, berakhir %(day)s (%(left)d hari lagi)")
        )
        line = template % {
            "kind": LapseKind(item.kind).label,
            "subject": item.subject,
            "day": _day(item.lapses_on),
            "left": item.days_left(today),
        }
        if item.kind == LapseKind.LICENCE:
            line += _("; ajukan perpanjangan paling lambat %(day)s") % {"day": _day(item.act_by)}
        if item.cost_idr:
            line += _("; perkiraan biaya Rp %(cost)s") % {"cost": f"{item.cost_idr:,}".replace(",", ".")}
        lines.append(line)
    rows = [
        {key: value.isoformat() if isinstance(value, date) else value for key, value in expiry_row(item, today).items()}
        for item in items
    ]
    return {
        "event": NotificationEvent.LAPSING,
        "agency": agency.code,
        "subject": _("%(agency)s: %(n)d hal akan berakhir") % {"agency": agency.name, "n": len(items)},
        "text": "\n".join(lines),
        "items": rows,
    }


def notify_lapsing(agency: Agency, items: list[Expiry], today: date) -> int:
    """Queue the agency's digest of lapsing items for its managers, its procurement staff, its notification
    address and its webhooks; returns how many deliveries were queued."""
    event, now = NotificationEvent.LAPSING, timezone.now()
    payload = lapsing_payload(agency, items, today)
    deliveries = [
        Delivery(event=event, webhook=hook, payload=payload, next_attempt_at=now)
        for hook in _agency_webhooks(agency.pk, event)
    ]
    emails = set(
        get_user_model()
        .objects.filter(agency=agency, role__in=[Role.MANAGER, Role.PROCUREMENT], is_active=True)
        .values_list("email", flat=True)
    )
    agency_settings = AgencyMaintenanceSettings.objects.filter(agency=agency).first()
    if agency_settings:
        emails.add(agency_settings.notify_email)
    for email in sorted(emails - {""}):  # the digest's words in each reader's language
        with translation.override(language.of_address(email)):
            digest = lapsing_payload(agency, items, today)
        deliveries.append(Delivery(event=event, email=email, payload=digest, next_attempt_at=now))
    Delivery.objects.bulk_create(deliveries)
    return len(deliveries)


class DeliveryFailed(Exception):
    """The webhook answered, but not with a 2xx (a redirect is not followed)."""


def _send(delivery: Delivery) -> None:
    body = json.dumps(delivery.payload, sort_keys=True, separators=(",", ":")).encode()
    if delivery.webhook_id:
        status = egress.post(
            delivery.webhook.url,
            body=body,
            headers={
                "Content-Type": "application/json",
                "X-Simpul-Event": delivery.event,
                "X-Simpul-Delivery": str(delivery.pk),
                webhook_signature.HEADER: webhook_signature.sign(delivery.webhook.secret, body),
            },
            timeout=WEBHOOK_TIMEOUT_S,
        )
        if 300 <= status < 400:
            raise DeliveryFailed(_("Pengalihan (HTTP %(status)d) tidak diikuti.") % {"status": status})
        if status >= 400:
            raise DeliveryFailed(f"HTTP {status}")
    else:
        with translation.override(language.of_address(delivery.email)):
            subject, message = _email_text(delivery.event, delivery.payload)
        send_mail(
            subject=subject, message=message, from_email=settings.DEFAULT_FROM_EMAIL, recipient_list=[delivery.email]
        )


def _email_text(event: str, payload: dict) -> tuple[str, str]:
    """A work order's email carries its payload as JSON; a digest (lapsing items) carries its own words.
    A subject is one line: a line break in a subject is a header injection."""
    if "work_order" in payload:
        order = payload["work_order"]
        title = " ".join(order["title"].split())
        subject = f"[Simpul] {NotificationEvent(event).label}: #{order['id']} {title}"
        return subject, json.dumps(payload, indent=2, ensure_ascii=False)
    return "[Simpul] " + " ".join(payload["subject"].split()), payload["text"]


def _attempt(delivery: Delivery) -> str:
    """Send once: "" when sent, else the error to store (the detail goes to the log)."""
    try:
        _send(delivery)
    except (DeliveryFailed, egress.EgressRefused) as error:  # an answer we refuse, or a target never contacted
        stored = detail = str(error)
    except (OSError, HTTPException, ValueError) as error:  # network, SMTP, a header that cannot be sent
        detail = f"{type(error).__name__}: {error}"
        # For a webhook, refused, timed out, reset or "not HTTP" look alike in what is stored, so it never
        # tells whoever registered the URL which ports are open; the log keeps the detail for the operator.
        stored = _("Tidak dapat mengirim: tidak ada jawaban HTTP dari tujuan.") if delivery.webhook_id else detail
    else:
        return ""
    log.warning("delivery %s (%s) failed, attempt %d: %s", delivery.pk, delivery.event, delivery.attempts, detail)
    return stored[:300]


def backoff(attempts: int) -> timedelta:
    """30 s, 1 min, 2 min ... capped at one hour."""
    return timedelta(seconds=min(30 * 2 ** (attempts - 1), 3600))


def deliver_due(now: datetime | None = None, limit: int = 200) -> dict[str, int]:
    """Send the deliveries that are due; failures are recorded and retried later, up to MAX_ATTEMPTS."""
    now = now or timezone.now()
    counts = {"sent": 0, "retry": 0, "failed": 0}
    due = Delivery.objects.filter(status=DeliveryStatus.PENDING, next_attempt_at__lte=now).select_related("webhook")
    for delivery in due.order_by("next_attempt_at")[:limit]:
        delivery.attempts += 1
        error = _attempt(delivery)
        if not error:
            delivery.status, delivery.sent_at, delivery.last_error = DeliveryStatus.SENT, now, ""
            counts["sent"] += 1
        elif delivery.attempts >= MAX_ATTEMPTS:
            delivery.status, delivery.last_error = DeliveryStatus.FAILED, error
            counts["failed"] += 1
        else:
            delivery.next_attempt_at, delivery.last_error = now + backoff(delivery.attempts), error
            counts["retry"] += 1
        with transaction.atomic():
            delivery.save(update_fields=["attempts", "status", "next_attempt_at", "last_error", "sent_at"])
    return counts
