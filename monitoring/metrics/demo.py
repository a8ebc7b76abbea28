"""The demo's SNMP metric history, written as the poller would have: traffic on every internet link and satellite
terminal, power on every UPS, one value each STEP while the asset answered, then rolled up by the metric store.

Links follow office hours (busy 08.00-17.00 WITA on weekdays, now and then over 90 % of their contract, quiet at
night). A UPS runs on battery through power cuts: the long ones drain it into the outage the history recorded
("Baterai habis saat listrik padam"), a few short ones it rides out.
"""

import random
from datetime import datetime, timedelta

from assets.choices import AssetKind
from assets.models import Asset
from monitoring.metrics import store
from monitoring.metrics.catalog import IF_IN_BPS, IF_OUT_BPS, UPS_CHARGE_PCT, UPS_ON_BATTERY_METRIC
from monitoring.metrics.models import MetricHourly
from monitoring.partitions import floor_hour
from simpul.months import WITA

STEP = timedelta(minutes=15)
MBPS = 1_000_000
SATELLITE_MBPS = (100, 20)  # a Starlink terminal's usual capacity (no contract figure on the asset)
FULL_RUNTIME_MIN = 90.0  # a charged UPS's runtime at the radio room's load
TRAFFIC_KINDS = (AssetKind.INTERNET_LINK, AssetKind.SATELLITE_TERMINAL)
RAW_DAYS = 2  # of values packed as the upkeep packs them; the hours before go in as their hourly rows


def metric_rows(asset: Asset, silent: list[tuple], outages: list[tuple], rng: random.Random, start, now) -> list:
    """The asset's values over [start, now) on the STEP grid, none while it (or its path) was silent."""
    if asset.kind in TRAFFIC_KINDS:
        make = _traffic()
    elif asset.kind == AssetKind.UPS:
        make = _power(_power_cuts(outages, rng, start, now))
    else:
        return []
    rows = []
    at = start.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
    silent = sorted(silent)
    while at < now:
        if not any(began <= at < ended for began, ended in silent):
            rows += [(asset.pk, metric, at, value) for metric, value in make(asset, at, rng)]
        at += STEP
    return rows


def _traffic():
    full_hours = {}  # hour -> whether the link runs full through it (drawn once an hour, so its average shows it)

    def traffic(asset: Asset, at: datetime, rng: random.Random):
        local = at.astimezone(WITA)
        office = local.weekday() < 5 and 8 <= local.hour < 17
        down, up = (float(asset.down_mbps), float(asset.up_mbps or 0)) if asset.down_mbps else SATELLITE_MBPS
        hour = at.replace(minute=0)
        if hour not in full_hours:
            full_hours.clear()
            full_hours[hour] = office and rng.random() < 0.1
        if asset.link_role == "backup" or asset.kind == AssetKind.SATELLITE_TERMINAL:
            share = 0.02 + 0.08 * rng.random()  # idle beside the primary link
        elif full_hours[hour]:
            share = 0.9 + 0.1 * rng.random()
        elif office:
            share = 0.45 + 0.35 * rng.random()
        else:
            share = 0.04 + 0.12 * rng.random()
        yield IF_IN_BPS, round(down * MBPS * share)
        yield IF_OUT_BPS, round(up * MBPS * share * (0.5 + 0.4 * rng.random()))

    return traffic


def _power_cuts(outages: list[tuple], rng: random.Random, start: datetime, now: datetime) -> list[tuple]:
    """(began, ended) of mains failures: a full battery's runtime before each outage of the UPS, and a few short."""
    cuts = [(began - timedelta(minutes=FULL_RUNTIME_MIN), ended) for began, ended, _cause in outages]
    for _n in range(rng.randint(2, 4)):
        began = start + (now - start - timedelta(hours=3)) * rng.random()
        cuts.append((began, began + timedelta(minutes=rng.randint(15, 50))))
    return sorted(cuts)


def _power(cuts: list[tuple]):
    def power(asset: Asset, at: datetime, rng: random.Random):
        cut = next(((began, ended) for began, ended in cuts if began <= at < ended), None)
        since_cut = next((at - ended for _began, ended in reversed(cuts) if ended <= at), None)
        if cut is not None:
            used = (at - cut[0]).total_seconds() / 60 / FULL_RUNTIME_MIN
            charge = max(100 * (1 - used), 1.0)
            yield UPS_ON_BATTERY_METRIC, 1.0
            yield UPS_CHARGE_PCT, round(charge)
            yield "ups_runtime_min", round(FULL_RUNTIME_MIN * charge / 100)
            yield "ups_input_v", 0.0
            return
        # Recharging after a cut takes a few hours; the mains wander around 220 V.
        hours = since_cut.total_seconds() / 3600 if since_cut is not None else 99
        charge = min(100.0, 40 + 20 * hours)
        yield UPS_ON_BATTERY_METRIC, 0.0
        yield UPS_CHARGE_PCT, round(charge)
        yield "ups_runtime_min", round(FULL_RUNTIME_MIN * charge / 100)
        yield "ups_input_v", round(220 + 8 * (rng.random() - 0.5), 1)

    return power


def write_history(rows: list, now: datetime) -> None:
    """The last RAW_DAYS as values, packed and rolled up by the store as the poller's upkeep would; the hours before
    as their hourly rows only, which is what the charts and the link report read: packing 90 days an hour at a
    time would keep `make run` waiting for minutes on SQLite."""
    recent = floor_hour(now - timedelta(days=RAW_DAYS))
    store.write([row for row in rows if row[2] >= recent])
    store.roll_up(now)
    hours: dict[tuple, list] = {}
    for asset_id, metric, at, value in rows:
        if at < recent:
            total = hours.setdefault((asset_id, metric, floor_hour(at)), [0.0, value, 0])
            total[0], total[1], total[2] = total[0] + value, max(total[1], value), total[2] + 1
    MetricHourly.objects.bulk_create(
        (
            MetricHourly(asset_id=asset_id, metric=metric, hour=hour, total=total, peak=peak, count=count)
            for (asset_id, metric, hour), (total, peak, count) in hours.items()
        ),
        batch_size=2000,
    )
