"""The health model's rules: confirmed transitions, and whose outage a silence is (no Django here).

An observation proposes a state; it becomes the asset's state once `confirm` consecutive observations
proposed it. The new state dates from the first of them, so an outage starts when the asset stopped
answering, not when we became sure of it. Two exceptions need no confirmation: maintenance, which is
declared, not observed; and the first word that an asset is up from one whose own state we could not
know (unknown, or unreachable behind a dead parent), which opens or closes no outage.
"""

from collections.abc import Iterable
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
SILENT = frozenset({DOWN, UNREACHABLE})  # no answer: the same evidence, with a different culprit
ANSWERED = frozenset({UP, DEGRADED})
UNSEEN = frozenset({UNKNOWN, UNREACHABLE})  # states that say nothing of the asset itself


@dataclass(frozen=True, slots=True)
class HealthState:
    state: str = UNKNOWN
    since: datetime | None = None
    pending_state: str = ""
    pending_count: int = 0
    pending_since: datetime | None = None


def proposed_state(verdict: str, *, path_down: bool, in_maintenance: bool) -> str:
    """What one observation says the state should be, before confirmation."""
    if in_maintenance:
        return MAINTENANCE
    if verdict == "error":
        return UNKNOWN  # we could not ask (bad address, SNMP auth): not evidence that the asset is down
    if verdict == DOWN and path_down:
        return UNREACHABLE  # its path is down: not its own outage
    return verdict


def advance(current: HealthState, proposed: str, at: datetime, confirm: int, *, hold: bool = False) -> HealthState:
    """The state after one more observation proposing `proposed` at time `at`.

    "down" and "unreachable" are the same evidence (no answer) with a different culprit: a streak
    of silence keeps counting when the parent falls mid-streak, and an asset confirmed down whose
    silence turns out to be its parent's becomes unreachable at once, from the same moment (its
    outage was never its own). `hold` keeps a streak of silence from being confirmed as the asset's
    own outage while an ancestor is failing too (see `attribute`): it keeps counting, and the asset
    goes unreachable or down, dated from its first silent poll, once the ancestor's fate is known.
    """
    if current.state == DOWN and proposed == UNREACHABLE:
        return HealthState(state=UNREACHABLE, since=current.since)
    if proposed == current.state:
        return replace(current, pending_state="", pending_count=0, pending_since=None)
    if proposed == current.pending_state or {proposed, current.pending_state} == SILENT:
        count, since = current.pending_count + 1, current.pending_since
    else:
        count, since = 1, at
    immediate = proposed == MAINTENANCE or (current.state in UNSEEN and proposed in ANSWERED)
    if immediate or (count >= confirm and not (hold and proposed == DOWN)):
        return HealthState(state=proposed, since=since)
    return replace(current, pending_state=proposed, pending_count=count, pending_since=since)


def silent_since(current: HealthState, at: datetime) -> datetime:
    """When the silence that an unanswered poll at `at` belongs to began (its first unanswered poll)."""
    if current.pending_state in SILENT:
        return current.pending_since
    if current.state in SILENT:
        return current.since
    return at


@dataclass(frozen=True, slots=True)
class Ancestor:
    """What `attribute` needs to know of one asset on a dependant's path to the network."""

    asset_id: int
    state: str
    pending_state: str
    answered_at: datetime | None  # its last answer; None if it never answered
    caused_by: int | None  # when unreachable: the asset whose outage it is
    polled: bool  # still polled, so it will answer or fail again


@dataclass(frozen=True, slots=True)
class Attribution:
    culprit: int | None = None  # the asset whose outage the silence is; None: the dependant's own, so far
    suspect: bool = False  # an ancestor is failing too, not confirmed yet: hold the dependant's own outage
    unheard: bool = False  # an ancestor has not answered since: the silence may still turn out to be its


def attribute(silence_began: datetime, path: Iterable[Ancestor]) -> Attribution:
    """Whose outage a dependant's silence is, from its ancestors, parent first (the rule of DESIGN.md).

    An ancestor's outage may have begun at any moment after its last answer, so a dependant silent
    since `silence_began` overlaps it exactly when the ancestor has not answered since: walking up
    from the parent, the first ancestor that is down (or unreachable, then its own culprit) without
    an answer at or after `silence_began` is the culprit. An ancestor that answered at or after it
    proves the path to it (and above it) was working when the dependant fell silent: the silence
    is the dependant's own. The order in which results arrive does not matter, only their times.

    Short of a culprit, the walk reports why the verdict may still change: an ancestor failing too
    but not yet confirmed (`suspect`), or one not heard from since at all (`unheard`). Only ancestors
    still polled count for these, as only they will answer or fail again.
    """
    suspect = unheard = False
    for ancestor in path:
        if ancestor.answered_at is not None and ancestor.answered_at >= silence_began:
            break
        if ancestor.state == DOWN:
            return Attribution(culprit=ancestor.asset_id)
        if ancestor.state == UNREACHABLE:
            return Attribution(culprit=ancestor.caused_by or ancestor.asset_id)
        if ancestor.polled:
            unheard = True
            suspect = suspect or ancestor.pending_state in SILENT
    return Attribution(suspect=suspect, unheard=unheard)
