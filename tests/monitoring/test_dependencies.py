"""Whose outage a dependant's silence is, whatever the poll phases and the order results arrive in.

A link fails and takes every asset behind it down with it. Each asset is polled at its own interval
and phase; the observations go through the real recorder and the real corrective hook (run once a
minute, as the poller runs it after its cycles), in time order, late, or buffered. Whatever the
timing, the outcome must be the design rule's: one outage (the root cause's) counting what it took
down, the dependants unreachable without outages or corrective work, and everything up after the repair.
"""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from itertools import groupby

import pytest

from maintenance.corrective import open_corrective_orders
from maintenance.models import CorrectiveRule, WorkOrder
from monitoring.models import AssetState, Outage, ProbeConfig
from monitoring.observations import Observation
from monitoring.recorder import record
from tests import factories

T0 = datetime(2026, 11, 1, 2, 0, tzinfo=UTC)
FAILS = 100  # seconds after T0 when the link fails
THRESHOLD = 5 * 60  # an outage this long opens a corrective work order
CONFIRM = 3  # the default confirmation count
LAG = 7  # seconds a late asset's results reach the recorder after the others'


@dataclass
class Node:
    """An asset of the scenario: its parent (by name), poll interval, and the second of its first poll."""

    name: str
    parent: str | None
    interval: int
    phase: int
    pk: int = 0

    def polls(self, silent: tuple[int, int], end: int) -> list[Observation]:
        return [
            Observation(self.pk, at(moment), "icmp", "down" if silent[0] <= moment < silent[1] else "up")
            for moment in range(self.phase, end, self.interval)
        ]


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


def arrivals(made: list[Observation], mode: str, late: set[int]) -> list[tuple[float, list[Observation]]]:
    """The batches the recorder gets: as polled, with the `late` assets' results LAG s late, or all at once."""
    if mode == "buffered":  # a poller that kept everything while the database was away
        return [(max((o.at - T0).total_seconds() for o in made), made)]

    def arrival(o: Observation) -> float:
        return (o.at - T0).total_seconds() + (LAG if mode == "parent late" and o.asset_id in late else 0)

    return [(moment, list(group)) for moment, group in groupby(sorted(made, key=arrival), key=arrival)]


def deliver(batches: list[tuple[float, list[Observation]]]) -> None:
    """Record each batch when it arrives; run the corrective hook after it, at most once a minute."""
    last_hook = None
    for arrival, batch in batches:
        record(batch, now=at(arrival))
        if last_hook is None or arrival - last_hook >= 60 or arrival == batches[-1][0]:
            open_corrective_orders(at(arrival))
            last_hook = arrival


@pytest.fixture
def build(tree):
    CorrectiveRule.objects.create(kind="router", after_minutes=THRESHOLD // 60)

    def make(*nodes: Node) -> dict[str, Node]:
        made = {}
        for number, node in enumerate(nodes, start=1):
            asset = factories.asset(tree["64.01"], name=node.name, management_address=f"127.64.7.{number}")
            parent = made[node.parent].pk if node.parent else None
            ProbeConfig.objects.create(asset=asset, interval_s=node.interval, depends_on_id=parent)
            node.pk = asset.pk
            made[node.name] = node
        return made

    return make


def assert_one_outage_for_one_root_cause(nodes: dict[str, Node], mode: str) -> None:
    """Deliver the link's outage, check the rule while it is still down, then deliver the repair and check again."""
    root, *dependants = nodes.values()
    slowest = (CONFIRM + 1) * max(n.interval for n in nodes.values())  # every state confirmed by then
    repaired = FAILS + max(slowest, THRESHOLD + 120)
    end = repaired + slowest
    made = [o for node in nodes.values() for o in node.polls(silent=(FAILS, repaired), end=end)]
    parents = {n.pk for n in nodes.values() if any(other.parent == n.name for other in nodes.values())}
    deliver(arrivals([o for o in made if o.at < at(repaired)], mode, late=parents))

    states = {s.asset_id: s for s in AssetState.objects.all()}
    assert states[root.pk].state == "down"
    for node in dependants:
        assert (states[node.pk].state, states[node.pk].caused_by_id) == ("unreachable", root.pk), node.name
    outage = Outage.objects.get()  # one root cause, one outage...
    assert outage.asset_id == root.pk and outage.took_down == len(dependants)  # ...counting what it took down
    assert list(WorkOrder.objects.values_list("asset_id", flat=True)) == [root.pk]  # the hook ran past its threshold

    deliver(arrivals([o for o in made if o.at >= at(repaired)], mode, late=parents))
    assert {s.asset_id: s.state for s in AssetState.objects.all()} == {n.pk: "up" for n in nodes.values()}
    outage.refresh_from_db()
    assert outage.ended_at is not None and outage.took_down == len(dependants)
    assert Outage.objects.count() == 1 and list(WorkOrder.objects.values_list("asset_id", flat=True)) == [root.pk]


PHASES = [
    # (dependant's interval, parent's interval, dependant polled this many seconds after the parent)
    pytest.param(60, 60, -1, id="same-interval-1s-before"),
    pytest.param(60, 60, -5, id="same-interval-5s-before"),
    pytest.param(60, 60, -20, id="same-interval-20s-before"),
    pytest.param(60, 60, 5, id="same-interval-5s-after"),
    pytest.param(10, 60, -1, id="dependant-10s-parent-60s-1s-before"),
    pytest.param(10, 60, -5, id="dependant-10s-parent-60s-5s-before"),
    pytest.param(60, 10, -5, id="dependant-60s-parent-10s-5s-before"),
    pytest.param(30, 600, -5, id="parent-polled-less-often-than-the-corrective-threshold"),
]


@pytest.mark.parametrize(("own", "parent", "offset"), PHASES)
def test_dependant_silence_belongs_to_the_parent_whatever_the_phase(build, own, parent, offset):
    nodes = build(Node("link", None, parent, 30), Node("repeater", "link", own, (30 + offset) % own))
    assert_one_outage_for_one_root_cause(nodes, "in order")


@pytest.mark.parametrize("mode", ["parent late", "buffered"])
@pytest.mark.parametrize(("own", "parent", "offset"), [PHASES[1], PHASES[5], PHASES[6]])
def test_whatever_order_the_results_arrive_in(build, own, parent, offset, mode):
    nodes = build(Node("link", None, parent, 30), Node("repeater", "link", own, (30 + offset) % own))
    assert_one_outage_for_one_root_cause(nodes, mode)


@pytest.mark.parametrize("mode", ["in order", "parent late", "buffered"])
def test_a_chain_uplink_router_repeater_has_one_outage(build, mode):
    nodes = build(
        Node("uplink", None, 60, 30),
        Node("router", "uplink", 60, 25),
        Node("repeater", "router", 10, 4),
        Node("radio link", "router", 60, 29),
    )
    assert_one_outage_for_one_root_cause(nodes, mode)


def test_a_dependant_down_on_its_own_before_the_parent_keeps_its_outage(build):
    nodes = build(Node("link", None, 60, 30), Node("repeater", "link", 60, 25))
    link_fails, end = FAILS + 20 * 60, FAILS + 40 * 60
    made = nodes["repeater"].polls(silent=(FAILS, end), end=end) + nodes["link"].polls(
        silent=(link_fails, end), end=end
    )
    deliver(arrivals(made, "in order", late=set()))
    repeater = AssetState.objects.get(asset_id=nodes["repeater"].pk)
    assert repeater.state == "down" and repeater.caused_by_id is None
    own = Outage.objects.get(asset_id=nodes["repeater"].pk)
    assert own.started_at == at(145) and own.ended_at is None  # its first poll after FAILS
    link = Outage.objects.get(asset_id=nodes["link"].pk)
    assert link.took_down == 0
    assert set(WorkOrder.objects.values_list("asset_id", flat=True)) == {nodes["repeater"].pk, nodes["link"].pk}
