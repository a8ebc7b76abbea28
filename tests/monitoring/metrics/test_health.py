"""Metric thresholds in the health model, through the real path: snmpd, the poll, the recorder's confirmation."""

from datetime import UTC, datetime, timedelta

import pytest

from monitoring.metrics import store
from monitoring.metrics.models import MetricProfile
from monitoring.models import AssetState, KindPolicy
from tests import factories
from tests.monitoring.metrics.polling import poll_once, watch
from tests.monitoring.metrics.test_rates import quiet

T0 = datetime(2026, 11, 14, 7, 0, tzinfo=UTC)
MBIT_MINUTE = 1_000_000 * 60 // 8  # bytes a minute at 1 Mbit/s


def at(minute: float) -> datetime:
    return T0 + timedelta(minutes=minute)


@pytest.fixture
def ups(tree, agent):
    asset = factories.asset(tree["64.01"], kind="ups", name="UPS Pusdalops", management_address="127.0.0.1")
    watch(asset, agent.port, if_indexes=())
    return asset


def state(asset) -> AssetState:
    return AssetState.objects.get(asset=asset)


def test_a_power_cut_makes_the_ups_degraded_with_the_reason_once_confirmed(ups, agent):
    agent.set(upsOutputSource=3, upsEstimatedChargeRemaining=100, upsEstimatedMinutesRemaining=90, upsInputVoltage=221)
    poll_once(ups, at(0))
    assert state(ups).state == "up"
    agent.set(upsOutputSource=5, upsEstimatedChargeRemaining=64, upsInputVoltage=0)
    for minute in (1, 2):
        assert poll_once(ups, at(minute)).reason == "Catu daya dari baterai, sisa 64 %"
        assert state(ups).state == "up"  # not confirmed yet (three results)
    poll_once(ups, at(3))
    row = state(ups)
    assert (row.state, row.since, row.reason) == ("degraded", at(1), "Catu daya dari baterai, sisa 64 %")
    window = store.series(ups.pk, "ups_on_battery", at(0), at(4))
    assert [value for _at, value in window] == [0.0, 1.0, 1.0, 1.0]
    assert store.series(ups.pk, "ups_input_v", at(0), at(1)) == [(at(0), 221.0)]
    assert store.series(ups.pk, "ups_runtime_min", at(0), at(1)) == [(at(0), 90.0)]


def test_charge_below_the_limit_is_degraded_even_on_mains(ups, agent):
    MetricProfile.objects.filter(kind="ups").update(charge_below_pct=50)
    agent.set(upsOutputSource=3, upsEstimatedChargeRemaining=40, upsEstimatedMinutesRemaining=20, upsInputVoltage=220)
    assert poll_once(ups, at(0)).reason == "Baterai tinggal 40 %"
    agent.set(upsEstimatedChargeRemaining=50)
    assert poll_once(ups, at(1)).verdict == "up"  # at the limit is not below it


def test_on_battery_is_not_degraded_when_the_profile_says_so_unless_charge_is_low(ups, agent):
    MetricProfile.objects.filter(kind="ups").update(on_battery_degraded=False, charge_below_pct=30)
    agent.set(upsOutputSource=5, upsEstimatedChargeRemaining=80)
    assert poll_once(ups, at(0)).verdict == "up"
    agent.set(upsEstimatedChargeRemaining=25)
    assert poll_once(ups, at(1)).reason == "Catu daya dari baterai, sisa 25 %"


@pytest.fixture
def link(tree, agent):
    asset = factories.asset(
        tree["64.01"], kind="internet_link", name="Link Telkom", provider="Telkom", medium="fibre",
        management_address="127.0.0.1", down_mbps=20, up_mbps=5,
    )  # fmt: skip
    watch(asset, agent.port)
    return asset


def run_traffic(link, agent, minutes: int, in_mbit: float, start: int = 0) -> list:
    """Poll each minute from `start` with `in_mbit` Mbit/s coming in (and 1 going out); the observations."""
    inbound, outbound, seen = 10**9, 10**9, []
    agent.set(**quiet(ifHCInOctets=inbound, ifHCOutOctets=outbound))
    for minute in range(start, start + minutes + 1):
        if minute > start:
            inbound, outbound = inbound + int(in_mbit * MBIT_MINUTE), outbound + MBIT_MINUTE
            agent.set(ifHCInOctets=inbound, ifHCOutOctets=outbound)
        seen.append(poll_once(link, at(minute)))
    return seen


def test_throughput_above_90_percent_of_the_contract_for_15_minutes_is_degraded_and_not_for_14(link, agent):
    seen = run_traffic(link, agent, 15, in_mbit=19)  # 95 % of 20 Mbit/s, the first rate at minute 1
    assert [o.verdict for o in seen[:15]] == ["up"] * 15  # minute 14: above for 14 minutes
    assert seen[15].verdict == "degraded"  # minute 15: above since minute 0, the start of the first interval
    assert seen[15].reason == "Trafik masuk 19 Mbps, di atas 90 % dari kontrak 20 Mbps selama 15 menit"


def test_throughput_below_the_limit_or_without_a_contract_is_up(link, agent):
    assert all(o.verdict == "up" for o in run_traffic(link, agent, 16, in_mbit=17.9))
    link.down_mbps = None
    link.save()
    assert all(o.verdict == "up" for o in run_traffic(link, agent, 16, in_mbit=50, start=100))


def test_profile_and_vendor_oids_are_stored_under_their_labels(tree, agent):
    MetricProfile.objects.create(kind="repeater", oids={"processes": "1.3.6.1.2.1.25.1.6.0"})  # HOST-RESOURCES
    KindPolicy.objects.create(kind="repeater", extra_oids={"signal_dbm": "1.3.6.1.2.1.33.1.3.3.1.3.1"})
    repeater = factories.asset(tree["64.01"], kind="repeater", band="vhf", management_address="127.0.0.1")
    watch(repeater, agent.port, if_indexes=())
    agent.set(upsInputVoltage=212)  # stands in for a vendor's signal object
    poll_once(repeater, at(0))
    ((_at, processes),) = store.series(repeater.pk, "processes", at(0), at(1))
    assert processes >= 1  # hrSystemProcesses of the snmpd host
    assert store.series(repeater.pk, "signal_dbm", at(0), at(1)) == [(at(0), 212.0)]
