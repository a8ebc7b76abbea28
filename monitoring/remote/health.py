"""Whether the centre still hears from a remote poller: the one rule that pages, asset states and alerts share.

A poller reports with every results POST, and every 20 s when it has nothing to send (its heartbeat,
monitoring.remote.shipper.HEARTBEAT_S). It is silent once its last contact (or, never heard from, its
creation) is older than settings.POLLER_SILENT_AFTER_S (default 180 s: many missed heartbeats and retries,
not one lost request; at least three times the heartbeat). Its assets are then "unknown
(poller silent)" on every page, whatever their last state was: the centre cannot know, and a dead uplink is
not a dead asset. Nothing is written for them, so no outage opens; when the poller is heard again, its
backlog brings their true states, with the times it took them.
"""

import operator
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import reduce

from django.conf import settings
from django.db import models
from django.db.models import BooleanField, Case, ExpressionWrapper, F, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from monitoring.choices import State
from monitoring.models import Poller
from monitoring.remote.assignment import active_pollers, poller_assets


class PollerHealth(models.TextChoices):
    """How a poller stands, worst first (the order pages list them in)."""

    SILENT = "silent", _("Diam")
    WAITING = "waiting", _("Menunggu kontak pertama")
    REPORTING = "reporting", _("Melapor")
    REVOKED = "revoked", _("Dicabut")


RANK = {health: rank for rank, health in enumerate(PollerHealth.values)}


def silent_after() -> timedelta:
    return timedelta(seconds=settings.POLLER_SILENT_AFTER_S)


def health(poller: Poller, now: datetime) -> str:
    if poller.revoked_at is not None:
        return PollerHealth.REVOKED
    heard = poller.last_contact_at or poller.created_at
    if heard < now - silent_after():
        return PollerHealth.SILENT
    return PollerHealth.REPORTING if poller.last_contact_at else PollerHealth.WAITING


def silent_pollers(now: datetime) -> QuerySet:
    """Active pollers not heard from within the threshold (also those never heard from since their creation)."""
    heard = Coalesce("last_contact_at", "created_at")
    return active_pollers().alias(heard=heard).filter(heard__lt=now - silent_after())


@dataclass(frozen=True, slots=True)
class Silence:
    poller: Poller
    since: datetime  # its last contact, or its creation if it never reported
    asset_ids: frozenset[int]


def silences(now: datetime) -> list[Silence]:
    """Each silent poller with the assets it holds (one query for the pollers, one per silent poller)."""
    return [
        Silence(
            poller,
            poller.last_contact_at or poller.created_at,
            frozenset(poller_assets(poller).values_list("pk", flat=True)),
        )
        for poller in silent_pollers(now).select_related("agency").order_by("pk")
    ]


def silent_asset_ids(now: datetime) -> frozenset[int]:
    return frozenset().union(*(silence.asset_ids for silence in silences(now)))


def silent_assets_q(now: datetime, field: str = "pk") -> Q | None:
    """The assets of silent pollers as one condition on `field` (an asset id), subqueries and no id list;
    None while every poller reports."""
    held = [Q(**{f"{field}__in": poller_assets(poller).values("pk")}) for poller in silent_pollers(now)]
    return reduce(operator.or_, held) if held else None


def shown_states(states: QuerySet, now: datetime) -> QuerySet:
    """AssetState rows with `shown_state` (unknown while the asset's poller is silent, else the stored state)
    and `poller_silent`, for lists and filters that must say what the pages say."""
    silent = silent_assets_q(now, field="asset_id")
    if silent is None:
        return states.annotate(shown_state=F("state"), poller_silent=Value(False))
    return states.annotate(
        poller_silent=ExpressionWrapper(silent, output_field=BooleanField()),
        shown_state=Case(When(silent, then=Value(State.UNKNOWN)), default=F("state")),
    )
