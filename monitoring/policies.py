"""Per-kind polling policy with defaults for kinds an administrator has not configured."""

from dataclasses import dataclass

from django.db.models import QuerySet

from assets.choices import AssetStatus
from assets.models import Asset
from monitoring.models import KindPolicy

# Planned, spare and retired equipment is not expected to answer: not polled, and counts nowhere.
POLLED_STATUSES = (AssetStatus.IN_SERVICE, AssetStatus.FAULTY, AssetStatus.IN_REPAIR)

_DEFAULT = KindPolicy()


def pollable_assets() -> QuerySet:
    return (
        Asset.objects.filter(status__in=POLLED_STATUSES)
        .exclude(management_address="")
        .exclude(probe_config__enabled=False)
    )


@dataclass(frozen=True, slots=True)
class Policy:
    interval_s: int
    confirm_count: int
    loss_degraded: float
    rtt_degraded_ms: float
    extra_oids: tuple[tuple[str, str], ...]


def _policy(row: KindPolicy) -> Policy:
    return Policy(
        interval_s=row.interval_s,
        confirm_count=row.confirm_count,
        loss_degraded=row.loss_degraded,
        rtt_degraded_ms=row.rtt_degraded_ms,
        extra_oids=tuple(sorted(row.extra_oids.items())),
    )


DEFAULT_POLICY = _policy(_DEFAULT)


def policies_by_kind() -> dict[str, Policy]:
    """Every configured kind's policy (one query); look kinds up with `.get(kind, DEFAULT_POLICY)`."""
    return {row.kind: _policy(row) for row in KindPolicy.objects.all()}
