"""When metrics make an asset degraded, in one place: a UPS on battery or low on charge, a link running full.

Each breach is a reason in words (stored Indonesian, like every state's reason); the recorder's confirmation
and the alert rules for "degraded" do the rest, so a power cut reaches the duty officer like an outage does.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.utils.translation import gettext as _

from monitoring.metrics.catalog import IF_IN_BPS, IF_OUT_BPS, UPS_CHARGE_PCT, UPS_ON_BATTERY_METRIC
from simpul.formats import bitrate, number

DIRECTIONS = {"in": IF_IN_BPS, "out": IF_OUT_BPS}  # in: download on the watched interface, out: upload


@dataclass(frozen=True, slots=True)
class Limits:
    on_battery: bool = True  # running on battery is itself degraded
    charge_below_pct: float | None = None
    throughput_above_pct: float | None = None  # of the contracted bandwidth
    throughput_minutes: int = 15


def power_reasons(metrics: dict[str, float], limits: Limits) -> list[str]:
    on_battery = metrics.get(UPS_ON_BATTERY_METRIC) == 1
    charge = metrics.get(UPS_CHARGE_PCT)
    low = limits.charge_below_pct is not None and charge is not None and charge < limits.charge_below_pct
    if on_battery and (limits.on_battery or low):
        if charge is None:
            return [_("Catu daya dari baterai")]
        return [_("Catu daya dari baterai, sisa %(charge)s %%") % {"charge": number(charge)}]
    if low:
        return [_("Baterai tinggal %(charge)s %%") % {"charge": number(charge)}]
    return []


def throughput_reasons(
    metrics: dict[str, float],
    contracted_mbps: dict[str, Decimal | None],
    limits: Limits,
    over_since: dict[str, datetime],
    interval: tuple[datetime, datetime],
) -> tuple[list[str], dict[str, datetime]]:
    """Reasons for directions above the limit for the whole span, and when each direction went above it.

    A rate covers the `interval` (start, end) between two polls, so a span above the limit begins at the
    start of its first interval. A poll without a rate (agent restart) neither starts nor ends a span.
    """
    start, at = interval
    if limits.throughput_above_pct is None:
        return [], {}
    reasons, still_over = [], {}
    for direction, metric in DIRECTIONS.items():
        contract, rate = contracted_mbps.get(direction), metrics.get(metric)
        if not contract:
            continue
        if rate is None:
            if direction in over_since:
                still_over[direction] = over_since[direction]
            continue
        limit_bps = float(contract) * 1e6 * limits.throughput_above_pct / 100
        if rate <= limit_bps:
            continue
        since = still_over[direction] = over_since.get(direction, start)
        if at - since >= timedelta(minutes=limits.throughput_minutes):
            label = _("Trafik masuk") if direction == "in" else _("Trafik keluar")
            reasons.append(
                _("%(direction)s %(rate)s, di atas %(share)s %% dari kontrak %(contract)s selama %(minutes)d menit")
                % {
                    "direction": label,
                    "rate": bitrate(rate),
                    "share": number(limits.throughput_above_pct),
                    "contract": bitrate(float(contract) * 1e6),
                    "minutes": limits.throughput_minutes,
                }
            )
    return reasons, still_over
