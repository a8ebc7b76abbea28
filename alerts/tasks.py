"""Celery beat tasks of the alerting app: the same path as the embedded poller's hook."""

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from alerts.consumer import consume
from alerts.escalation import escalate_due
from alerts.pruning import prune_transitions
from alerts.sender import send_due
from alerts.services import notify_due


@shared_task
def alerts_after_poll() -> dict:
    now = timezone.now()
    summary = consume(now)
    notified, escalated = notify_due(now), escalate_due(now)
    sent = send_due(budget_s=settings.ALERTS_SEND_BUDGET_S)
    return {"raised": summary.raised, "notified": notified, "escalated": escalated, "sent": sent.sent}


@shared_task
def alerts_hourly() -> int:
    return prune_transitions(timezone.now())
