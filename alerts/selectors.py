"""Reads the API and the pages share: the order of trouble, and who may acknowledge."""

from django.db.models import Case, IntegerField, Value, When

from accounts.pages import in_operations
from alerts.choices import AlertState

# Trouble first: open and escalated (nobody acknowledged yet), then acknowledged, then resolved.
STATE_RANK = Case(
    When(state__in=[AlertState.OPEN, AlertState.ESCALATED], then=Value(0)),
    When(state=AlertState.ACKNOWLEDGED, then=Value(1)),
    default=Value(2),
    output_field=IntegerField(),
)


def may_acknowledge(user) -> bool:
    """Whoever is told of an alert may acknowledge it: technicians, managers (tier 1), administrators;
    which alerts is the scoping rule's business (another agency's alert is not found)."""
    return in_operations(user)


def dashboard_alerts(user, *, limit: int = 10) -> dict:
    """The dashboard's alert panel: active alerts the user sees, unacknowledged first and then the longest
    running, with the totals line, and the agency channels that are failing (the alert path itself)."""
    from django.urls import reverse

    from accounts.scoping import scope
    from alerts.choices import ACTIVE_STATES, UNACKNOWLEDGED_STATES
    from alerts.models import Alert, Channel

    active = scope(Alert.objects.filter(state__in=ACTIVE_STATES), user)
    rows = active.select_related("agency").annotate(rank=STATE_RANK).order_by("rank", "started_at", "id")[:limit]
    failing = scope(Channel.objects.filter(active=True, failing_since__isnull=False), user).select_related("agency")
    return {
        "active": active.count(),
        "unacknowledged": active.filter(state__in=UNACKNOWLEDGED_STATES).count(),
        "alerts": [
            {
                "id": alert.pk,
                "summary": alert.summary,
                "state": alert.state,
                "state_label": str(AlertState(alert.state).label),
                "started_at": alert.started_at,
                "url": reverse("alerts-detail", args=[alert.pk]),
            }
            for alert in rows
        ],
        "failing_channels": [
            {
                "name": channel.name,
                "agency": channel.agency.code,
                "failing_since": channel.failing_since,
                "failures": channel.consecutive_failures,
            }
            for channel in failing.order_by("failing_since", "id")[:limit]
        ],
    }
