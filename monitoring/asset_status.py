"""Where every asset on hand stands, monitored or not: the one rule the dashboard, the agency page and the API share.

An asset with a confirmed state counts under that state. Every other asset on hand still counts, under
"belum dicek" (monitored, but no result yet: a router not yet polled, a radio never roll-called) or
"tidak dipantau" (nothing watches it, with the reason: a spare, a genset, an asset without a management
address). So an agency whose radios were never called shows them as unchecked, not as nothing.
"""

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime

from django.db import models
from django.db.models import BooleanField, Count, ExpressionWrapper, Q, QuerySet, Value
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assets.choices import AssetKind, AssetStatus
from monitoring.choices import State
from monitoring.remote.health import silent_asset_ids, silent_assets_q
from monitoring.services import RADIO_KINDS  # without an address, roll calls watch them

# Equipment on hand: planned equipment is not bought yet and retired equipment is gone; spares are kept.
ON_HAND_STATUSES = (AssetStatus.IN_SERVICE, AssetStatus.FAULTY, AssetStatus.IN_REPAIR, AssetStatus.SPARE)
# Kinds with nothing to ask over the network unless someone fitted a controller with an address.
PASSIVE_KINDS = (AssetKind.GENSET, AssetKind.SOLAR_POWER)


class Bucket(models.TextChoices):
    """Where an asset counts, worst first (the order of SEVERITY)."""

    DOWN = State.DOWN.value, State.DOWN.label
    UNREACHABLE = State.UNREACHABLE.value, State.UNREACHABLE.label
    DEGRADED = State.DEGRADED.value, State.DEGRADED.label
    UNKNOWN = State.UNKNOWN.value, State.UNKNOWN.label
    UNCHECKED = "unchecked", _("Belum dicek")
    UNMONITORED = "unmonitored", _("Tidak dipantau")
    MAINTENANCE = State.MAINTENANCE.value, State.MAINTENANCE.label
    UP = State.UP.value, State.UP.label


SEVERITY = {bucket: rank for rank, bucket in enumerate(Bucket.values)}


class Reason(models.TextChoices):
    """Why an asset has no state to show."""

    FIRST_RESULT = "first_result", _("menunggu hasil pertama")
    POLLER_SILENT = "poller_silent", _("poller diam")
    NEVER_CALLED = "never_called", _("belum pernah diapelkan")
    SPARE = "spare", _("cadangan, tidak terpasang")
    PROBE_OFF = "probe_off", _("pemantauan dimatikan")
    IN_REPAIR = "in_repair", _("dalam perbaikan")
    FAULTY = "faulty", _("rusak, tanpa alamat untuk dipantau")
    KIND_NOT_POLLED = "kind_not_polled", _("jenis ini tidak dipantau")
    NO_ADDRESS = "no_address", _("tanpa alamat manajemen")


# What classify reads of an asset, as one values() row: a query per list, whatever its length.
FIELDS = (
    "kind",
    "status",
    "management_address",
    "probe_config__enabled",
    "state__state",
    "state__monitored_since",
)


@dataclass(frozen=True, slots=True)
class Standing:
    bucket: str
    reason: str = ""  # a Reason for unchecked and unmonitored assets


def classify(
    *,
    kind: str,
    status: str,
    has_address: bool,
    probe_enabled: bool | None,
    state: str | None,
    seen: bool,
    poller_silent: bool = False,
) -> Standing:
    """Where one asset on hand counts. `probe_enabled` is None without a probe config; `state` is None
    without a state row, and `seen` is False until its first result (no monitored_since). `poller_silent`: the
    remote poller that polls it is silent (monitoring.remote.health), so its last state says nothing of it now."""
    if status == AssetStatus.SPARE:
        return Standing(Bucket.UNMONITORED, Reason.SPARE)
    if probe_enabled is False:
        return Standing(Bucket.UNMONITORED, Reason.PROBE_OFF)
    if has_address and poller_silent:
        return Standing(Bucket.UNKNOWN, Reason.POLLER_SILENT)
    if has_address:  # polled (monitoring.policies.pollable_assets)
        return Standing(state) if state and seen else Standing(Bucket.UNCHECKED, Reason.FIRST_RESULT)
    if status == AssetStatus.IN_REPAIR:
        return Standing(Bucket.UNMONITORED, Reason.IN_REPAIR)
    if kind in RADIO_KINDS:  # watched by roll calls
        return Standing(state) if state and seen else Standing(Bucket.UNCHECKED, Reason.NEVER_CALLED)
    if status == AssetStatus.FAULTY:
        return Standing(Bucket.UNMONITORED, Reason.FAULTY)
    if kind in PASSIVE_KINDS:
        return Standing(Bucket.UNMONITORED, Reason.KIND_NOT_POLLED)
    return Standing(Bucket.UNMONITORED, Reason.NO_ADDRESS)


def on_hand(assets: QuerySet) -> QuerySet:
    return assets.filter(status__in=ON_HAND_STATUSES)


def standings(assets: QuerySet, *extra: str, now: datetime | None = None) -> Iterator[tuple[tuple, Standing]]:
    """Each asset on hand of `assets` with its standing at `now`, in one query (and one more per silent
    poller); the row holds the `extra` fields first."""
    silent = silent_asset_ids(now or timezone.now())
    for row in on_hand(assets).values_list(*extra, "pk", *FIELDS):
        pk, kind, status, address, probe_enabled, state, monitored_since = row[len(extra) :]
        yield (
            row[: len(extra)],
            classify(
                kind=kind,
                status=status,
                has_address=bool(address),
                probe_enabled=probe_enabled,
                state=state,
                seen=monitored_since is not None,
                poller_silent=pk in silent,
            ),
        )


def standing_counts(
    assets: QuerySet, group: str, now: datetime | None = None
) -> Iterator[tuple[object, Standing, int]]:
    """How many assets on hand of `assets` stand where, per value of `group`: what `standings` says, counted by
    the database. The dashboard's 100,000 assets come back as a few rows per agency, each classified once."""
    silent = silent_assets_q(now or timezone.now())
    alike = {  # what classify tells apart, and nothing more
        "has_address": ExpressionWrapper(~Q(management_address=""), output_field=BooleanField()),
        "seen": ExpressionWrapper(Q(state__monitored_since__isnull=False), output_field=BooleanField()),
        "silent": Value(False) if silent is None else ExpressionWrapper(silent, output_field=BooleanField()),
    }
    rows = (
        on_hand(assets)
        .order_by()
        .values(group, "kind", "status", "probe_config__enabled", "state__state", **alike)
        .annotate(assets=Count("pk"))
        .values_list(group, "kind", "status", "probe_config__enabled", "state__state", *alike, "assets")
    )
    for key, kind, status, probe_enabled, state, has_address, seen, poller_silent, number in rows:
        standing = classify(
            kind=kind,
            status=status,
            has_address=has_address,
            probe_enabled=probe_enabled,
            state=state,
            seen=seen,
            poller_silent=poller_silent,
        )
        yield key, standing, number


def worst(buckets: Iterable[str]) -> str | None:
    """The worst bucket of a group (an agency, a site). Unmonitored assets say nothing of the network's
    health: they decide it only when nothing else is watched. None for a group without assets."""
    present = set(buckets)
    watched = present - {Bucket.UNMONITORED}
    if watched:
        return min(watched, key=SEVERITY.__getitem__)
    return Bucket.UNMONITORED if present else None


def counts(buckets: Iterable[str] | Counter) -> dict[str, int]:
    """How many of each bucket (one per asset, or already counted), every bucket present (zero where none)."""
    counted = Counter(buckets)
    return {bucket: counted[bucket] for bucket in Bucket.values}


def bucket_label(bucket: str | None) -> str:
    return str(Bucket(bucket).label) if bucket else ""


def bucket_labels() -> dict[str, str]:
    """Every bucket's label in the current language, worst first."""
    return {bucket: str(label) for bucket, label in Bucket.choices}


def reason_label(reason: str) -> str:
    return str(Reason(reason).label) if reason else ""
