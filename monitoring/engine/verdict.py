"""From a probe result to a verdict: up, degraded, down, or error with a reason."""

from dataclasses import dataclass

from monitoring.engine.results import IcmpResult, SnmpResult


@dataclass(frozen=True, slots=True)
class Thresholds:
    loss_degraded: float = 0.2  # a loss above this (but not total) is degraded
    rtt_degraded_ms: float = 500.0


@dataclass(frozen=True, slots=True)
class Verdict:
    state: str  # "up" | "degraded" | "down" | "error"
    reason: str


UP = Verdict("up", "")  # most verdicts of a cycle: one shared (a frozen dataclass costs ~1 µs to build)


def classify_icmp(result: IcmpResult, thresholds: Thresholds) -> Verdict:
    if result.error is not None:
        return Verdict("error", result.error)
    if result.received == 0:
        detail = f" ({result.send_error})" if result.send_error else ""
        return Verdict("down", f"no reply to {result.sent} echo requests{detail}")
    if result.loss > thresholds.loss_degraded:
        return Verdict("degraded", f"loss {result.loss:.0%}")
    if result.rtt_avg_ms is not None and result.rtt_avg_ms > thresholds.rtt_degraded_ms:
        return Verdict("degraded", f"RTT {result.rtt_avg_ms:.0f} ms")
    return UP


def classify_snmp(result: SnmpResult) -> Verdict:
    if result.status == "timeout":
        return Verdict("down", f"SNMP: {result.reason or 'no response'}")
    if result.status != "ok":
        return Verdict("error", result.reason or result.status)
    down = sorted(i for i, status in result.if_oper_status.items() if status != 1)
    if down:
        return Verdict("degraded", f"interface {', '.join(map(str, down))} not up")
    return UP


def reboot_detected(previous_uptime: int | None, current_uptime: int | None) -> bool:
    """sysUpTime went backwards: the agent restarted (TimeTicks also wrap after 497 days: rare, still worth a look)."""
    return previous_uptime is not None and current_uptime is not None and current_uptime < previous_uptime
