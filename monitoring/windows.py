"""Which assets are inside a maintenance window (asset, site or whole agency) at a given moment."""

from dataclasses import dataclass, field
from datetime import datetime

from monitoring.models import MaintenanceWindow


@dataclass(frozen=True)
class ActiveWindows:
    assets: set[int] = field(default_factory=set)
    sites: set[int] = field(default_factory=set)
    agencies: set[int] = field(default_factory=set)

    def covers(self, asset_id: int, site_id: int | None, agency_id: int) -> bool:
        return asset_id in self.assets or site_id in self.sites or agency_id in self.agencies


def active_windows(now: datetime) -> ActiveWindows:
    """The windows open at `now`, in one query."""
    active = ActiveWindows()
    rows = MaintenanceWindow.objects.filter(starts_at__lte=now, ends_at__gt=now)
    for asset_id, site_id, agency_id in rows.values_list("asset_id", "site_id", "agency_id"):
        if asset_id:
            active.assets.add(asset_id)
        elif site_id:
            active.sites.add(site_id)
        else:
            active.agencies.add(agency_id)
    return active
