"""What the alerting app does after each poll cycle (settings.POLL_CYCLE_HOOKS) and on each beat."""

import logging
from datetime import datetime

from alerts import sender
from alerts.consumer import consume
from alerts.escalation import escalate_due
from alerts.pruning import prune_transitions
from alerts.services import notify_due

log = logging.getLogger("simpul.alerts")


def after_poll_cycle(now: datetime) -> None:
    summary = consume(now)
    if summary.raised or summary.resolved or summary.attached:
        log.info("alerts: %s", summary)
    notify_due(now)
    escalate_due(now)
    sender.kick(now)


def hourly(now: datetime) -> None:
    pruned = prune_transitions(now)
    if pruned:
        log.info("alerts: %d old transitions pruned", pruned)
