"""The one place where poll results reach the database: per cycle, in bulk, in one transaction.

`record()` turns observations into samples, confirmed state transitions, outages (opened and closed),
and reboot and SNMP-auth events; the next poll time is the claim's (monitoring.targets). It is
idempotent for a replayed batch (an observation not newer than the asset's last one is skipped), which
lets a runner retry a batch whose write failed without duplicating anything.
"""

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from assets.models import Asset
from monitoring.choices import EventKind, State
from monitoring.engine.verdict import reboot_detected
from monitoring.health import HealthState, advance, proposed_state
from monitoring.models import AssetState, Event, Outage, ProbeConfig, Sample
from monitoring.observations import Observation
from monitoring.policies import DEFAULT_POLICY, policies_by_kind
from monitoring.windows import ActiveWindows, active_windows

log = logging.getLogger("simpul.recorder")
CHUNK = 5000  # ids per IN (...) lookup, well under every backend's parameter limit
POLLED_SOURCES = frozenset({"icmp", "snmp"})


@dataclass
class RecordSummary:
    samples: int = 0
    skipped: int = 0
    transitions: list[tuple[int, str, str]] = field(default_factory=list)  # (asset id, old, new)
    outages_opened: int = 0
    outages_closed: int = 0
    reboots: int = 0


def chunks(ids: Iterable[int], size: int = CHUNK) -> Iterable[list[int]]:
    ids = list(ids)
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


@dataclass
class _Context:
    """What the recorder needs to know about the observed assets, loaded in a few queries."""

    assets: dict[int, tuple[str, int, int | None]]  # id -> (kind, agency id, site id)
    parents: dict[int, int]  # asset id -> the asset it depends on
    states: dict[int, AssetState]
    windows: ActiveWindows

    def in_maintenance(self, asset_id: int) -> bool:
        _kind, agency_id, site_id = self.assets[asset_id]
        return self.windows.covers(asset_id, site_id, agency_id)

    def depth(self, asset_id: int) -> int:
        depth, current = 0, asset_id
        while current in self.parents and depth < 16:
            current, depth = self.parents[current], depth + 1
        return depth


def _load(ids: set[int], now: datetime) -> _Context:
    assets, parents = {}, {}
    for chunk in chunks(ids):
        for pk, kind, agency_id, site_id in Asset.objects.filter(pk__in=chunk).values_list(
            "pk", "kind", "agency_id", "site_id"
        ):
            assets[pk] = (kind, agency_id, site_id)
        for asset_id, parent_id in ProbeConfig.objects.filter(asset_id__in=chunk).values_list(
            "asset_id", "depends_on_id"
        ):
            if parent_id:
                parents[asset_id] = parent_id
    _ensure_states(set(assets))
    wanted = set(assets) | set(parents.values())
    states = {}
    for chunk in chunks(wanted):
        states.update({s.asset_id: s for s in AssetState.objects.filter(asset_id__in=chunk)})
    return _Context(assets, parents, states, active_windows(now))


def _ensure_states(asset_ids: set[int]) -> None:
    missing = set(asset_ids)
    for chunk in chunks(asset_ids):
        missing -= set(AssetState.objects.filter(asset_id__in=chunk).values_list("asset_id", flat=True))
    AssetState.objects.bulk_create([AssetState(asset_id=pk) for pk in missing], ignore_conflicts=True)


@transaction.atomic
def record(observations: Sequence[Observation], *, now: datetime | None = None) -> RecordSummary:
    summary = RecordSummary()
    if not observations:
        return summary
    now = now or timezone.now()
    context = _load({o.asset_id for o in observations}, now)
    policies = policies_by_kind()
    samples, events, opened, closed, took_down = [], [], [], [], []

    # Parents first, so a dependant sees its parent's state of this very cycle.
    ordered = sorted(
        (o for o in observations if o.asset_id in context.assets),
        key=lambda o: (context.depth(o.asset_id), o.at),
    )
    for obs in ordered:
        row = context.states[obs.asset_id]
        if row.last_polled_at is not None and obs.at <= row.last_polled_at:
            summary.skipped += 1  # a replayed or late result: already recorded
            continue
        kind = context.assets[obs.asset_id][0]
        policy = policies.get(kind, DEFAULT_POLICY)
        parent_id = context.parents.get(obs.asset_id)
        parent_state = context.states[parent_id].state if parent_id in context.states else None
        proposed = proposed_state(
            obs.verdict, parent_state=parent_state, in_maintenance=context.in_maintenance(obs.asset_id)
        )
        before = HealthState(row.state, row.since, row.pending_state, row.pending_count, row.pending_since)
        after = advance(before, proposed, obs.at, policy.confirm_count)
        if after.state != before.state:
            summary.transitions.append((obs.asset_id, before.state, after.state))
            if before.state == State.DOWN:
                closed.append((after.since, obs.asset_id))
            if after.state == State.DOWN:
                opened.append(Outage(asset_id=obs.asset_id, started_at=after.since, cause=obs.reason[:200]))
            if after.state == State.UNREACHABLE and parent_id:
                took_down.append((parent_id,))
            row.caused_by_id = parent_id if after.state == State.UNREACHABLE else None
            row.reason = obs.reason[:200]
        row.state, row.since = after.state, after.since
        row.pending_state, row.pending_count, row.pending_since = (
            after.pending_state,
            after.pending_count,
            after.pending_since,
        )
        # The earliest label, even one a wall clock stepped back wrote: time watched covers every result.
        row.monitored_since = min(row.monitored_since or obs.at, obs.at)
        row.last_polled_at = obs.at
        if obs.source in POLLED_SOURCES:
            row.last_rtt_ms, row.last_loss = obs.rtt_ms, obs.loss
        if obs.sys_uptime is not None:
            if reboot_detected(row.sys_uptime, obs.sys_uptime):
                events.append(
                    Event(
                        asset_id=obs.asset_id,
                        at=obs.at,
                        kind=EventKind.REBOOT,
                        detail=f"sysUpTime {row.sys_uptime} -> {obs.sys_uptime}",
                    )
                )
                summary.reboots += 1
            row.sys_uptime = obs.sys_uptime
        if obs.sys_name is not None:
            row.sys_name = obs.sys_name[:200]
        if obs.snmp_auth_error:
            events.append(
                Event(asset_id=obs.asset_id, at=obs.at, kind=EventKind.SNMP_AUTH_ERROR, detail=obs.reason[:300])
            )
        samples.append(
            Sample(
                asset_id=obs.asset_id,
                at=obs.at,
                source=obs.source,
                verdict=proposed,
                rtt_ms=obs.rtt_ms,
                rtt_max_ms=obs.rtt_max_ms,
                loss=obs.loss,
                reason=obs.reason[:200],
            )
        )

    _write(context, samples, events, opened, closed, took_down)
    summary.samples = len(samples)
    summary.outages_opened, summary.outages_closed = len(opened), len(closed)
    return summary


_STATE_COLUMNS = (
    "state",
    "since",
    "reason",
    "caused_by_id",
    "pending_state",
    "pending_count",
    "pending_since",
    "monitored_since",
    "last_polled_at",
    "last_rtt_ms",
    "last_loss",
    "sys_uptime",
    "sys_name",
)


def _write(context: _Context, samples, events, opened, closed, took_down) -> None:
    """All writes of a cycle: a handful of bulk statements, whatever the number of assets."""
    Sample.objects.bulk_create(samples, batch_size=2000)
    Event.objects.bulk_create(events)
    adapt = connection.ops.adapt_datetimefield_value
    state_table = AssetState._meta.db_table
    outage_table = Outage._meta.db_table
    polled = [context.states[s.asset_id] for s in samples]
    rows = [
        [adapt(v) if isinstance(v, datetime) else v for v in (getattr(s, c) for c in _STATE_COLUMNS)] + [s.asset_id]
        for s in polled
    ]
    assignments = ", ".join(f"{connection.ops.quote_name(c)} = %s" for c in _STATE_COLUMNS)
    with connection.cursor() as cursor:
        if closed:
            cursor.executemany(
                f"UPDATE {outage_table} SET ended_at = %s WHERE asset_id = %s AND ended_at IS NULL",
                [(adapt(at), pk) for at, pk in closed],
            )
        cursor.executemany(f"UPDATE {state_table} SET {assignments} WHERE asset_id = %s", rows)
    Outage.objects.bulk_create(opened)
    if took_down:
        with connection.cursor() as cursor:
            cursor.executemany(
                f"UPDATE {outage_table} SET took_down = took_down + 1 WHERE asset_id = %s AND ended_at IS NULL",
                took_down,
            )


@transaction.atomic
def follow_clock_step(asset_ids: Iterable[int], seconds: float) -> None:
    """The poller's labels jumped `seconds` with a stepped wall clock: move these assets' current times too.

    Their state's times, next slot and open outages were written in the old labels; moved, an interval
    that spans the step is measured on the monotonic clock, and the next result is not mistaken for a
    replay of an older one.
    """
    delta = timedelta(seconds=seconds)
    for chunk in chunks(asset_ids):
        AssetState.objects.filter(asset_id__in=chunk).update(
            since=F("since") + delta,
            pending_since=F("pending_since") + delta,
            last_polled_at=F("last_polled_at") + delta,
            next_poll_at=F("next_poll_at") + delta,
        )
        Outage.objects.filter(asset_id__in=chunk, ended_at__isnull=True).update(started_at=F("started_at") + delta)
