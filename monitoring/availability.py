"""Availability over a window, computed from outages (never by counting samples).

For each asset: monitored time is the window from the asset's first observation on, minus its
maintenance windows; downtime is its outages inside the monitored time, so an outage across the
window's edge counts only its part inside (a month's report, a day's bar). Groups (site, agency, kind)
add up seconds, so a group's figure weighs each asset by how long it was watched. Planned, spare
and retired assets count neither up nor down.
"""

from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import accumulate

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
    return availability_since(assets, {"window": start}, end=end, group_by=group_by)["window"]


def availability_since(
    assets: QuerySet, starts: dict, *, end: datetime, group_by: str = "asset"
) -> dict[object, list[AvailabilityRow]]:
    """`availability` for several windows ending at `end` (label -> start), read in one pass: the dashboard
    asks for 24 h, 7 and 30 days of every asset after each poll cycle."""
    end = min(end, timezone.now())
    earliest = min(starts.values())
    key_field, label_field = GROUPS[group_by]
    assets = assets.filter(status__in=POLLED_STATUSES, state__monitored_since__lt=end)
    rows = list(assets.values_list("pk", "agency_id", "site_id", "state__monitored_since", key_field, label_field))
    if not rows:
        return {label: [] for label in starts}
    asset_ids = assets.values("pk")

    outages = defaultdict(list)
    for asset_id, started, ended in Outage.objects.filter(
        Q(ended_at__isnull=True) | Q(ended_at__gt=earliest), asset__in=asset_ids, started_at__lt=end
    ).values_list("asset_id", "started_at", "ended_at"):
        outages[asset_id].append((started, ended or end))

    windows = {"asset": defaultdict(list), "site": defaultdict(list), "agency": defaultdict(list)}
    for asset_id, site_id, agency_id, starts_at, ends_at in MaintenanceWindow.objects.filter(
        starts_at__lt=end, ends_at__gt=earliest
    ).values_list("asset_id", "site_id", "agency_id", "starts_at", "ends_at"):
        scope, key = ("asset", asset_id) if asset_id else ("site", site_id) if site_id else ("agency", agency_id)
        windows[scope][key].append((starts_at, ends_at))

    labels: dict = {}
    # Per window and group: assets, monitored s, down s, outages, started.
    totals = {label: defaultdict(lambda: [0, 0.0, 0.0, 0, 0]) for label in starts}
    no_holes: list = []
    untroubled = defaultdict(list)  # per group, the first results of its assets never down nor in maintenance
    for pk, agency_id, site_id, since, key, label in rows:
        labels[key] = label
        holes = (
            windows["asset"].get(pk, no_holes)
            + windows["site"].get(site_id, no_holes)
            + windows["agency"].get(agency_id, no_holes)
        )
        own = outages.get(pk, no_holes)
        if not holes and not own:  # most assets: added up per group below
            untroubled[key].append(since)
            continue
        for window, start in starts.items():
            total = totals[window][key]
            total[0] += 1
            begin = max(start, since)
            watched = subtract([(begin, end)], holes)
            down = subtract(clip(own, begin, end), holes)
            total[1] += seconds(watched)
            total[2] += seconds(down)
            total[3] += len(down)
            total[4] += sum(any(s <= began < e for s, e in watched) for began, _ended in own)
    for key, sinces in untroubled.items():
        _add_watched(key, sorted(sinces), starts, end, totals)
    return {
        window: [AvailabilityRow(key, labels[key], *by_key[key]) for key in sorted(by_key, key=str)]
        for window, by_key in totals.items()
    }


def _add_watched(key, sinces: list[datetime], starts: dict, end: datetime, totals: dict) -> None:
    """Add assets watched from their first result (sorted `sinces`, all before `end`), never down, to each
    window's totals: an asset first seen before a window's start is watched all of it, any other from its first
    result on. Sums from the latest first result back, so each window costs a bisection, not a pass."""
    # from_since[i]: the time watched by the i assets first seen last, each from its first result
    from_since = [timedelta(0), *accumulate(end - since for since in reversed(sinces))]
    for window, start in starts.items():
        before = bisect_right(sinces, start)
        later = len(sinces) - before
        total = totals[window][key]
        total[0] += len(sinces)
        whole = max(end - start, timedelta(0))  # a window still to come watches nothing
        total[1] += (before * whole + from_since[later]).total_seconds()
