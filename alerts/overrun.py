"""Maintenance that overran: a maintenance window has ended and what it covered has not come back.

A window mutes alerts (alerts.decisions); when it ends with assets still in maintenance (not polled
again yet, e.g. a radio heard only at roll calls) or silent, nobody would hear of it until their next
confirmed change. One alert per window (an asset's, a site's or a whole agency's), GRACE after its end
(so the first polls after it have had their say), on the first asset not back, naming the others as
affected; governed by the down rule. It closes when that asset comes back; if others are still out
then, the next pass raises the window's alert again on one of them.
"""

from collections.abc import Callable
from datetime import datetime, timedelta

from django.db.models import Q

from alerts.choices import ACTIVE_STATES, AlertKind
from alerts.decisions import AssetFacts, RuleFacts, matching_rule
from alerts.models import Alert
from alerts.services import alert_raise
from assets.models import Asset
from monitoring.choices import State
from monitoring.models import AssetState, MaintenanceWindow
from monitoring.windows import active_windows

GRACE = timedelta(minutes=5)
LOOKBACK = timedelta(days=1)  # windows that ended longer ago than this are history, not news
BACK = (State.UP, State.DEGRADED)


def _not_back(windows: list[MaintenanceWindow]) -> dict[int, list[tuple[int, int | None]]]:
    """Each window's assets (id, site) not back, in name order: a site's or an agency's only those monitored."""
    if not windows:
        return {}
    named, wide = Q(pk__in=[w.asset_id for w in windows if w.asset_id]), Q()
    for window in windows:
        if window.site_id and not window.asset_id:
            wide |= Q(site_id=window.site_id)
        elif not window.asset_id:
            wide |= Q(agency_id=window.agency_id)
    if wide:
        named |= wide & Q(state__isnull=False)
    rows = list(
        Asset.objects.filter(named)
        .exclude(state__state__in=BACK)
        .order_by("name", "pk")
        .values_list("pk", "agency_id", "site_id")
    )
    covered = {}
    for window in windows:
        covered[window.pk] = [
            (pk, site_id)
            for pk, agency_id, site_id in rows
            if pk == window.asset_id
            or (not window.asset_id and window.site_id and site_id == window.site_id)
            or (not window.asset_id and not window.site_id and agency_id == window.agency_id)
        ]
    return covered


def raise_overruns(
    now: datetime, *, facts_of: Callable[[set[int], datetime], dict[int, AssetFacts]], rules: list[RuleFacts]
) -> int:
    """Raise one alert for each window that ended GRACE ago with assets not back; returns how many."""
    windows = list(
        MaintenanceWindow.objects.filter(ends_at__lte=now - GRACE, ends_at__gt=now - LOOKBACK).order_by(
            "-ends_at", "-id"
        )  # the latest first: of two windows that overran, the later one is the news
    )
    covered = _not_back(windows)
    assets = {pk for rows in covered.values() for pk, _site in rows}
    if not assets:
        return 0
    raised_for = set(
        Alert.objects.filter(asset_id__in=assets, kind=AlertKind.OVERRUN).values_list("asset_id", "started_at")
    )
    busy = set(Alert.objects.filter(asset_id__in=assets, state__in=ACTIVE_STATES).values_list("asset_id", "kind"))
    states = dict(AssetState.objects.filter(asset_id__in=assets).values_list("asset_id", "state"))
    facts: dict[int, AssetFacts] = facts_of(assets, now)
    windows_now = active_windows(now)
    raised = 0
    for window in windows:
        rows = covered[window.pk]
        if any((pk, AlertKind.OVERRUN) in busy for pk, _site in rows):
            continue  # this window's alert is still open
        out = []  # (asset, rule) of the assets to tell about
        for pk, site_id in rows:
            asset = facts.get(pk)
            if asset is None or (pk, window.ends_at) in raised_for or (pk, AlertKind.DOWN) in busy:
                continue  # told already: one alert per problem
            if windows_now.covers(pk, site_id, asset.agency_id):
                continue  # a later window covers it now
            rule = matching_rule(rules, asset, AlertKind.DOWN)
            if rule is not None:
                out.append((pk, asset, rule))
        if not out:
            continue
        pk, asset, rule = out[0]
        state = State(states.get(pk, State.UNKNOWN)).label
        alert_raise(
            agency_id=asset.agency_id,
            asset_id=pk,
            kind=AlertKind.OVERRUN,
            started_at=window.ends_at,
            rule=rule,
            reason=f"{window.reason} ({str(state).lower()})",
            now=now,
            affected=[other for other, _asset, _rule in out[1:]],
        )
        busy.add((pk, AlertKind.OVERRUN))
        raised += 1
    return raised
