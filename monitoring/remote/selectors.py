"""Remote pollers as pages show them (the pollers page, the dashboard, the API behind it): trouble first."""

from datetime import UTC, datetime

from django.db.models import QuerySet

from accounts.choices import Role
from accounts.scoping import scope, visible_agencies
from monitoring.models import Poller
from monitoring.remote.assignment import poller_assets
from monitoring.remote.health import RANK, PollerHealth, health


def visible_pollers(user) -> QuerySet:
    return scope(Poller.objects.select_related("agency"), user)


def may_manage_pollers(user, agency_id: int | None = None) -> bool:
    """Administrators make, rotate and revoke the pollers of the agencies they see (a token opens an agency's
    whole network to whoever holds it); `agency_id` None asks whether they may for any agency at all."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    if user.role != Role.ADMINISTRATOR:
        return False
    return agency_id is None or visible_agencies(user).filter(pk=agency_id).exists()


def poller_rows(pollers: QuerySet, now: datetime) -> list[dict]:
    """Each poller with its health, last contact, backlog, version and how many assets it holds: silent first,
    the longest silent first among them; revoked ones last."""
    rows = [
        {
            "id": poller.pk,
            "name": poller.name,
            "agency": poller.agency.code,
            "agency_name": poller.agency.name,
            "health": (state := health(poller, now)),
            "health_label": str(PollerHealth(state).label),
            "last_contact_at": poller.last_contact_at,
            "backlog": poller.last_backlog,
            "dropped": poller.dropped_results,
            "version": poller.version,
            "assets": poller_assets(poller).count(),
        }
        for poller in pollers.select_related("agency")
    ]
    never = datetime.min.replace(tzinfo=UTC)
    rows.sort(key=lambda r: (RANK[r["health"]], r["last_contact_at"] or never, r["agency"], r["name"]))
    return rows
