"""Counters to rates through the real path (snmpd serving the counters, the database keeping the last ones)."""

import time
from datetime import UTC, datetime, timedelta

import pytest

from monitoring.metrics import store
from monitoring.metrics.models import MetricCounters
from monitoring.metrics.rates import Reading, counter_rate, interface_metrics
from tests import factories
from tests.monitoring.metrics.agent import values_agent
from tests.monitoring.metrics.polling import poll_once, watch

T0 = datetime(2026, 11, 14, 7, 0, tzinfo=UTC)
TOP = 1 << 64


def at(minute: float) -> datetime:
    return T0 + timedelta(minutes=minute)


def quiet(**counters) -> dict:
    return {"ifInErrors": 0, "ifOutErrors": 0, "ifInDiscards": 0, "ifOutDiscards": 0, "ifHighSpeed": 100, **counters}


@pytest.fixture
def link(tree):
    return factories.asset(
        tree["64.01"], kind="internet_link", name="Link Telkom", provider="Telkom", medium="fibre",
        management_address="127.0.0.1", down_mbps=20, up_mbps=5,
    )  # fmt: skip


def values(asset, metric):
    return [value for _at, value in store.series(asset.pk, metric, at(-1), at(100))]


def test_64_bit_wrap_gives_the_right_rate(link, agent):
    watch(link, agent.port)
    agent.set(**quiet(ifHCInOctets=TOP - 1000, ifHCOutOctets=5_000, ifInErrors=2**32 - 10))
    poll_once(link, at(0))
    agent.set(ifHCInOctets=11_500, ifHCOutOctets=5_000 + 7_500_000, ifInErrors=50)
    poll_once(link, at(1))
    assert values(link, "if_in_bps") == [pytest.approx(12_500 * 8 / 60)]  # past 2^64 and on
    assert values(link, "if_out_bps") == [pytest.approx(1_000_000)]
    assert values(link, "if_in_errors_ps") == [pytest.approx(1.0)]  # a Counter32 wrap too
    assert values(link, "if_speed_bps") == [100e6, 100e6]


def test_the_last_counters_survive_a_poller_restart(link, agent):
    watch(link, agent.port)
    agent.set(**quiet(ifHCInOctets=1_000, ifHCOutOctets=1_000))
    poll_once(link, at(0))
    assert MetricCounters.objects.get(asset=link).counters["ifHCInOctets.99"] == 1_000
    agent.set(ifHCInOctets=1_000 + 750_000)
    poll_once(link, at(1))  # a new engine and nothing in memory: the rate comes from the stored counters
    assert values(link, "if_in_bps") == [pytest.approx(100_000)]


def test_agent_restart_gives_no_spike(link):
    with values_agent() as restarting:
        watch(link, restarting.port)
        restarting.set(**quiet(ifHCInOctets=10**12, ifHCOutOctets=10**9))
        time.sleep(1.2)  # enough sysUpTime for the restart to send it back
        poll_once(link, at(0))
        restarting.agent.restart()
        restarting.set(ifHCInOctets=10**12 + 60 * 1_000_000, ifHCOutOctets=10)  # forward, and back
        poll_once(link, at(1))
        assert values(link, "if_in_bps") == [] and values(link, "if_out_bps") == []  # sysUpTime went back
        restarting.set(ifHCInOctets=10**12 + 120 * 1_000_000, ifHCOutOctets=10 + 60 * 1000)
        poll_once(link, at(2))
    assert values(link, "if_in_bps") == [pytest.approx(8_000_000)]  # rates again from the new counters
    assert values(link, "if_out_bps") == [pytest.approx(8_000)]


def test_a_counter_that_went_back_without_a_restart_gives_no_rate(link, agent):
    watch(link, agent.port)
    agent.set(**quiet(ifHCInOctets=5 * 10**12, ifHCOutOctets=10))
    poll_once(link, at(0))
    agent.set(ifHCInOctets=10)  # cleared counters: a "wrap" would be 2^64 bytes in a minute
    poll_once(link, at(1))
    assert values(link, "if_in_bps") == []
    assert values(link, "if_out_bps") == [0.0]


@pytest.mark.parametrize(
    "before, after, seconds, bits, ceiling, expected",
    [
        (TOP - 1, 0, 1, 64, 10, 1.0),  # a wrap by one
        (100, 50, 1, 64, 1e12, None),  # back without a plausible wrap
        (0, 10**12, 1, 64, 1e9, None),  # a forward jump beyond the link
        (5, 5, 0, 64, 1, None),  # no time between the reads
        (2**32 - 5, 5, 10, 32, 10, 1.0),
    ],
)
def test_counter_rate(before, after, seconds, bits, ceiling, expected):
    assert counter_rate(before, after, seconds, bits, ceiling) == expected


def test_rates_are_summed_over_the_watched_interfaces_or_left_out():
    before = Reading(0, 100, {"ifHCInOctets.1": 0, "ifHCInOctets.2": 0, "ifHCOutOctets.1": 0})
    after = Reading(10, 1100, {"ifHCInOctets.1": 1000, "ifHCInOctets.2": 3000, "ifHCOutOctets.1": 0})
    assert interface_metrics(before, after, {1: 10, 2: 10}) == {"if_speed_bps": 20e6, "if_in_bps": 3200.0,
                                                                "if_out_bps": 0.0}  # fmt: skip
    missing = Reading(
        10, 1100, {"ifHCInOctets.1": 1000, "ifHCInOctets.2": 3000, "ifHCOutOctets.1": 0, "ifHCOutOctets.2": 9}
    )
    assert "if_out_bps" not in interface_metrics(before, missing, {})
