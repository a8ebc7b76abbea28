"""Availability over a window, computed from outages (never by counting samples).

For each asset: monitored time is the window from the asset's first observation on, minus its
maintenance windows; downtime is its outages inside the monitored time, so an outage across the
window's edge counts only its part inside (a month's report, a day's bar). Groups (site, agency, kind)
add up seconds, so a group's figure weighs each asset by how long it was watched. Planned, spare
and retired assets count neither up nor down.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone

from monitoring.intervals import clip, seconds, subtract
from monitoring.models import MaintenanceWindow, Outage
from monitoring.policies import POLLED_STATUSES

GROUPS = {
    "asset": ("pk", "name"),
    "site": ("site_id", "site__name"),
    "agency": ("agency__code", "agency__name"),
    "kind": ("kind", "kind"),
}


@dataclass(frozen=True, slots=True)
class AvailabilityRow:
    key: str | int | None
    label: str | None
    assets: int
    monitored_s: float
    down_s: float
    outages: int  # stretches of downtime inside the window
    started: int  # outages that began inside the monitored time: failures of this window, each counted once

    @property
    def availability(self) -> float | None:
        return None if self.monitored_s <= 0 else round(1 - self.down_s / self.monitored_s, 6)


def availability(assets: QuerySet, *, start: datetime, end: datetime, group_by: str = "asset") -> list[AvailabilityRow]:
    end = min(end, timezone.now())
    key_field, label_field = GROUPS[group_by]
    assets = assets.filter(status__in=POLLED_STATUSES, state__monitored_since__lt=end)
    rows = list(assets.values_list("pk", "agency_id", "site_id", "state__monitored_since", key_field, label_field))
    if not rows:
        return []
    asset_ids = assets.values("pk")

    outages = defaultdict(list)
    for asset_id, started, ended in Outage.objects.filter(
        Q(ended_at__isnull=True) | Q(ended_at__gt=start), asset__in=asset_ids, started_at__lt=end
    ).values_list("asset_id", "started_at", "ended_at"):
        outages[asset_id].append((started, ended or end))

    windows = {"asset": defaultdict(list), "site": defaultdict(list), "agency": defaultdict(list)}
    for asset_id, site_id, agency_id, starts, ends in MaintenanceWindow.objects.filter(
        starts_at__lt=end, ends_at__gt=start
    ).values_list("asset_id", "site_id", "agency_id", "starts_at", "ends_at"):
        scope, key = ("asset", asset_id) if asset_id else ("site", site_id) if site_id else ("agency", agency_id)
        windows[scope][key].append((starts, ends))

    labels: dict = {}
    totals: dict = defaultdict(lambda: [0, 0.0, 0.0, 0, 0])  # assets, monitored s, down s, outages, started
    for pk, agency_id, site_id, since, key, label in rows:
        holes = windows["asset"][pk] + windows["site"][site_id] + windows["agency"][agency_id]
        watched = subtract([(max(start, since), end)], holes)
        down = subtract(clip(outages[pk], max(start, since), end), holes)
        total = totals[key]
        total[0] += 1
        total[1] += seconds(watched)
        total[2] += seconds(down)
        total[3] += len(down)
        total[4] += sum(any(s <= began < e for s, e in watched) for began, _ended in outages[pk])
        labels[key] = label
    return [AvailabilityRow(key, labels[key], *totals[key]) for key in sorted(totals, key=str)]
