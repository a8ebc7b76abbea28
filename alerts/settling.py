"""Holding a down alert while its outage may still turn out to be an ancestor's.

A dependant confirmed down before its parent has been heard from may be re-attributed to the parent
(transition down -> unreachable) once the parent is confirmed down; its alert then merges into the
parent's. Telling the person on duty of the dependant first would name a false root cause, so
`notify_due` holds a down alert while its outage is unsettled (monitoring.dependencies), and at most
until every ancestor has had time to be confirmed down (its interval times its confirmation count) plus
HOLD_MARGIN after the outage began: a parent that never answers again cannot hold an alert for ever.
"""

from collections.abc import Sequence
from datetime import datetime, timedelta

from alerts.choices import AlertKind
from alerts.models import Alert
from assets.models import Asset
from monitoring.dependencies import load_tree, unsettled_outages
from monitoring.models import Outage, ProbeConfig
from monitoring.policies import DEFAULT_POLICY, policies_by_kind

HOLD_MARGIN = timedelta(seconds=30)


def held_alerts(alerts: Sequence[Alert], now: datetime) -> set[int]:
    """Ids of the down `alerts` to hold back now: their outage is unsettled and its bound not reached."""
    assets = {alert.asset_id: alert for alert in alerts if alert.kind == AlertKind.DOWN and alert.asset_id}
    if not assets:
        return set()
    outages = list(Outage.objects.filter(asset_id__in=assets, ended_at__isnull=True))
    unsettled = [outage for outage in outages if outage.pk in unsettled_outages(outages)]
    if not unsettled:
        return set()
    tree = load_tree({outage.asset_id for outage in unsettled}, dependants=False)
    ancestors = {pk for outage in unsettled for pk in tree.path(outage.asset_id)}
    policies = policies_by_kind()
    kinds = dict(Asset.objects.filter(pk__in=ancestors).values_list("pk", "kind"))
    own = dict(
        ProbeConfig.objects.filter(asset_id__in=ancestors, interval_s__isnull=False).values_list(
            "asset_id", "interval_s"
        )
    )
    confirm_time = {}
    for pk, kind in kinds.items():
        policy = policies.get(kind, DEFAULT_POLICY)
        confirm_time[pk] = timedelta(seconds=own.get(pk, policy.interval_s) * policy.confirm_count)
    held = set()
    for outage in unsettled:
        bound = max((confirm_time.get(pk, timedelta(0)) for pk in tree.path(outage.asset_id)), default=timedelta(0))
        if now < outage.started_at + bound + HOLD_MARGIN:
            held.add(assets[outage.asset_id].pk)
    return held
