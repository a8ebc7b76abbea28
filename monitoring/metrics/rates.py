"""Counters into rates (no Django), never a negative rate nor a spike from a counter that started again.

A counter read twice gives a rate over the wall time between the reads. A counter lower than before has
either wrapped (it went past 2^bits) or started again from zero (the agent restarted, the interface was
reset, counters were cleared). The agent restarting is known for sure when sysUpTime went back: no rate.
Otherwise a wrap is believed only if the rate it gives is one the interface can carry (its speed, or a
ceiling when the agent does not say); a forward jump beyond that is no rate either. No rate for an
interval leaves a gap in the chart, which is what happened: we do not know.
"""

from dataclasses import dataclass

from monitoring.metrics.catalog import IF_HIGH_SPEED, IF_SPEED_BPS, INTERFACE_COUNTERS

MARGIN = 1.1  # agents round ifHighSpeed, and polls are not exactly an interval apart
UNKNOWN_SPEED_BPS = 1e12  # no interface of a BPBD carries a terabit: the ceiling when the agent gives no speed
MIN_FRAME_BITS = 64 * 8  # the most packets (hence errors, discards) a link of a given speed can carry


@dataclass(frozen=True, slots=True)
class Reading:
    """Counters of one poll: label ("ifHCInOctets.2") -> value, with the agent's sysUpTime and the poll's time."""

    at: float  # seconds since the epoch
    sys_uptime: int | None
    counters: dict[str, int]


def counter_rate(before: int, after: int, seconds: float, bits: int, ceiling: float) -> float | None:
    """Counter units per second between two reads, or None when no rate can be trusted."""
    if seconds <= 0:
        return None
    delta = after - before
    if delta < 0:
        delta += 1 << bits  # a wrap, if the rate it gives fits the interface
    rate = delta / seconds
    return rate if 0 <= rate <= ceiling else None


def restarted(before: Reading, after: Reading) -> bool:
    return before.sys_uptime is not None and after.sys_uptime is not None and after.sys_uptime < before.sys_uptime


def interface_metrics(before: Reading | None, after: Reading, speeds: dict[int, int]) -> dict[str, float]:
    """Rates summed over the watched interfaces (the asset's traffic), and their speed, in bits or events/s.

    `speeds`: ifIndex -> ifHighSpeed (Mbit/s) as read now. A rate is left out unless every interface gave one:
    a sum over some of them would understate the traffic.
    """
    metrics: dict[str, float] = {}
    if speeds:
        metrics[IF_SPEED_BPS] = sum(speeds.values()) * 1e6
    if before is None or restarted(before, after):
        return metrics
    seconds = after.at - before.at
    for name, (_oid, metric, bits, factor) in INTERFACE_COUNTERS.items():
        total, complete = 0.0, False
        for label, value in after.counters.items():
            counter, _dot, index = label.partition(".")
            if counter != name:
                continue
            link_bps = speeds.get(int(index)) * 1e6 * MARGIN if speeds.get(int(index)) else UNKNOWN_SPEED_BPS
            ceiling = link_bps / factor if factor == 8 else link_bps / MIN_FRAME_BITS
            previous = before.counters.get(label)
            rate = None if previous is None else counter_rate(previous, value, seconds, bits, ceiling)
            if rate is None:
                complete = False
                break
            total, complete = total + rate * factor, True
        if complete:
            metrics[metric] = total
    return metrics


def split_interface_values(values: dict[str, object]) -> tuple[dict[str, int], dict[int, int]]:
    """From a poll's labelled values: the interface counters, and ifIndex -> ifHighSpeed."""
    counters, speeds = {}, {}
    for label, value in values.items():
        name, dot, index = label.partition(".")
        if not dot or not index.isdigit() or not isinstance(value, int) or isinstance(value, bool):
            continue
        if name in INTERFACE_COUNTERS:
            counters[label] = value
        elif name == IF_HIGH_SPEED:
            speeds[int(index)] = value
    return counters, speeds
