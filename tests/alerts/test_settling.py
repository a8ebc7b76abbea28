"""One root cause, one alert, whatever the poll phases: a dependant polled more often than its parent is
confirmed down first; its alert waits while its outage may still be the parent's, and merges into the
parent's alert once the parent is confirmed down (transition down -> unreachable)."""

from datetime import timedelta

from django.core import mail

from alerts.choices import AlertState, TimelineKind
from alerts.cycle import after_poll_cycle
from alerts.models import Alert, Message
from alerts.settling import HOLD_MARGIN
from monitoring.models import Outage, ProbeConfig, Transition
from monitoring.observations import Observation
from monitoring.recorder import record
from tests import factories
from tests.alerts.flow import T0

FAILS = 100  # seconds after T0 when the link fails


def at(seconds: float):
    return T0 + timedelta(seconds=seconds)


def run(nodes: list[tuple[object, int, int]], until: int, silent_from: int = FAILS) -> None:
    """Poll each (asset, interval, phase) through the real recorder, one cycle per second with results,
    and run the poller's after-cycle hook after each."""
    moments = sorted({s for _a, interval, phase in nodes for s in range(phase, until, interval)})
    for moment in moments:
        batch = [
            Observation(asset.pk, at(moment), "icmp", "down" if moment >= silent_from else "up")
            for asset, interval, phase in nodes
            if moment >= phase and (moment - phase) % interval == 0
        ]
        record(batch, now=at(moment))
        after_poll_cycle(at(moment))


def scene(paser):
    link = factories.asset(paser, kind="internet_link", name="Uplink", provider="Telkom", medium="fibre")
    link.management_address = "127.64.1.1"
    link.save()
    repeater = factories.asset(paser, kind="repeater", band="vhf", name="Repeater", management_address="127.64.1.2")
    ProbeConfig.objects.create(asset=link, interval_s=60)
    ProbeConfig.objects.create(asset=repeater, interval_s=10, depends_on=link)
    return link, repeater


def test_dependant_down_first_merges_into_the_parents_alert_and_is_never_sent(paser, on_duty):
    link, repeater = scene(paser)
    run([(link, 60, 30), (repeater, 10, 5)], until=400)

    # The repeater was confirmed down on its own (its parent unheard), then taken over by the link.
    assert list(Transition.objects.filter(asset=repeater).values_list("old_state", "new_state")) == [
        ("unknown", "up"),
        ("up", "down"),
        ("down", "unreachable"),
    ]
    assert list(Outage.objects.values_list("asset_id", flat=True)) == [link.pk]
    own = Alert.objects.get(asset=repeater)
    assert own.state == AlertState.RESOLVED and own.notified_at is None
    parent = Alert.objects.get(asset=link)
    assert parent.state == AlertState.OPEN and list(parent.affected.all()) == [repeater]
    merged = own.timeline.get(kind=TimelineKind.MERGED)
    assert merged.detail == f"#{parent.pk} {parent.summary}"
    assert not Message.objects.filter(alert=own).exists()  # its own "down" never went out
    assert len(mail.outbox) == 1 and "Uplink" in mail.outbox[0].subject
    assert "Ikut terputus: 1 aset (Repeater)." in mail.outbox[0].body


def test_a_held_alert_goes_out_once_the_parent_has_had_its_time(paser, on_duty):
    link, repeater = scene(paser)
    # The link answers once, then its results stop arriving (its poller is away): it stays unheard.
    run([(link, 60, 30), (repeater, 10, 5)], until=95)
    run([(repeater, 10, 5)], until=400, silent_from=FAILS)
    own = Alert.objects.get(asset=repeater)
    bound = own.started_at + timedelta(seconds=60 * 3) + HOLD_MARGIN  # the link's interval x confirmations
    assert own.notified_at is not None and bound <= own.notified_at <= bound + timedelta(seconds=10)
    assert len(mail.outbox) == 1 and "Repeater" in mail.outbox[0].subject
