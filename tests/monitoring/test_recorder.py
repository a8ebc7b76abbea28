"""Observations in, states, samples, outages and events out, against a real database."""

from datetime import UTC, datetime, timedelta

import pytest

from monitoring.models import AssetState, Event, MaintenanceWindow, Outage, ProbeConfig, Sample
from monitoring.observations import Observation
from monitoring.recorder import record
from tests import factories

T0 = datetime(2026, 11, 1, 2, 0, tzinfo=UTC)


def obs(asset, minute: int, verdict: str, **extra) -> Observation:
    return Observation(asset_id=asset.pk, at=T0 + timedelta(minutes=minute), source="icmp", verdict=verdict, **extra)


def feed(asset, verdicts: str, start: int = 0, **extra) -> None:
    names = {"u": "up", "d": "down", "e": "error", "g": "degraded"}
    for offset, letter in enumerate(verdicts):
        record([obs(asset, start + offset, names[letter], **extra)], now=T0 + timedelta(minutes=start + offset))


@pytest.fixture
def router(tree):
    return factories.asset(tree["64.01"], management_address="127.64.1.3")


def state_of(asset) -> AssetState:
    return AssetState.objects.get(asset=asset)


def test_one_lost_packet_opens_no_outage(router):
    feed(router, "uuduu")
    assert state_of(router).state == "up"
    assert not Outage.objects.exists()
    assert Sample.objects.filter(asset=router).count() == 5


def test_confirmed_down_opens_one_outage_from_first_failure_and_recovery_closes_it(router):
    feed(router, "uddddd")
    outage = Outage.objects.get(asset=router)
    assert outage.started_at == T0 + timedelta(minutes=1) and outage.ended_at is None
    assert state_of(router).state == "down"
    feed(router, "uuu", start=6)
    outage.refresh_from_db()
    assert outage.ended_at == T0 + timedelta(minutes=6)
    assert state_of(router).state == "up"
    assert Outage.objects.count() == 1


def test_replayed_batch_records_nothing_twice(router):
    batch = [obs(router, minute, "down") for minute in range(4)]
    first = record(batch, now=T0)
    again = record(batch, now=T0)
    assert first.samples == 4 and again.samples == 0 and again.skipped == 4
    assert Outage.objects.count() == 1 and Sample.objects.count() == 4


def test_next_poll_follows_the_interval(router):
    record([obs(router, 0, "up")])
    assert state_of(router).next_poll_at == T0 + timedelta(seconds=60)
    ProbeConfig.objects.create(asset=router, interval_s=300)
    record([obs(router, 1, "up")])
    assert state_of(router).next_poll_at == T0 + timedelta(minutes=1, seconds=300)


def test_dependant_of_a_down_parent_is_unreachable_without_outage(tree):
    link = factories.asset(
        tree["64.01"], kind="internet_link", provider="Telkom", medium="fibre", management_address="127.64.1.1"
    )
    repeater = factories.asset(tree["64.01"], kind="repeater", band="vhf", management_address="127.64.1.10")
    ProbeConfig.objects.create(asset=repeater, depends_on=link)
    for minute in range(4):
        # the dependant comes first in the batch: the recorder must still judge the parent first
        record([obs(repeater, minute, "down"), obs(link, minute, "down")], now=T0 + timedelta(minutes=minute))
    assert state_of(link).state == "down"
    child = state_of(repeater)
    assert child.state == "unreachable" and child.caused_by_id == link.pk
    assert list(Outage.objects.values_list("asset_id", "took_down")) == [(link.pk, 1)]


def test_maintenance_window_suppresses_outage(router, tree):
    MaintenanceWindow.objects.create(
        agency=tree["64.01"], asset=router, starts_at=T0, ends_at=T0 + timedelta(hours=1), reason="ganti kabel"
    )
    feed(router, "udddd")
    assert state_of(router).state == "maintenance"
    assert not Outage.objects.exists()


def test_entering_maintenance_closes_the_open_outage(router, tree):
    feed(router, "udddd")
    MaintenanceWindow.objects.create(
        agency=tree["64.01"],
        site=None,
        starts_at=T0 + timedelta(minutes=5),
        ends_at=T0 + timedelta(hours=1),
        reason="perbaikan",
    )
    feed(router, "d", start=5)
    assert state_of(router).state == "maintenance"
    assert Outage.objects.get().ended_at == T0 + timedelta(minutes=5)


def test_reboot_is_an_event(router):
    record([obs(router, 0, "up", sys_uptime=500_000, sys_name="rtr")])
    record([obs(router, 1, "up", sys_uptime=500_600)])
    assert not Event.objects.exists()
    record([obs(router, 2, "up", sys_uptime=1_200)])
    event = Event.objects.get()
    assert event.kind == "reboot" and "500600" in event.detail
    assert state_of(router).sys_name == "rtr"


def test_snmp_auth_error_is_not_down(router):
    feed(router, "u")
    feed(router, "eeee", start=1, snmp_auth_error="SNMP authentication failed: wrong digest")
    assert state_of(router).state == "unknown"
    assert not Outage.objects.exists()
    assert Event.objects.filter(kind="snmp_auth_error").count() == 4


def test_open_outage_is_unique_per_asset_in_the_database(router):
    from django.db import IntegrityError, transaction

    Outage.objects.create(asset=router, started_at=T0)
    with pytest.raises(IntegrityError), transaction.atomic():
        Outage.objects.create(asset=router, started_at=T0 + timedelta(minutes=1))


def test_observation_for_a_deleted_asset_is_ignored(router):
    ghost = Observation(asset_id=router.pk + 1000, at=T0, source="icmp", verdict="down")
    assert record([ghost, obs(router, 0, "up")]).samples == 1


def test_an_outage_opened_and_closed_within_one_replayed_batch_ends(router):
    # A poller that buffered the whole episode while the database was away writes it in one batch.
    names = {"u": "up", "d": "down"}
    record([obs(router, minute, names[letter]) for minute, letter in enumerate("uddddduuu")], now=T0)
    outage = Outage.objects.get()
    assert (outage.started_at, outage.ended_at) == (T0 + timedelta(minutes=1), T0 + timedelta(minutes=6))
    assert state_of(router).state == "up"


def test_a_dependant_is_held_only_while_its_failing_parent_is_still_polled(router, tree):
    link = factories.asset(tree["64.01"], name="Link", management_address="127.64.1.1")
    ProbeConfig.objects.create(asset=router, depends_on=link)
    feed(link, "udd")  # failing, not confirmed yet
    feed(router, "uddd")
    assert state_of(router).state == "up" and state_of(router).pending_count == 3  # held: maybe the link's
    link.status = "retired"  # no longer polled: it will never confirm, so nothing is left to wait for
    link.save()
    feed(router, "d", start=4)
    assert state_of(router).state == "down" and Outage.objects.get(asset=router).started_at == T0 + timedelta(minutes=1)


def test_a_dependant_held_by_its_parents_blip_gets_its_own_outage_from_its_first_silence(router, tree):
    link = factories.asset(tree["64.01"], name="Link", management_address="127.64.1.1")
    ProbeConfig.objects.create(asset=router, depends_on=link)
    polls = [  # (seconds after T0, asset, verdict): the router is polled 10 s before the link
        (-10, router, "up"), (0, link, "up"),
        (50, router, "down"), (60, link, "down"),
        (110, router, "down"), (120, link, "down"),
        (170, router, "down"), (180, link, "up"),  # the router's third silence comes while the link fails
        (230, router, "down"),
    ]  # fmt: skip
    for second, asset, verdict in polls:
        record([Observation(asset.pk, T0 + timedelta(seconds=second), "icmp", verdict)], now=T0)
        if second == 170:
            assert (state_of(router).state, state_of(router).pending_count) == ("up", 3)  # held: maybe the link's
    assert state_of(link).state == "up" and state_of(router).state == "down"  # the link answered: the router's own
    assert Outage.objects.get().asset_id == router.pk
    assert Outage.objects.get().started_at == T0 + timedelta(seconds=50)
