"""Maintenance that overran: an asset's maintenance window has ended and the asset has not come back.

A window mutes an asset's alerts (alerts.decisions); when it ends with the asset still in maintenance
(not polled again yet, e.g. a radio heard only at roll calls) or silent, nobody would hear of it until
its next confirmed change. One alert per window, GRACE after its end (so the first polls after it have
had their say), governed by the asset's down rule; it closes when the asset comes back up.
"""

from collections.abc import Callable
from datetime import datetime, timedelta

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


def raise_overruns(
    now: datetime, *, facts_of: Callable[[set[int], datetime], dict[int, AssetFacts]], rules: list[RuleFacts]
) -> int:
    """Raise one alert for each asset window that ended GRACE ago without the asset back; returns how many."""
    windows = list(
        MaintenanceWindow.objects.filter(asset__isnull=False, ends_at__lte=now - GRACE, ends_at__gt=now - LOOKBACK)
        .exclude(asset__state__state__in=BACK)
        .order_by("ends_at", "id")
    )
    if not windows:
        return 0
    assets = {w.asset_id for w in windows}
    raised_for = set(
        Alert.objects.filter(asset_id__in=assets, kind=AlertKind.OVERRUN).values_list("asset_id", "started_at")
    )
    busy = set(Alert.objects.filter(asset_id__in=assets, state__in=ACTIVE_STATES).values_list("asset_id", "kind"))
    states = dict(AssetState.objects.filter(asset_id__in=assets).values_list("asset_id", "state"))
    facts: dict[int, AssetFacts] = facts_of(assets, now)
    sites = dict(Asset.objects.filter(pk__in=assets).values_list("pk", "site_id"))
    windows_now = active_windows(now)
    raised = 0
    for window in windows:
        asset = facts.get(window.asset_id)
        if asset is None or (window.asset_id, window.ends_at) in raised_for:
            continue
        if (window.asset_id, AlertKind.OVERRUN) in busy or (window.asset_id, AlertKind.DOWN) in busy:
            continue  # told already: one alert per problem
        if windows_now.covers(window.asset_id, sites.get(window.asset_id), asset.agency_id):
            continue  # a later window covers it now
        rule = matching_rule(rules, asset, AlertKind.DOWN)
        if rule is None:
            continue
        state = State(states.get(window.asset_id, State.UNKNOWN)).label
        alert_raise(
            agency_id=asset.agency_id,
            asset_id=window.asset_id,
            kind=AlertKind.OVERRUN,
            started_at=window.ends_at,
            rule=rule,
            reason=f"{window.reason} ({str(state).lower()})",
            now=now,
        )
        busy.add((window.asset_id, AlertKind.OVERRUN))
        raised += 1
    return raised
