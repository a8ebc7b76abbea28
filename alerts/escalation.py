"""Who is told at each tier, and escalation of what nobody acknowledged in time.

Tier 0 is the asset's agency's duty officer (its managers when nobody is on duty), tier 1 the agency's
managers, tier 2 the duty officer of the agency above (the province). An alert escalates one tier each
time its rule's `escalate_after_minutes` pass without an acknowledgement; a tier without anybody is
skipped. Acknowledged or resolved alerts never escalate.
"""

import logging
from datetime import datetime, timedelta

from django.db import transaction

from accounts.models import User
from alerts.choices import UNACKNOWLEDGED_STATES, AlertState, MessageKind, TimelineKind
from alerts.models import Alert
from alerts.roster import duty_or_managers, managers

log = logging.getLogger("simpul.alerts")
TOP_TIER = 2


def tier_recipients(*, agency, tier: int, at: datetime) -> list[User]:
    if tier == 0:
        return duty_or_managers(agency_id=agency.pk, at=at)
    if tier == 1:
        return list(managers(agency.pk))
    if tier == 2 and agency.parent_id:
        return duty_or_managers(agency_id=agency.parent_id, at=at)
    return []


def next_tier(*, agency, after: int, at: datetime) -> tuple[int, list[User]] | None:
    """The next tier above `after` that has somebody to tell, with those people."""
    for tier in range(after + 1, TOP_TIER + 1):
        people = tier_recipients(agency=agency, tier=tier, at=at)
        if people:
            return tier, people
    return None


def escalate_due(now: datetime) -> int:
    """Escalate every notified, unacknowledged alert whose time has come; returns how many escalated."""
    from alerts.outbox import queue_messages
    from alerts.services import timeline

    count = 0
    due = Alert.objects.filter(state__in=UNACKNOWLEDGED_STATES, escalate_at__lte=now).select_related("agency", "rule")
    for alert_id in due.values_list("pk", flat=True):
        with transaction.atomic():
            alert = due.select_for_update(of=("self",)).filter(pk=alert_id).first()
            if alert is None:
                continue  # acknowledged or resolved meanwhile
            found = next_tier(agency=alert.agency, after=alert.tier, at=now)
            if found is None:
                alert.escalate_at = None
                alert.save(update_fields=["escalate_at"])
                continue
            alert.tier, people = found
            alert.state = AlertState.ESCALATED
            minutes = alert.rule.escalate_after_minutes if alert.rule else None
            alert.escalate_at = now + timedelta(minutes=minutes) if minutes and alert.tier < TOP_TIER else None
            alert.save(update_fields=["tier", "state", "escalate_at"])
            timeline(alert, TimelineKind.ESCALATED, at=now, detail=", ".join(p.username for p in people)[:300])
            queue_messages(alert=alert, kind=MessageKind.ESCALATED, people=people, tier=alert.tier, now=now)
            count += 1
    return count
