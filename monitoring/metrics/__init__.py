"""SNMP metrics: per-kind profiles of standard MIB objects, counters turned into rates, a compact store of values
and their hourly rollups, and the thresholds that make an asset degraded (a UPS on battery, a full link)."""
