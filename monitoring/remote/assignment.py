"""Which poller polls an asset: the one place that rule lives.

An asset at a site of an active sites-scoped poller is that poller's; otherwise an asset of an agency
with an active agency-scoped poller is that poller's; every other asset is the central poller's
(runpoller or Celery). Constraints make each of those unique, so every asset has exactly one poller.
"""

from django.db.models import Q, QuerySet

from assets.models import Asset
from monitoring.choices import PollerScope
from monitoring.models import Poller, PollerSite
from monitoring.policies import pollable_assets


def active_pollers() -> QuerySet:
    return Poller.objects.filter(revoked_at__isnull=True)


def _remote_q() -> Q:
    sites = PollerSite.objects.filter(poller__revoked_at__isnull=True).values("site_id")
    agencies = active_pollers().filter(scope=PollerScope.AGENCY).values("agency_id")
    return Q(site_id__in=sites) | Q(agency_id__in=agencies)


def centrally_polled(assets: QuerySet) -> QuerySet:
    """`assets` without those a remote poller polls."""
    return assets.exclude(_remote_q())


def poller_assets(poller: Poller) -> QuerySet:
    """The pollable assets assigned to `poller` (none once it is revoked)."""
    if poller.revoked_at is not None:
        return Asset.objects.none()
    if poller.scope == PollerScope.SITES:
        return pollable_assets().filter(site__poller_site__poller=poller)
    taken = PollerSite.objects.filter(poller__revoked_at__isnull=True).values("site_id")
    return pollable_assets().filter(agency_id=poller.agency_id).exclude(site_id__in=taken)


def poller_of(asset: Asset) -> Poller | None:
    """The remote poller that polls `asset`, or None for the central poller."""
    if asset.site_id is not None:
        by_site = active_pollers().filter(poller_sites__site_id=asset.site_id).first()
        if by_site is not None:
            return by_site
    return active_pollers().filter(scope=PollerScope.AGENCY, agency_id=asset.agency_id).first()
