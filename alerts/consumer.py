"""From monitoring's confirmed transitions (and reboot events) to alerts, after every poll cycle.

Why this seam: the recorder writes one Transition row per confirmed change in the cycle's own
transaction, so a change is durable exactly when its state is; alerts reads those rows after the cycle
(settings.POLL_CYCLE_HOOKS, and Celery beat) and never misses one across restarts. Monitoring imports
nothing of alerts. Rows are read by id past a cursor; because concurrent recorders (Celery workers) may
commit ids out of order, ids read past the cursor are remembered (Consumed) and the cursor only moves
over rows older than SETTLE, which every transaction has long committed or abandoned by then.
"""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Max, QuerySet
from django.utils.translation import gettext_noop

from alerts import decisions
from alerts.choices import ACTIVE_STATES, AlertKind, TimelineKind
from alerts.decisions import AssetFacts, Attach, Change, Raise, Resolve, RuleFacts
from alerts.models import Alert, AlertRule, Consumed, Cursor
from alerts.overrun import raise_overruns
from alerts.pollers import watch_pollers
from alerts.services import alert_raise, alert_resolve, timeline
from assets.models import Agency, Asset
from monitoring.choices import EventKind
from monitoring.lookups import chunks
from monitoring.models import AssetState, Event, Transition
from monitoring.windows import active_windows

log = logging.getLogger("simpul.alerts")
SETTLE = timedelta(minutes=10)
BATCH = 20_000
CHANGE_FIELDS = ("asset_id", "old_state", "new_state", "at", "caused_by_id", "reason")  # a Change, in its order


@dataclass
class ConsumeSummary:
    transitions: int = 0
    reboots: int = 0
    raised: int = 0
    attached: int = 0
    resolved: int = 0


def _take(stream: str, queryset: QuerySet, fields: tuple[str, ...], now: datetime) -> tuple[list, callable]:
    """Rows of `queryset` not read yet, in id order, as named tuples of id and `fields` (20,000 model
    instances cost ~0.5 CPU s), and the function that marks them read."""
    cursor, _created = Cursor.objects.get_or_create(name=stream)
    cursor = Cursor.objects.select_for_update().get(pk=cursor.pk)  # one consumer at a time
    seen = Consumed.objects.filter(stream=stream, row_id__gt=cursor.position).values("row_id")
    unread = queryset.filter(id__gt=cursor.position).exclude(id__in=seen).order_by("id")
    rows = list(unread.values_list("id", *fields, named=True)[:BATCH])

    def done() -> None:
        Consumed.objects.bulk_create(
            [Consumed(stream=stream, row_id=row.id, at=now) for row in rows], batch_size=2000, ignore_conflicts=True
        )
        old = (
            queryset.filter(id__gt=cursor.position, recorded_at__lt=now - SETTLE)
            if stream == "transitions"
            else (queryset.filter(id__gt=cursor.position, at__lt=now - SETTLE))
        )
        position = old.aggregate(top=Max("id"))["top"]
        if position is not None and len(rows) == BATCH:
            position = min(position, rows[-1].id)
        if position is not None and position > cursor.position:
            cursor.position = position
            cursor.save(update_fields=["position"])
            Consumed.objects.filter(stream=stream, row_id__lte=position).delete()

    return rows, done


def _involved(changes: list[Change], reboots: list) -> set[int]:
    """The assets a batch speaks of: those that changed, the parents that caused it, those that rebooted."""
    return (
        {c.asset_id for c in changes}
        | {c.caused_by_id for c in changes if c.caused_by_id}
        | {e.asset_id for e in reboots}
    )


def _that_may_act(changes: list[Change], alerted: set[int]) -> list[Change]:
    """The changes of assets that have one that may raise an alert, or an active alert to resolve."""
    acting = alerted | {c.asset_id for c in changes if decisions.may_raise(c)}
    return [c for c in changes if c.asset_id in acting]


def _rules() -> list[RuleFacts]:
    return [
        RuleFacts(
            id=r.pk,
            agency_id=r.agency_id,
            include_children=r.include_children,
            asset_kinds=frozenset(r.asset_kinds),
            kinds=frozenset(r.kinds),
            severity=r.severity,
            delay_minutes=r.delay_minutes,
            quiet_start=r.quiet_start,
            quiet_end=r.quiet_end,
            escalate_after_minutes=r.escalate_after_minutes,
        )
        for r in AlertRule.objects.filter(active=True)
    ]


def _facts(asset_ids: set[int], now: datetime) -> dict[int, AssetFacts]:
    parents = dict(Agency.objects.values_list("pk", "parent_id"))
    windows = active_windows(now)
    facts = {}
    for chunk in chunks(asset_ids):
        for pk, kind, agency_id, site_id, status in Asset.objects.filter(pk__among=chunk).values_list(
            "pk", "kind", "agency_id", "site_id", "status"
        ):
            chain, current = [agency_id], parents.get(agency_id)
            while current is not None and len(chain) < 4:
                chain.append(current)
                current = parents.get(current)
            muted = status in decisions.MUTED_STATUSES or windows.covers(pk, site_id, agency_id)
            facts[pk] = AssetFacts(kind=kind, agencies=tuple(chain), muted=muted)
    return facts


def _active(asset_ids: set[int]) -> dict[tuple[int, str], Alert]:
    active = {}
    for chunk in chunks(asset_ids):
        for alert in Alert.objects.filter(asset_id__among=chunk, state__in=ACTIVE_STATES):
            active[(alert.asset_id, alert.kind)] = alert
    return active


def _recent(asset_ids: set[int], now: datetime) -> dict[int, list[datetime]]:
    recent: dict[int, list[datetime]] = {}
    states = decisions.FLAPPING_STATES
    for chunk in chunks(asset_ids):
        rows = Transition.objects.filter(
            asset_id__among=chunk, at__gt=now - decisions.FLAP_WINDOW, old_state__in=states, new_state__in=states
        ).values_list("asset_id", "at")
        for asset_id, at in rows:
            recent.setdefault(asset_id, []).append(at)
    return recent


@transaction.atomic
def consume(now: datetime) -> ConsumeSummary:
    """Turn the transitions and reboots recorded since the last call into alerts; returns what it did."""
    summary = ConsumeSummary()
    transitions, transitions_done = _take("transitions", Transition.objects.all(), CHANGE_FIELDS, now)
    reboots, reboots_done = _take("reboots", Event.objects.filter(kind=EventKind.REBOOT), ("asset_id", "at"), now)
    summary.transitions, summary.reboots = len(transitions), len(reboots)
    read = [Change(*row[1:]) for row in transitions]
    active = _active(_involved(read, reboots))  # a few rows however large the batch: alerts are few
    changes = _that_may_act(read, {asset_id for asset_id, _kind in active})
    ids = _involved(changes, reboots)
    if ids:
        facts, rules = _facts(ids, now), _rules()
        actions = decisions.decide(
            changes, facts=facts, rules=rules, active=set(active), recent=_recent(ids, now), now=now
        )
        actions += decisions.decide_reboots(
            [(e.asset_id, e.at) for e in reboots], facts=facts, rules=rules, active=set(active)
        )
        _apply(actions, facts, active, now, summary)
    _settle_unstable(now, summary)
    summary.raised += raise_overruns(now, facts_of=_facts, rules=_rules())
    raised, resolved = watch_pollers(now, facts_of=_facts, rules=_rules())
    summary.raised, summary.resolved = summary.raised + raised, summary.resolved + resolved
    transitions_done()
    reboots_done()
    return summary


def _apply(actions, facts: dict[int, AssetFacts], active: dict, now: datetime, summary: ConsumeSummary) -> None:
    joined: dict[int, list[int]] = {}
    for action in actions:
        if isinstance(action, Raise):
            try:
                with transaction.atomic():
                    alert = alert_raise(
                        agency_id=facts[action.asset_id].agency_id,
                        asset_id=action.asset_id,
                        kind=action.kind,
                        started_at=action.started_at,
                        rule=action.rule,
                        reason=action.reason,
                        now=now,
                    )
            except IntegrityError:  # another consumer raised it first
                continue
            active[(action.asset_id, action.kind)] = alert
            summary.raised += 1
        elif isinstance(action, Attach):
            alert = active.get((action.root_id, AlertKind.DOWN))
            if alert is not None:
                joined.setdefault(alert.pk, []).append(action.dependant_id)
        elif isinstance(action, Resolve):
            for kind in action.kinds:
                alert = active.pop((action.asset_id, kind), None)
                if alert is not None:
                    alert_resolve(alert=alert, at=action.at, now=now, recovered=action.recovered)
                    summary.resolved += 1
                    root = active.get((action.merged_into, AlertKind.DOWN)) if action.merged_into else None
                    if root is not None:
                        timeline(alert, TimelineKind.MERGED, at=now, detail=f"#{root.pk} {root.summary}")
    through = Alert.affected.through
    for alert_id, dependants in joined.items():
        through.objects.bulk_create(
            [through(alert_id=alert_id, asset_id=pk) for pk in dependants], batch_size=2000, ignore_conflicts=True
        )
        count = through.objects.filter(alert_id=alert_id).count()
        alert = Alert.objects.get(pk=alert_id)
        alert.affected_count = count
        alert.save(update_fields=["affected_count"])
        timeline(alert, TimelineKind.JOINED, at=now, detail=f"+{len(dependants)} (total {count})")
        summary.attached += len(dependants)


def _settle_unstable(now: datetime, summary: ConsumeSummary) -> None:
    """An unstable asset that kept one state for FLAP_WINDOW: its alert closes, or turns into a down alert."""
    for alert in Alert.objects.filter(kind=AlertKind.UNSTABLE, state__in=ACTIVE_STATES).select_related("rule"):
        last = Transition.objects.filter(asset_id=alert.asset_id).aggregate(at=Max("at"))["at"]
        if last is not None and not decisions.settled(last, now):
            continue
        state = AssetState.objects.filter(asset_id=alert.asset_id).values_list("state", flat=True).first()
        still_down = state == decisions.DOWN
        alert_resolve(alert=alert, at=now, now=now, recovered=not still_down)
        summary.resolved += 1
        if still_down:
            alert_raise(
                agency_id=alert.agency_id,
                asset_id=alert.asset_id,
                kind=AlertKind.DOWN,
                started_at=AssetState.objects.get(asset_id=alert.asset_id).since or now,
                rule=next((r for r in _rules() if r.id == alert.rule_id), None),
                reason=gettext_noop("stabil, tetap mati"),  # stored; read through formats.stored
                now=now,
            )
            summary.raised += 1
