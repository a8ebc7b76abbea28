"""What the maintenance app does after each poll cycle and on each beat: one entry point for both."""

import logging
from datetime import datetime

from django.utils import timezone

from maintenance.corrective import open_corrective_orders
from maintenance.idempotency import prune_applied_actions
from maintenance.notifications import deliver_due
from maintenance.overdue import notify_overdue
from maintenance.scheduler import schedule_maintenance

log = logging.getLogger("simpul.maintenance")


def after_poll_cycle(now: datetime) -> None:
    """Called by the poller after it records a cycle (settings.POLL_CYCLE_HOOKS)."""
    summary = open_corrective_orders(now)
    if summary.opened or summary.joined or summary.recovered:
        log.info("corrective work: %s", summary)
    deliver_due(now)


def hourly(now: datetime) -> None:
    """Preventive scheduling, overdue notices and forgetting old idempotency keys (safe to run more often)."""
    schedule_maintenance(today=timezone.localdate(now))
    notify_overdue()
    prune_applied_actions(now)
