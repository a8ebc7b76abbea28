"""The poll engine: asyncio, no Django. Targets in, results out; errors are values, never exceptions."""

from monitoring.engine.icmp import IcmpPinger
from monitoring.engine.results import IcmpResult, IcmpTarget, SnmpResult, SnmpTarget
from monitoring.engine.snmp import SnmpPoller
from monitoring.engine.verdict import Thresholds, Verdict, classify_icmp, classify_snmp, reboot_detected

__all__ = [
    "IcmpPinger",
    "IcmpResult",
    "IcmpTarget",
    "SnmpPoller",
    "SnmpResult",
    "SnmpTarget",
    "Thresholds",
    "Verdict",
    "classify_icmp",
    "classify_snmp",
    "reboot_detected",
]
