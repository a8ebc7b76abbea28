"""Which assets are due for a poll, claimed so that no two runners poll the same asset at once."""

from collections import defaultdict
from collections.abc import Collection, Container, Mapping
from datetime import UTC, datetime, timedelta
from itertools import islice

from django.db import connection, transaction
from django.db.models import Max, Q, QuerySet

from monitoring.engine import IcmpTarget, SnmpTarget, Thresholds
from monitoring.lookups import array_text, chunks
from monitoring.metrics.catalog import profile_oids
from monitoring.metrics.profiles import NO_PROFILE, profiles_by_kind
from monitoring.models import AssetState, ProbeConfig
from monitoring.policies import DEFAULT_POLICY, policies_by_kind, pollable_assets
from monitoring.poll import PollJob
from monitoring.remote.assignment import centrally_polled
from monitoring.schedule import grid_phase, grid_slots, next_slot

# A slot this close is due now: the slots a dispatcher computed and the ones a claim computed may differ
# in the last microsecond, and a batch started a moment early loses nothing.
DUE_EARLY = timedelta(seconds=0.5)
JOB_COLUMNS = ("pk", "agency_id", "kind", "management_address")  # what jobs_for_rows takes


def covered_assets(agency_codes: list[str] | None = None, asset_ids: list[int] | None = None) -> QuerySet:
    """The pollable assets of a central runner (not a remote poller's), limited to some agencies or assets."""
    assets = centrally_polled(pollable_assets())
    if agency_codes:
        assets = assets.filter(agency__code__in=agency_codes)
    if asset_ids:
        assets = assets.filter(pk__in=asset_ids)
    return assets


def results_ahead_s(now: datetime, **scope) -> tuple[float, list[int]]:
    """How far the newest result of the covered assets is labelled ahead of `now`, and those assets."""
    assets = covered_assets(**scope)
    newest = AssetState.objects.filter(asset__in=assets).aggregate(newest=Max("last_polled_at"))["newest"]
    if newest is None or newest <= now:
        return 0.0, []
    return (newest - now).total_seconds(), list(assets.values_list("pk", flat=True))


def ensure_states() -> int:
    """Give every pollable asset a state row, so a new asset is due at once; returns how many were added."""
    missing = list(pollable_assets().filter(state__isnull=True).values_list("pk", flat=True))
    AssetState.objects.bulk_create([AssetState(asset_id=pk) for pk in missing], ignore_conflicts=True)
    return len(missing)


def _snmp_target(asset_id: int, address: str, config: ProbeConfig, extra_oids) -> SnmpTarget:
    return SnmpTarget(
        key=asset_id,
        address=address,
        port=config.snmp_port,
        version=config.snmp_version,
        community=config.snmp_community,
        username=config.snmp_username,
        auth_protocol=config.snmp_auth_protocol,
        auth_key=config.snmp_auth_key,
        priv_protocol=config.snmp_priv_protocol,
        priv_key=config.snmp_priv_key,
        if_indexes=tuple(config.if_indexes),
        extra_oids=extra_oids,
    )


def _asked(profile, config: ProbeConfig, policy) -> tuple[tuple[str, str], ...]:
    """(label, OID) beyond the basics: the kind's metric profile for the watched interfaces, then its extra OIDs."""
    return profile_oids(profile.groups, tuple(config.if_indexes), dict(profile.oids)) + policy.extra_oids


def claim_due_jobs(
    *,
    at: float,
    due: Collection[int] = (),
    known: Container[int] = frozenset(),
    discover: bool = True,
    agency_codes: list[str] | None = None,
    asset_ids: list[int] | None = None,
    limit: int | None = None,
    force: bool = False,
) -> list[PollJob]:
    """Jobs for the assets to poll at `at` (seconds since the epoch), each moved on to its next slot.

    They are the assets in `due` (the caller's own schedule says so), then, with `discover`, up to
    `limit` that the database says are due and the caller does not know (new ones; all of them for a
    runner that has just started); with `force`, every matching asset. Moving next_poll_at to the next
    slot is also the claim: no other runner takes the asset before then.
    """
    if discover or force:
        ensure_states()
    assets = covered_assets(agency_codes, asset_ids)
    columns = JOB_COLUMNS
    with transaction.atomic():
        if force:
            rows = list(assets.order_by("pk").values_list(*columns)[:limit])
        else:
            rows = [row for chunk in chunks(due) for row in assets.filter(pk__among=chunk).values_list(*columns)]
            if discover:
                moment = _at(at) + DUE_EARLY
                fresh = assets.filter(Q(state__next_poll_at__isnull=True) | Q(state__next_poll_at__lte=moment))
                unknown = (row for row in fresh.order_by("state__next_poll_at", "pk").values_list(*columns))
                room = None if limit is None else max(limit - len(rows), 0)
                rows += islice((row for row in unknown if row[0] not in known), room)
        jobs = jobs_for_rows(rows)
        set_next_polls({job.asset_id: _at(next_slot(at, job.phase_s, job.interval_s)) for job in jobs})
    return jobs


def set_next_polls(slots: Mapping[int, datetime]) -> None:
    """Write each asset's next slot. PostgreSQL takes them all in one statement, two arrays written as text;
    elsewhere a statement per distinct slot, since an agency's assets share theirs."""
    table = AssetState._meta.db_table
    adapt = connection.ops.adapt_datetimefield_value
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            if slots:
                texts = {slot: f'"{slot.isoformat()}"' for slot in set(slots.values())}
                cursor.execute(
                    f"UPDATE {table} AS s SET next_poll_at = v.at FROM unnest(%s::bigint[], %s::timestamptz[])"
                    " AS v(id, at) WHERE s.asset_id = v.id",
                    [array_text(slots), array_text(texts[slot] for slot in slots.values())],
                )
            return
        by_slot = defaultdict(list)
        for asset_id, slot in slots.items():
            by_slot[slot].append(asset_id)
        for slot, ids in by_slot.items():
            for chunk in chunks(ids):
                cursor.execute(
                    f"UPDATE {table} SET next_poll_at = %s WHERE asset_id IN ({', '.join(['%s'] * len(chunk))})",
                    [adapt(slot), *chunk],
                )


def jobs_for_rows(rows: list[tuple[int, int, str, str]]) -> list[PollJob]:
    """Jobs for (asset id, agency id, kind, address) rows: their probes, thresholds, interval and phase."""
    configs = {}
    for chunk in chunks(pk for pk, *_rest in rows):
        configs.update({c.asset_id: c for c in ProbeConfig.objects.filter(asset_id__among=chunk)})
    policies, profiles = policies_by_kind(), profiles_by_kind()
    of_kind = {}  # per kind, once: its policy, profile and thresholds (100,000 rows are a few kinds)
    for kind in {kind for _pk, _agency_id, kind, _address in rows}:
        policy = policies.get(kind, DEFAULT_POLICY)
        thresholds = Thresholds(loss_degraded=policy.loss_degraded, rtt_degraded_ms=policy.rtt_degraded_ms)
        of_kind[kind] = (policy, profiles.get(kind, NO_PROFILE), thresholds)
    jobs = []
    for pk, agency_id, kind, address in rows:
        policy, profile, thresholds = of_kind[kind]
        config = configs.get(pk)
        interval = config.interval_s if config and config.interval_s else policy.interval_s
        jobs.append(
            PollJob(
                asset_id=pk,
                icmp=IcmpTarget(key=pk, address=address) if config is None or config.icmp else None,
                snmp=_snmp_target(pk, address, config, _asked(profile, config, policy))
                if config is not None and config.snmp
                else None,
                thresholds=thresholds,
                interval_s=interval,
                phase_s=grid_phase(agency_id, interval),
            )
        )
    return jobs


def due_batches(now: datetime, horizon: timedelta) -> list[tuple[str, datetime]]:
    """The (agency code, slot) of every batch due before `now + horizon`; new and overdue assets also at once.

    Celery beat asks once per dispatch period and a worker starts each batch at its slot, so an asset
    keeps its interval, even one shorter than the dispatch period.
    """
    ensure_states()
    start, end = now.timestamp(), (now + horizon).timestamp()
    policies = policies_by_kind()
    rows = (
        centrally_polled(pollable_assets())
        .filter(Q(state__next_poll_at__isnull=True) | Q(state__next_poll_at__lt=now + horizon))
        .values_list("agency_id", "agency__code", "kind", "probe_config__interval_s", "state__next_poll_at")
    )
    batches = set()
    for agency_id, code, kind, own_interval, next_at in rows:
        interval = own_interval or policies.get(kind, DEFAULT_POLICY).interval_s
        phase = grid_phase(agency_id, interval)
        if next_at is None or next_at <= now:
            batches.add((code, now))  # at once, then on its grid as a claim at `now` leaves it
            first = next_slot(start, phase, interval)
        else:
            first = next_at.timestamp()
        batches.update((code, _at(slot)) for slot in grid_slots(first, end, phase, interval))
    return sorted(batches)


def _at(seconds: float) -> datetime:
    return datetime.fromtimestamp(seconds, UTC)
