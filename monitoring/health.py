"""The health model's one rule: a state changes only on a confirmed transition (no Django here).

An observation proposes a state; it becomes the asset's state once `confirm` consecutive observations
proposed it. The new state dates from the first of them, so an outage starts when the asset stopped
answering, not when we became sure of it. Two exceptions need no confirmation: the first word from an
asset of unknown state that it is up, and maintenance, which is declared, not observed.
"""

from dataclasses import dataclass, replace
from datetime import datetime

UP, DEGRADED, DOWN, UNREACHABLE, UNKNOWN, MAINTENANCE = (
    "up",
    "degraded",
    "down",
    "unreachable",
    "unknown",
    "maintenance",
)
PARENT_DOWN_STATES = frozenset({DOWN, UNREACHABLE})


@dataclass(frozen=True, slots=True)
class HealthState:
    state: str = UNKNOWN
    since: datetime | None = None
    pending_state: str = ""
    pending_count: int = 0
    pending_since: datetime | None = None


def proposed_state(verdict: str, *, parent_state: str | None, in_maintenance: bool) -> str:
    """What one observation says the state should be, before confirmation."""
    if in_maintenance:
        return MAINTENANCE
    if verdict == "error":
        return UNKNOWN  # we could not ask (bad address, SNMP auth): not evidence that the asset is down
    if verdict == DOWN and parent_state in PARENT_DOWN_STATES:
        return UNREACHABLE  # its path is down: not its own outage
    return verdict


def advance(current: HealthState, proposed: str, at: datetime, confirm: int) -> HealthState:
    """The state after one more observation proposing `proposed` at time `at`.

    "down" and "unreachable" are the same evidence (no answer) with a different culprit: a streak
    of silence keeps counting when the parent falls mid-streak, and an asset already down on its
    own stays down (with its outage) when its parent follows.
    """
    if current.state == DOWN and proposed == UNREACHABLE:
        proposed = DOWN
    if proposed == current.state:
        return replace(current, pending_state="", pending_count=0, pending_since=None)
    if proposed == current.pending_state or {proposed, current.pending_state} == PARENT_DOWN_STATES:
        count, since = current.pending_count + 1, current.pending_since
    else:
        count, since = 1, at
    immediate = proposed == MAINTENANCE or (current.state == UNKNOWN and proposed in (UP, DEGRADED))
    if immediate or count >= confirm:
        return HealthState(state=proposed, since=since)
    return replace(current, pending_state=proposed, pending_count=count, pending_since=since)
