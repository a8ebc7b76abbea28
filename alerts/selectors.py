"""Reads the API and the pages share: the order of trouble, and who may acknowledge."""

from django.db.models import Case, IntegerField, Value, When

from accounts.choices import Role
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
    return user.is_authenticated and (user.is_superuser or user.role != Role.PROCUREMENT)
