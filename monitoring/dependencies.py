"""The dependency tree (ProbeConfig.depends_on) around some assets, loaded in a few queries.

A dependant's silence may be an ancestor's outage; `Tree.attribution` applies the rule
(monitoring.health.attribute) to an asset's path. The recorder loads the paths above the assets it
records and the dependants below them, so that an asset falling takes its dependants' silences over
in the same cycle. What acts on an outage (corrective work, and alerts to come) first asks
`unsettled_outages`: an outage whose ancestor has not been heard from since it began may still turn
out to be that ancestor's, and then it is withdrawn.
"""

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from monitoring.health import Ancestor, Attribution, attribute
from monitoring.lookups import chunks
from monitoring.models import Outage, ProbeConfig
from monitoring.policies import pollable_assets
from monitoring.state_rows import StateRow, read_states

MAX_DEPTH = 16  # as deep as ProbeConfig.clean() follows a chain


@dataclass
class Tree:
    parents: dict[int, int] = field(default_factory=dict)  # asset -> the asset it depends on
    children: dict[int, list[int]] = field(default_factory=dict)  # only below the assets loaded with dependants
    states: dict[int, StateRow] = field(default_factory=dict)
    polled: set[int] = field(default_factory=set)  # assets with dependants that are still polled

    def path(self, asset_id: int) -> Iterator[int]:
        """The ancestors of `asset_id`, parent first."""
        current = asset_id
        for _step in range(MAX_DEPTH):
            current = self.parents.get(current)
            if current is None or current == asset_id:
                return
            yield current

    def depth(self, asset_id: int) -> int:
        if asset_id not in self.parents:  # most assets: the recorder sorts every observation of a cycle by this
            return 0
        return sum(1 for _ancestor in self.path(asset_id))

    def descendants(self, asset_id: int) -> Iterator[int]:
        """Every asset below `asset_id`, each after its parent."""
        level = self.children.get(asset_id, [])
        for _step in range(MAX_DEPTH):
            if not level:
                return
            yield from level
            level = [child for parent in level for child in self.children.get(parent, [])]

    def attribution(self, asset_id: int, silence_began: datetime) -> Attribution:
        """Whose outage the silence of `asset_id` since `silence_began` is (see health.attribute)."""
        return attribute(silence_began, (self._ancestor(pk) for pk in self.path(asset_id) if pk in self.states))

    def _ancestor(self, asset_id: int) -> Ancestor:
        row = self.states[asset_id]
        return Ancestor(
            asset_id=asset_id,
            state=row.state,
            pending_state=row.pending_state,
            answered_at=row.last_answered_at,
            caused_by=row.caused_by_id,
            polled=asset_id in self.polled,
        )


def load_tree(asset_ids: set[int], *, dependants: bool) -> Tree:
    """The paths above `asset_ids` and, with `dependants`, everything below them, with their states."""
    tree = Tree()
    seen, frontier = set(asset_ids), set(asset_ids)
    for _step in range(MAX_DEPTH):
        found = {}
        for chunk in chunks(frontier):
            found.update(
                ProbeConfig.objects.filter(asset_id__among=chunk, depends_on__isnull=False).values_list(
                    "asset_id", "depends_on_id"
                )
            )
        tree.parents.update(found)
        frontier = set(found.values()) - seen
        seen |= frontier
        if not frontier:
            break
    below = set(asset_ids)
    frontier = set(asset_ids) if dependants else set()
    for _step in range(MAX_DEPTH):
        if not frontier:
            break
        found = []
        for chunk in chunks(frontier):
            found += ProbeConfig.objects.filter(depends_on_id__among=chunk).values_list("asset_id", "depends_on_id")
        for child, parent in found:
            tree.parents[child] = parent
            tree.children.setdefault(parent, []).append(child)
        frontier = {child for child, _parent in found} - below
        below |= frontier
    for chunk in chunks(set(tree.parents.values())):
        tree.polled.update(pollable_assets().filter(pk__among=chunk).values_list("pk", flat=True))
    tree.states = read_states(seen | below)
    return tree


def unsettled_outages(outages: Sequence[Outage]) -> set[int]:
    """Ids of the open `outages` that may still be an ancestor's: one is down, or not heard from since."""
    tree = load_tree({outage.asset_id for outage in outages}, dependants=False)
    unsettled = set()
    for outage in outages:
        attribution = tree.attribution(outage.asset_id, outage.started_at)
        if attribution.culprit is not None or attribution.unheard:
            unsettled.add(outage.pk)
    return unsettled
