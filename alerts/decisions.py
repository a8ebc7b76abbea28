"""What deserves an alert: pure functions over plain data (no Django), so every rule is testable alone.

The consumer (alerts.consumer) loads the facts of one batch of confirmed transitions in a few queries,
calls `decide()`, and applies the actions it returns in order. The rules of the house:

- Down, degraded and reboot raise an alert when a rule of the asset's agency (or of a province above it,
  with include_children, or a default rule) asks for that kind of change on that kind of asset.
- One root cause, one alert: a dependant turning unreachable joins its parent's alert ("took down 40"),
  and raises the parent's alert itself when the parent had none (the dependant's rule then decides).
- A dependant first confirmed down on its own, then found to be behind its fallen parent (down ->
  unreachable), has its own alert closed into the parent's (see alerts.settling for why it was held).
- Recovery (up) resolves the asset's alert; the recovery message follows in the same thread.
- Muted: an asset inside a maintenance window, or not in service (in repair, planned, spare, retired).
- Flapping: FLAP_CHANGES changes within FLAP_WINDOW turn the asset's next change into one "unstable"
  alert; further changes are damped until the asset keeps one state for FLAP_WINDOW (see `settled`).
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

DOWN, DEGRADED, UNREACHABLE, REBOOT, UNSTABLE = "down", "degraded", "unreachable", "reboot", "unstable"
OVERRUN = "overrun"  # raised by alerts.overrun, closed here: by the asset coming back, or by its down alert
UP, MAINTENANCE = "up", "maintenance"
STATE_ALERTS = (DOWN, DEGRADED, UNSTABLE)
FLAP_CHANGES = 3
FLAP_WINDOW = timedelta(minutes=15)
FLAPPING_STATES = frozenset({UP, DOWN, DEGRADED})
MUTED_STATUSES = frozenset({"in_repair", "planned", "spare", "retired"})
SEVERITY_RANK = {"critical": 0, "warning": 1, "info": 2}
WITA = ZoneInfo("Asia/Makassar")


@dataclass(frozen=True, slots=True)
class Change:
    """One confirmed transition, as monitoring recorded it."""

    asset_id: int
    old: str
    new: str
    at: datetime
    caused_by_id: int | None = None
    reason: str = ""


@dataclass(frozen=True, slots=True)
class AssetFacts:
    kind: str
    agencies: tuple[int, ...]  # its own agency first, then the ones above it
    muted: bool = False

    @property
    def agency_id(self) -> int:
        return self.agencies[0]


@dataclass(frozen=True, slots=True)
class RuleFacts:
    id: int
    agency_id: int | None
    include_children: bool
    asset_kinds: frozenset[str]
    kinds: frozenset[str]
    severity: str = "critical"
    delay_minutes: int = 0
    quiet_start: time | None = None
    quiet_end: time | None = None
    escalate_after_minutes: int | None = None

    def covers(self, asset: AssetFacts, kind: str) -> bool:
        if kind not in self.kinds or (self.asset_kinds and asset.kind not in self.asset_kinds):
            return False
        if self.agency_id is None or self.agency_id == asset.agency_id:
            return True
        return self.include_children and self.agency_id in asset.agencies[1:]


@dataclass(frozen=True, slots=True)
class Raise:
    asset_id: int
    kind: str
    started_at: datetime
    rule: RuleFacts
    reason: str = ""


@dataclass(frozen=True, slots=True)
class Attach:
    """`dependant_id` went unreachable because of `root_id`: it belongs to the root's down alert."""

    root_id: int
    dependant_id: int
    at: datetime


@dataclass(frozen=True, slots=True)
class Resolve:
    asset_id: int
    kinds: tuple[str, ...]
    at: datetime
    recovered: bool = True  # False: ended without recovering (maintenance, superseded); no recovery message
    merged_into: int | None = None  # the root asset whose down alert took this one over


Action = Raise | Attach | Resolve


def quickest(rules: Iterable[RuleFacts]) -> RuleFacts | None:
    """Of several rules, the quickest to tell, then the most severe, then the oldest."""
    return min(rules, key=lambda r: (r.delay_minutes, SEVERITY_RANK.get(r.severity, 9), r.id), default=None)


def matching_rule(rules: Iterable[RuleFacts], asset: AssetFacts, kind: str) -> RuleFacts | None:
    """The rule that governs `kind` on `asset`."""
    return quickest(rule for rule in rules if rule.covers(asset, kind))


def poller_rule(rules: Sequence[RuleFacts], assets: Iterable[AssetFacts]) -> RuleFacts | None:
    """The rule a silent remote poller's alert follows: the quickest of its watched assets' down rules."""
    return quickest(
        rule for asset in assets if not asset.muted if (rule := matching_rule(rules, asset, DOWN)) is not None
    )


def is_flapping(recent_changes: Sequence[datetime], now: datetime) -> bool:
    """`recent_changes`: when the asset changed between up, degraded and down, this batch included."""
    return sum(1 for at in recent_changes if at > now - FLAP_WINDOW) >= FLAP_CHANGES


def settled(last_change: datetime, now: datetime) -> bool:
    """An unstable asset has settled once it kept one state for a whole FLAP_WINDOW."""
    return last_change <= now - FLAP_WINDOW


def decide(
    changes: Sequence[Change],
    *,
    facts: dict[int, AssetFacts],
    rules: Sequence[RuleFacts],
    active: set[tuple[int, str]],
    recent: dict[int, list[datetime]],
    now: datetime,
) -> list[Action]:
    """The actions for one batch of changes, in order. `active`: (asset id, alert kind) of active alerts."""
    active = set(active)
    actions: list[Action] = []

    def resolve(
        asset_id: int, kinds: tuple[str, ...], at: datetime, recovered: bool = True, merged_into: int | None = None
    ) -> None:
        present = tuple(k for k in kinds if (asset_id, k) in active)
        if present:
            actions.append(Resolve(asset_id, present, at, recovered, merged_into))
            active.difference_update((asset_id, k) for k in present)

    def raise_(asset_id: int, kind: str, change: Change, rule: RuleFacts) -> None:
        actions.append(Raise(asset_id, kind, change.at, rule, change.reason))
        active.add((asset_id, kind))

    for change in changes:
        asset = facts.get(change.asset_id)
        if asset is None:
            continue
        if change.new == MAINTENANCE:
            resolve(change.asset_id, STATE_ALERTS, change.at, recovered=False)
            continue
        if asset.muted or change.new not in (UP, DOWN, DEGRADED, UNREACHABLE):
            continue
        if (change.asset_id, UNSTABLE) in active:
            continue  # damped until it settles
        if (
            change.new in FLAPPING_STATES
            and change.old in FLAPPING_STATES
            and is_flapping(recent.get(change.asset_id, []), now)
        ):
            rule = matching_rule(rules, asset, DOWN)
            resolve(change.asset_id, (DOWN, DEGRADED), change.at, recovered=False)
            if rule is not None:
                raise_(change.asset_id, UNSTABLE, change, rule)
            continue
        if change.new == UP:
            resolve(change.asset_id, (DOWN, DEGRADED, OVERRUN), change.at)
        elif change.new == DEGRADED:
            resolve(change.asset_id, (DOWN,), change.at)
            rule = matching_rule(rules, asset, DEGRADED)
            if rule is not None and (change.asset_id, DEGRADED) not in active:
                raise_(change.asset_id, DEGRADED, change, rule)
        elif change.new == DOWN:
            resolve(change.asset_id, (DEGRADED, OVERRUN), change.at, recovered=False)
            rule = matching_rule(rules, asset, DOWN)
            if rule is not None and (change.asset_id, DOWN) not in active:
                raise_(change.asset_id, DOWN, change, rule)
        elif change.new == UNREACHABLE and change.caused_by_id is not None:
            root = change.caused_by_id
            if (root, DOWN) not in active:
                root_facts = facts.get(root)
                rule = matching_rule(rules, asset, UNREACHABLE) or matching_rule(rules, asset, DOWN)
                if rule is None or root_facts is None or root_facts.muted:
                    resolve(change.asset_id, (DOWN, DEGRADED), change.at, recovered=False)
                    continue
                raise_(root, DOWN, change, rule)
            actions.append(Attach(root, change.asset_id, change.at))
            # Its own outage was the root's all along (down -> unreachable): its alert merges into the root's.
            resolve(change.asset_id, (DOWN, DEGRADED), change.at, recovered=False, merged_into=root)
    return actions


def may_raise(change: Change) -> bool:
    """Whether `change` can raise an alert. One that cannot (an asset coming up from a state that does not
    flap, as every asset of a new fleet does on its first poll, or going into maintenance) only resolves
    the asset's active alerts, so the consumer skips it for an asset that has none."""
    return change.new in (DOWN, DEGRADED, UNREACHABLE) or (
        change.new in FLAPPING_STATES and change.old in FLAPPING_STATES
    )


def decide_reboots(
    reboots: Sequence[tuple[int, datetime]],
    *,
    facts: dict[int, AssetFacts],
    rules: Sequence[RuleFacts],
    active: set[tuple[int, str]],
) -> list[Raise]:
    """A detected reboot (SNMP sysUpTime went back) raises one alert, unless one is still unacknowledged."""
    actions, seen = [], set(active)
    for asset_id, at in reboots:
        asset = facts.get(asset_id)
        if asset is None or asset.muted or (asset_id, REBOOT) in seen:
            continue
        rule = matching_rule(rules, asset, REBOOT)
        if rule is not None:
            actions.append(Raise(asset_id, REBOOT, at, rule, "sysUpTime"))
            seen.add((asset_id, REBOOT))
    return actions


def notify_time(rule: RuleFacts, started_at: datetime, now: datetime) -> datetime:
    """When to tell: after the rule's delay, and not within its quiet hours (held until they end, in WITA)."""
    due = max(started_at + timedelta(minutes=rule.delay_minutes), now)
    if rule.quiet_start is None or rule.quiet_end is None:
        return due
    local = due.astimezone(WITA)
    start, end, clock = rule.quiet_start, rule.quiet_end, local.timetz().replace(tzinfo=None)
    inside = start <= clock < end if start < end else (clock >= start or clock < end)
    if not inside:
        return due
    end_day = local.date() if clock < end else local.date() + timedelta(days=1)
    return datetime.combine(end_day, end, tzinfo=WITA).astimezone(due.tzinfo)
