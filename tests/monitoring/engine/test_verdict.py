"""From results to verdicts: the states the recorder turns into outages."""

import pytest

from monitoring.engine import IcmpResult, SnmpResult, Thresholds, classify_icmp, classify_snmp


def icmp(sent=3, received=3, rtt=1.0, error=None):
    rtts = {} if not received else {"rtt_min_ms": rtt, "rtt_avg_ms": rtt, "rtt_max_ms": rtt}
    return IcmpResult(1, "10.0.0.1", "10.0.0.1", sent=sent, received=received, error=error, **rtts)


@pytest.mark.parametrize(
    ("result", "state"),
    [
        (icmp(), "up"),
        (icmp(received=2), "degraded"),  # 33% loss > 20%
        (icmp(sent=10, received=9), "up"),  # 10% loss
        (icmp(rtt=800.0), "degraded"),
        (icmp(received=0), "down"),
        (icmp(sent=0, received=0, error="malformed address: 'x'"), "error"),
    ],
)
def test_icmp_verdicts(result, state):
    assert classify_icmp(result, Thresholds()).state == state


def test_icmp_loss_is_total_when_nothing_was_sent():
    assert icmp(sent=0, received=0).loss == 1.0


@pytest.mark.parametrize(
    ("status", "interfaces", "state"),
    [
        ("ok", {1: 1, 2: 1}, "up"),
        ("ok", {1: 1, 2: 2}, "degraded"),
        ("timeout", {}, "down"),
        ("auth_error", {}, "error"),
        ("error", {}, "error"),
    ],
)
def test_snmp_verdicts(status, interfaces, state):
    reason = "SNMP authentication failed: wrong digest" if status == "auth_error" else None
    verdict = classify_snmp(SnmpResult(1, "10.0.0.1", status, reason, if_oper_status=interfaces))
    assert verdict.state == state
    if state == "degraded":
        assert "2" in verdict.reason
