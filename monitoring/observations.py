"""What the poll path hands to the recorder: one observation per asset per poll (plain data, no Django)."""

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(slots=True)
class Observation:
    asset_id: int
    at: datetime  # aware, UTC
    source: str  # monitoring.choices.Source
    verdict: str  # "up" | "degraded" | "down" | "error"
    reason: str = ""
    rtt_ms: float | None = None
    rtt_max_ms: float | None = None
    loss: float | None = None
    sys_uptime: int | None = None
    sys_name: str | None = None
    snmp_auth_error: str = ""  # what the agent refused, when SNMP authentication failed
    snmp_values: dict[str, str | int | float | None] = field(default_factory=dict)  # label -> value (metrics)
