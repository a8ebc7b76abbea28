"""Which assets are due for a poll, claimed so that no two runners poll the same asset at once."""

from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Q

from monitoring.engine import IcmpTarget, SnmpTarget, Thresholds
from monitoring.models import AssetState, ProbeConfig
from monitoring.policies import DEFAULT_POLICY, policies_by_kind, pollable_assets
from monitoring.poll import PollJob
from monitoring.recorder import chunks


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


def claim_due_jobs(
    *,
    now: datetime,
    lease: timedelta,
    agency_codes: list[str] | None = None,
    asset_ids: list[int] | None = None,
    limit: int | None = None,
    force: bool = False,
) -> list[PollJob]:
    """Jobs for the assets due at `now` (all matching assets with `force`), leased for `lease`.

    The lease moves their next poll time forward, so another runner skips them; the recorder sets
    the real next poll time when their results arrive.
    """
    ensure_states()
    assets = pollable_assets()
    if agency_codes:
        assets = assets.filter(agency__code__in=agency_codes)
    if asset_ids:
        assets = assets.filter(pk__in=asset_ids)
    if not force:
        assets = assets.filter(Q(state__next_poll_at__isnull=True) | Q(state__next_poll_at__lte=now))
    with transaction.atomic():
        rows = list(
            assets.order_by("state__next_poll_at", "pk").values_list("pk", "kind", "management_address")[:limit]
        )
        ids = [pk for pk, _kind, _address in rows]
        configs = {}
        for chunk in chunks(ids):
            configs.update({c.asset_id: c for c in ProbeConfig.objects.filter(asset_id__in=chunk)})
            AssetState.objects.filter(asset_id__in=chunk).update(next_poll_at=now + lease)
    policies = policies_by_kind()
    jobs = []
    for pk, kind, address in rows:
        policy = policies.get(kind, DEFAULT_POLICY)
        config = configs.get(pk)
        jobs.append(
            PollJob(
                asset_id=pk,
                icmp=IcmpTarget(key=pk, address=address) if config is None or config.icmp else None,
                snmp=_snmp_target(pk, address, config, policy.extra_oids)
                if config is not None and config.snmp
                else None,
                thresholds=Thresholds(loss_degraded=policy.loss_degraded, rtt_degraded_ms=policy.rtt_degraded_ms),
                interval_s=(config.interval_s if config and config.interval_s else policy.interval_s),
            )
        )
    return jobs


def due_agency_codes(now: datetime) -> list[str]:
    """Codes of the agencies with at least one asset due at `now` (new assets included)."""
    ensure_states()
    due = pollable_assets().filter(Q(state__next_poll_at__isnull=True) | Q(state__next_poll_at__lte=now))
    return sorted(set(due.values_list("agency__code", flat=True)))
