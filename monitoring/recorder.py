"""The one place where poll results reach the database: per cycle, in bulk, in one transaction.

`record()` turns observations into samples, confirmed state transitions, outages (opened, closed, and
withdrawn when they turn out to be an ancestor's), and reboot and SNMP-auth events; the next poll time is
the claim's (monitoring.targets). It is idempotent for a replayed batch (an observation not newer than the
asset's last one is skipped), which lets a runner retry a batch whose write failed without duplicating anything.
"""

import logging
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from assets.models import Asset
from monitoring.choices import EventKind, State
from monitoring.dependencies import Tree, load_tree
from monitoring.engine.verdict import reboot_detected
from monitoring.health import ANSWERED, SILENT, Attribution, HealthState, advance, proposed_state, silent_since
from monitoring.lookups import chunks
from monitoring.metrics.ingest import record_metrics
from monitoring.models import AssetState, Event, Outage, Sample, Transition
from monitoring.observations import Observation
from monitoring.policies import DEFAULT_POLICY, Policy, policies_by_kind
from monitoring.state_rows import StateRow, ensure_states, write_states
from monitoring.windows import ActiveWindows, active_windows

log = logging.getLogger("simpul.recorder")
POLLED_SOURCES = frozenset({"icmp", "snmp"})


@dataclass
class RecordSummary:
    samples: int = 0
    skipped: int = 0
    transitions: list[Transition] = field(default_factory=list)  # confirmed changes, written with the batch
    outages_opened: int = 0
    outages_closed: int = 0
    outages_withdrawn: int = 0  # found to be an ancestor's: the asset is unreachable, the ancestor's outage counts it
    reboots: int = 0


@dataclass
class _Context:
    """What the recorder needs to know about the observed assets, loaded in a few queries."""

    assets: dict[int, tuple[str, int, int | None]]  # id -> (kind, agency id, site id), dependants included
    tree: Tree  # the paths above the observed assets and their dependants below, with states
    windows: ActiveWindows
    policies: dict[str, Policy]

    @property
    def states(self) -> dict[int, StateRow]:
        return self.tree.states

    def in_maintenance(self, asset_id: int) -> bool:
        _kind, agency_id, site_id = self.assets[asset_id]
        return self.windows.covers(asset_id, site_id, agency_id)

    def policy(self, asset_id: int) -> Policy:
        return self.policies.get(self.assets[asset_id][0], DEFAULT_POLICY)


def _load(ids: set[int], now: datetime) -> _Context:
    assets = _asset_facts(ids)
    tree = load_tree(set(assets), dependants=True)
    ensure_states(assets, tree.states)
    assets.update(_asset_facts(set(tree.states) - set(assets)))
    return _Context(assets, tree, active_windows(now), policies_by_kind())


def _asset_facts(ids: set[int]) -> dict[int, tuple[str, int, int | None]]:
    facts = {}
    for chunk in chunks(ids):
        query = Asset.objects.filter(pk__among=chunk).order_by().values_list("pk", "kind", "agency_id", "site_id")
        for pk, kind, agency_id, site_id in query:
            facts[pk] = (kind, agency_id, site_id)
    return facts


class _Outages:
    """The outage writes of one batch, in memory until the end: an outage opened and then closed or
    withdrawn within the batch (a buffered replay) is written once, as it ended up."""

    def __init__(self) -> None:
        self.opened: list[Outage] = []
        self._open: dict[int, Outage] = {}  # asset id -> its outage opened in this batch, still open
        self.closed: dict[int, datetime] = {}  # asset id -> end of its outage open in the database
        self.closes = 0
        self.withdrawn: set[int] = set()  # asset ids whose outage open in the database is an ancestor's
        self.took_down: Counter[int] = Counter()  # asset id -> dependants its outage open in the database took down

    def open(self, asset_id: int, at: datetime, cause: str) -> None:
        self._open[asset_id] = Outage(asset_id=asset_id, started_at=at, cause=cause[:200])
        self.opened.append(self._open[asset_id])

    def close(self, asset_id: int, at: datetime) -> None:
        self.closes += 1
        if asset_id in self._open:
            self._open.pop(asset_id).ended_at = at
        else:
            self.closed[asset_id] = at

    def withdraw(self, asset_id: int) -> None:
        if asset_id in self._open:
            self.opened.remove(self._open.pop(asset_id))
        else:
            self.withdrawn.add(asset_id)

    def count_taken_down(self, culprit: int) -> None:
        if culprit in self._open:
            self._open[culprit].took_down += 1
        else:
            self.took_down[culprit] += 1


def _health(row: StateRow) -> HealthState:
    return HealthState(row.state, row.since, row.pending_state, row.pending_count, row.pending_since)


def _change(
    row: StateRow,
    after: HealthState,
    *,
    culprit: int | None,
    reason: str | None,
    outages: _Outages,
    summary: RecordSummary,
) -> bool:
    """Apply `after` to `row` with its outage bookkeeping; whether the asset's dependants must be looked at again."""
    before, fell = row.state, False
    changed = after.state != before
    if changed:
        if before == State.DOWN and after.state == State.UNREACHABLE:
            outages.withdraw(row.asset_id)  # its silence is an ancestor's outage, not its own
            summary.outages_withdrawn += 1
        elif before == State.DOWN:
            outages.close(row.asset_id, after.since)
        if after.state == State.DOWN:
            outages.open(row.asset_id, after.since, reason or "")
        if reason is not None:
            row.reason = reason[:200]
        fell = after.state in SILENT
    if after.state != State.UNREACHABLE:
        row.caused_by_id = None
    elif culprit is not None and culprit != row.caused_by_id:
        outages.count_taken_down(culprit)
        row.caused_by_id, fell = culprit, True
    row.state, row.since = after.state, after.since
    row.pending_state, row.pending_count, row.pending_since = (
        after.pending_state,
        after.pending_count,
        after.pending_since,
    )
    if changed:
        summary.transitions.append(
            Transition(
                asset_id=row.asset_id,
                old_state=before,
                new_state=after.state,
                at=after.since,
                reason=row.reason,
                caused_by_id=row.caused_by_id,
            )
        )
    return fell


def _take_over(context: _Context, fallen: int, at: datetime, outages: _Outages, summary: RecordSummary) -> None:
    """`fallen` went down or unreachable: the silences of its dependants that overlap its outage become it.

    A dependant confirmed down loses its outage (it was never its own), one held back while its
    ancestors were failing is confirmed unreachable, and one already unreachable is counted by the
    root cause's outage, whichever of their results arrived first.
    """
    for asset_id in context.tree.descendants(fallen):
        row = context.states.get(asset_id)
        if row is None:
            continue
        before = _health(row)
        confirm = context.policy(asset_id).confirm_count
        held = before.pending_state in SILENT and before.pending_count >= confirm
        if before.state not in SILENT and not held:
            continue
        culprit = context.tree.attribution(asset_id, silent_since(before, at)).culprit
        if culprit is not None:
            after = advance(before, State.UNREACHABLE, at, confirm)
            _change(row, after, culprit=culprit, reason=None, outages=outages, summary=summary)


@transaction.atomic
def record(observations: Sequence[Observation], *, now: datetime | None = None) -> RecordSummary:
    summary = RecordSummary()
    if not observations:
        return summary
    now = now or timezone.now()
    record_metrics(observations)  # may turn verdicts degraded (a UPS on battery): before states are confirmed
    context = _load({o.asset_id for o in observations}, now)
    samples, events, outages = [], [], _Outages()

    # In time order, parents first at the same moment, so a dependant sees its ancestors' state of that moment.
    ordered = sorted(
        (o for o in observations if o.asset_id in context.assets),
        key=lambda o: (o.at, context.tree.depth(o.asset_id)),
    )
    for obs in ordered:
        row = context.states[obs.asset_id]
        if row.last_polled_at is not None and obs.at <= row.last_polled_at:
            summary.skipped += 1  # a replayed or late result: already recorded
            continue
        policy = context.policy(obs.asset_id)
        before = _health(row)
        path = Attribution()
        if obs.verdict == State.DOWN:
            path = context.tree.attribution(obs.asset_id, silent_since(before, obs.at))
        proposed = proposed_state(
            obs.verdict, path_down=path.culprit is not None, in_maintenance=context.in_maintenance(obs.asset_id)
        )
        after = advance(before, proposed, obs.at, policy.confirm_count, hold=path.suspect)
        if _change(row, after, culprit=path.culprit, reason=obs.reason, outages=outages, summary=summary):
            _take_over(context, obs.asset_id, obs.at, outages, summary)
        if obs.verdict in ANSWERED:
            row.last_answered_at = obs.at
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
                Event(
                    asset_id=obs.asset_id, at=obs.at, kind=EventKind.SNMP_AUTH_ERROR, detail=obs.snmp_auth_error[:300]
                )
            )
        # In _SAMPLE_COLUMNS' order: a plain row, not a model instance (thousands of them per batch).
        samples.append(
            (obs.asset_id, obs.at, obs.source, proposed, obs.rtt_ms, obs.rtt_max_ms, obs.loss, obs.reason[:200])
        )

    for change in summary.transitions:
        change.recorded_at = now
    _write(context, samples, events, outages, summary.transitions)
    summary.samples = len(samples)
    summary.outages_opened, summary.outages_closed = len(outages.opened), outages.closes
    return summary


def _write(context: _Context, samples, events, outages: _Outages, transitions) -> None:
    """All writes of a cycle: a handful of bulk statements, whatever the number of assets."""
    _insert_samples(samples)
    Event.objects.bulk_create(events)
    Transition.objects.bulk_create(transitions, batch_size=2000)
    adapt = connection.ops.adapt_datetimefield_value
    outage_table = Outage._meta.db_table
    with connection.cursor() as cursor:
        if outages.took_down:  # before the closes: an outage counts what it took down even if it ends in this batch
            cursor.executemany(
                f"UPDATE {outage_table} SET took_down = took_down + %s WHERE asset_id = %s AND ended_at IS NULL",
                [(count, pk) for pk, count in outages.took_down.items()],
            )
        if outages.closed:
            cursor.executemany(
                f"UPDATE {outage_table} SET ended_at = %s WHERE asset_id = %s AND ended_at IS NULL",
                [(adapt(at), pk) for pk, at in outages.closed.items()],
            )
    write_states(context.states.values())
    for chunk in chunks(outages.withdrawn):
        # Through the ORM, which also unlinks anything that refers to them (a work order of another app).
        Outage.objects.filter(asset_id__in=chunk, ended_at__isnull=True).delete()
    Outage.objects.bulk_create(outages.opened)


_SAMPLE_COLUMNS = ("asset_id", "at", "source", "verdict", "rtt_ms", "rtt_max_ms", "loss", "reason")


def _insert_samples(rows: list[tuple]) -> None:
    """PostgreSQL takes samples by COPY, several times cheaper than INSERT per row for the many thousands a
    remote poller's batch or a nationwide cycle brings (bench/ingest.py); other databases by bulk_create."""
    if connection.vendor != "postgresql":
        Sample.objects.bulk_create(
            (Sample(**dict(zip(_SAMPLE_COLUMNS, row, strict=True))) for row in rows), batch_size=2000
        )
        return
    columns = ", ".join(_SAMPLE_COLUMNS)
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {Sample._meta.db_table} ({columns}) FROM STDIN") as copy,
    ):
        for row in rows:
            copy.write_row(row)


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
            last_answered_at=F("last_answered_at") + delta,
            next_poll_at=F("next_poll_at") + delta,
        )
        Outage.objects.filter(asset_id__in=chunk, ended_at__isnull=True).update(started_at=F("started_at") + delta)
