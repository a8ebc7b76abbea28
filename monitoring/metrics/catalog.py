"""The standard MIB objects Simpul reads (no Django): which OIDs a profile asks for, under which labels.

Interface objects are asked per watched ifIndex, labelled "<object>.<ifIndex>"; scalars by their object name.
The 64-bit IF-MIB counters (RFC 2863) need no wrap guessing at link speeds; errors and discards exist only as
Counter32. UPS objects are RFC 1628's (UPS-MIB), which most UPS network cards serve beside their own MIB.
"""

IF_MIB, UPS_MIB = "if_mib", "ups_mib"
GROUPS = (IF_MIB, UPS_MIB)

# object -> (OID prefix, the metric its rate becomes, counter width in bits, metric units per counter unit)
INTERFACE_COUNTERS = {
    "ifHCInOctets": ("1.3.6.1.2.1.31.1.1.1.6", "if_in_bps", 64, 8),
    "ifHCOutOctets": ("1.3.6.1.2.1.31.1.1.1.10", "if_out_bps", 64, 8),
    "ifInErrors": ("1.3.6.1.2.1.2.2.1.14", "if_in_errors_ps", 32, 1),
    "ifOutErrors": ("1.3.6.1.2.1.2.2.1.20", "if_out_errors_ps", 32, 1),
    "ifInDiscards": ("1.3.6.1.2.1.2.2.1.13", "if_in_discards_ps", 32, 1),
    "ifOutDiscards": ("1.3.6.1.2.1.2.2.1.19", "if_out_discards_ps", 32, 1),
}
IF_HIGH_SPEED = "ifHighSpeed"  # Gauge32, Mbit/s
IF_HIGH_SPEED_OID = "1.3.6.1.2.1.31.1.1.1.15"

UPS_OUTPUT_SOURCE = "upsOutputSource"  # INTEGER: other(1) none(2) normal(3) bypass(4) battery(5) booster(6) reducer(7)
UPS_ON_BATTERY = 5
UPS_SCALARS = {
    UPS_OUTPUT_SOURCE: "1.3.6.1.2.1.33.1.4.1.0",
    "upsEstimatedChargeRemaining": "1.3.6.1.2.1.33.1.2.4.0",  # %
    "upsEstimatedMinutesRemaining": "1.3.6.1.2.1.33.1.2.3.0",
    "upsInputVoltage": "1.3.6.1.2.1.33.1.3.3.1.3.1",  # RMS volts of input line 1
}
UPS_METRICS = {
    "upsEstimatedChargeRemaining": "ups_charge_pct",
    "upsEstimatedMinutesRemaining": "ups_runtime_min",
    "upsInputVoltage": "ups_input_v",
}

IF_IN_BPS, IF_OUT_BPS, IF_SPEED_BPS = "if_in_bps", "if_out_bps", "if_speed_bps"
UPS_ON_BATTERY_METRIC, UPS_CHARGE_PCT = "ups_on_battery", "ups_charge_pct"
STANDARD_METRICS = frozenset(
    [metric for _oid, metric, _bits, _factor in INTERFACE_COUNTERS.values()]
    + [IF_SPEED_BPS, UPS_ON_BATTERY_METRIC, *UPS_METRICS.values()]
)


def profile_oids(
    groups: tuple[str, ...], if_indexes: tuple[int, ...], oids: dict[str, str]
) -> tuple[tuple[str, str], ...]:
    """(label, OID) of every object a profile asks for on an asset watching `if_indexes`."""
    asked: list[tuple[str, str]] = []
    if IF_MIB in groups:
        objects = {name: prefix for name, (prefix, *_rest) in INTERFACE_COUNTERS.items()}
        objects[IF_HIGH_SPEED] = IF_HIGH_SPEED_OID
        asked += [(f"{name}.{index}", f"{prefix}.{index}") for index in if_indexes for name, prefix in objects.items()]
    if UPS_MIB in groups:
        asked += list(UPS_SCALARS.items())
    asked += sorted(oids.items())
    return tuple(asked)
