"""Writes of the alerting app: raising, notifying, resolving and acknowledging alerts, and roster swaps.

Each service is atomic and records its step on the alert's timeline; messages go to the outbox in the
same transaction and leave only through the sender (alerts.sender), after commit.
"""

from collections.abc import Sequence
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from alerts import texts
from alerts.choices import (
    UNACKNOWLEDGED_STATES,
    AckVia,
    AlertKind,
    AlertState,
    MessageKind,
    TimelineKind,
)
from alerts.decisions import RuleFacts, notify_time
from alerts.escalation import tier_recipients
from alerts.models import Alert, AlertEvent, DutyAssignment
from alerts.outbox import queue_messages, queue_recovery
from alerts.settling import held_alerts


def timeline(alert: Alert, kind: str, *, at: datetime, user=None, channel=None, detail: str = "") -> AlertEvent:
    return AlertEvent.objects.create(alert=alert, kind=kind, at=at, user=user, channel=channel, detail=detail[:300])


def alert_raise(
    *,
    agency_id: int,
    asset_id: int | None,
    kind: str,
    started_at: datetime,
    rule: RuleFacts | None,
    reason: str,
    now: datetime,
    severity: str = "critical",
    channel_id: int | None = None,
    poller_id: int | None = None,
    affected: Sequence[int] = (),
) -> Alert:
    alert = Alert.objects.create(
        agency_id=agency_id,
        asset_id=asset_id,
        channel_id=channel_id,
        poller_id=poller_id,
        rule_id=rule.id if rule else None,
        kind=kind,
        severity=rule.severity if rule else severity,
        started_at=started_at,
        notify_at=notify_time(rule, started_at, now) if rule else now,
        summary="-",
        reason=reason[:200],
        affected_count=len(affected),
    )
    alert.affected.add(*affected)
    alert = Alert.objects.select_related("agency", "asset__site", "channel", "poller").get(pk=alert.pk)
    alert.summary = texts.headline(alert)
    alert.save(update_fields=["summary"])
    timeline(alert, TimelineKind.RAISED, at=now, detail=reason)
    return alert


def notify_due(now: datetime) -> int:
    """Tell tier 0 about every alert whose delay (and quiet hours) has passed; returns how many."""
    due = Alert.objects.filter(state__in=UNACKNOWLEDGED_STATES, notified_at__isnull=True, notify_at__lte=now)
    due = list(due.select_related("agency", "rule"))
    held = held_alerts(due, now)
    count = 0
    for alert in due:
        if alert.pk in held:
            continue  # may still turn out to be its parent's outage
        with transaction.atomic():
            people = tier_recipients(agency=alert.agency, tier=0, at=now)
            queue_messages(
                alert=alert,
                kind=MessageKind.RAISED,
                people=people,
                tier=0,
                now=now,
                exclude_channel_id=alert.channel_id,
            )
            alert.notified_at = now
            minutes = alert.rule.escalate_after_minutes if alert.rule else None
            alert.escalate_at = now + timedelta(minutes=minutes) if minutes else None
            alert.save(update_fields=["notified_at", "escalate_at"])
            count += 1
    return count


def alert_resolve(*, alert: Alert, at: datetime, now: datetime, recovered: bool = True) -> Alert:
    """Close the alert; if anybody was told of it and it recovered, the recovery follows in the same thread."""
    alert.state, alert.resolved_at, alert.escalate_at = AlertState.RESOLVED, at, None
    alert.save(update_fields=["state", "resolved_at", "escalate_at"])
    kind = TimelineKind.RECOVERED if recovered else TimelineKind.RESOLVED
    timeline(alert, kind, at=at, detail=texts.duration(at - alert.started_at))
    if recovered and alert.notified_at is not None:
        queue_recovery(alert=alert, now=now)
    return alert


@transaction.atomic
def alert_acknowledge(*, alert: Alert, by: User | None, via: str, at: datetime | None = None) -> Alert:
    """Acknowledge once: a second acknowledgement is refused (400 through the API), naming who was first."""
    at = at or timezone.now()
    alert = Alert.objects.select_for_update().get(pk=alert.pk)
    if alert.state not in UNACKNOWLEDGED_STATES:
        raise ValidationError(
            {"state": _("Peringatan ini sudah %(state)s.") % {"state": AlertState(alert.state).label.lower()}}
        )
    alert.acknowledged_at, alert.acknowledged_by, alert.acknowledged_via = at, by, via
    # A reboot or a missed roll call has nothing to recover from: acknowledging it closes it.
    closes = alert.kind in (AlertKind.REBOOT, AlertKind.MISSED_ROLL_CALL)
    alert.state = AlertState.RESOLVED if closes else AlertState.ACKNOWLEDGED
    alert.resolved_at = at if closes else None
    alert.escalate_at = None
    alert.save(
        update_fields=["acknowledged_at", "acknowledged_by", "acknowledged_via", "state", "resolved_at", "escalate_at"]
    )
    timeline(alert, TimelineKind.ACKNOWLEDGED, at=at, user=by, detail=AckVia(via).label)
    return alert


@transaction.atomic
def duty_swap(*, assignment: DutyAssignment, to_user: User) -> DutyAssignment:
    """Hand a shift to a colleague of the same agency; who was planned is kept."""
    if to_user.agency_id != assignment.shift.agency_id:
        raise ValidationError({"user": _("Petugas harus dari instansi shift ini.")})
    if assignment.planned_user_id is None:
        assignment.planned_user_id = assignment.user_id
    assignment.user = to_user
    assignment.full_clean()
    assignment.save(update_fields=["user", "planned_user"])
    return assignment
