"""From a poll's SNMP values to metrics, in the recorder's transaction: `record_metrics` is its one call.

Counters become rates against the asset's last counters (kept in MetricCounters, so a poller restart loses
no interval); UPS objects become their metrics; numeric vendor values (extra OIDs) are stored under their
labels. A breach of the kind's limits turns an "up" verdict into "degraded" with the reason, before the
recorder confirms states, so metric problems follow the same confirmation, transitions and alerts.
"""

from collections.abc import Sequence
from datetime import datetime

from assets.models import Asset
from monitoring.lookups import chunks
from monitoring.metrics import store
from monitoring.metrics.catalog import (
    IF_HIGH_SPEED,
    INTERFACE_COUNTERS,
    UPS_METRICS,
    UPS_ON_BATTERY,
    UPS_ON_BATTERY_METRIC,
    UPS_OUTPUT_SOURCE,
)
from monitoring.metrics.models import LABEL_LIMIT, MetricCounters
from monitoring.metrics.profiles import NO_PROFILE, profiles_by_kind
from monitoring.metrics.rates import Reading, interface_metrics, split_interface_values
from monitoring.metrics.thresholds import power_reasons, throughput_reasons
from monitoring.observations import Observation

JUDGED = frozenset({"up", "degraded"})  # an asset that did not answer has no metrics to judge


def measure(values: dict[str, object], before: Reading | None, after: Reading) -> dict[str, float]:
    """The metrics of one poll: rates against `before`, UPS figures, and every other number under its label."""
    _counters, speeds = split_interface_values(values)
    metrics = interface_metrics(before, after, speeds)
    source = values.get(UPS_OUTPUT_SOURCE)
    if isinstance(source, int):
        metrics[UPS_ON_BATTERY_METRIC] = 1.0 if source == UPS_ON_BATTERY else 0.0
    for label, value in values.items():
        name = label.partition(".")[0]
        if name in INTERFACE_COUNTERS or name == IF_HIGH_SPEED or label == UPS_OUTPUT_SOURCE:
            continue  # counters (as rates), ifHighSpeed (as speed), the output source (as on battery)
        if isinstance(value, int | float) and not isinstance(value, bool):
            metrics[UPS_METRICS.get(label, label[:LABEL_LIMIT])] = float(value)
    return metrics


def _reading(row: MetricCounters | None) -> Reading | None:
    return None if row is None else Reading(row.at.timestamp(), row.sys_uptime, row.counters)


def record_metrics(observations: Sequence[Observation]) -> None:
    """Store the metrics of `observations` and degrade the verdicts their values breach (mutates them)."""
    polled = sorted((o for o in observations if o.snmp_values), key=lambda o: o.at)
    if not polled:
        return
    ids = {o.asset_id for o in polled}
    assets, last = {}, {}
    for chunk in chunks(ids):
        query = Asset.objects.filter(pk__in=chunk).values_list("pk", "kind", "down_mbps", "up_mbps")
        assets.update({pk: (kind, {"in": down, "out": up}) for pk, kind, down, up in query})
        last.update({row.asset_id: row for row in MetricCounters.objects.filter(asset_id__in=chunk)})
    profiles = profiles_by_kind()
    rows, changed = [], {}
    for obs in polled:
        if obs.asset_id not in assets:
            continue  # deleted meanwhile
        previous = last.get(obs.asset_id)
        if previous is not None and obs.at <= previous.at:
            continue  # a replayed batch: already measured
        kind, contracted = assets[obs.asset_id]
        counters, _speeds = split_interface_values(obs.snmp_values)
        after = Reading(obs.at.timestamp(), obs.sys_uptime, counters)
        metrics = measure(obs.snmp_values, _reading(previous), after)
        rows += [(obs.asset_id, metric, obs.at, value) for metric, value in metrics.items()]
        limits = profiles.get(kind, NO_PROFILE).limits
        over_since = {k: datetime.fromisoformat(v) for k, v in (previous.over_since if previous else {}).items()}
        interval = (previous.at if previous else obs.at, obs.at)
        reasons, over_since = throughput_reasons(metrics, contracted, limits, over_since, interval)
        reasons = power_reasons(metrics, limits) + reasons
        if reasons and obs.verdict in JUDGED:
            obs.verdict = "degraded"
            obs.reason = "; ".join(reason for reason in (obs.reason, *reasons) if reason)
        row = MetricCounters(
            asset_id=obs.asset_id,
            at=obs.at,
            sys_uptime=obs.sys_uptime,
            counters=counters,
            over_since={k: v.isoformat() for k, v in over_since.items()},
        )
        last[obs.asset_id] = changed[obs.asset_id] = row
    store.write(rows)
    MetricCounters.objects.bulk_create(
        changed.values(),
        update_conflicts=True,
        unique_fields=["asset"],
        update_fields=["at", "sys_uptime", "counters", "over_since"],
        batch_size=2000,
    )
