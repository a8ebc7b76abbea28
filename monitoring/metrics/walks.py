"""Walks of the interface tables of SNMP assets, kept per asset so the watched interfaces can be chosen by name.

A walk is a network conversation, so it never runs inside a request: the poller's hourly upkeep walks the
assets whose list is missing or a day old (a few hundred an hour at most), and `manage.py walkinterfaces`
walks some at once.
"""

import asyncio
from dataclasses import asdict
from datetime import datetime, timedelta

from django.db.models import Q
from django.utils import timezone

from monitoring.engine import SnmpPoller
from monitoring.engine.interfaces import interface_table
from monitoring.engine.snmp_client import Failure
from monitoring.metrics.models import AssetInterfaces
from monitoring.policies import pollable_assets
from monitoring.remote.assignment import centrally_polled
from monitoring.targets import JOB_COLUMNS, jobs_for_rows

STALE = timedelta(days=1)
PER_HOUR = 500


def walk_interfaces(asset_ids: list[int], now: datetime | None = None) -> dict[int, str]:
    """Walk these assets (those polled by SNMP) and store their lists; asset id -> error ("" when walked)."""
    now = now or timezone.now()
    rows = pollable_assets().filter(pk__in=asset_ids, probe_config__snmp=True).values_list(*JOB_COLUMNS)
    targets = [job.snmp for job in jobs_for_rows(list(rows)) if job.snmp is not None]

    async def walk_all():
        async with SnmpPoller(timeout=2.0, retries=1) as poller:
            limit = asyncio.Semaphore(32)

            async def one(target):
                async with limit:
                    return await interface_table(poller, target)

            return await asyncio.gather(*(one(target) for target in targets))

    outcomes = asyncio.run(walk_all()) if targets else []
    errors = {}
    for target, outcome in zip(targets, outcomes, strict=True):
        if isinstance(outcome, Failure):
            errors[target.key] = outcome.reason
            AssetInterfaces.objects.update_or_create(
                asset_id=target.key, defaults={"walked_at": now, "error": outcome.reason[:300]}
            )
        else:
            errors[target.key] = ""
            AssetInterfaces.objects.update_or_create(
                asset_id=target.key,
                defaults={"walked_at": now, "error": "", "interfaces": [asdict(i) for i in outcome]},
            )
    return errors


def hourly(now: datetime) -> None:
    """Walk the centre's SNMP assets never walked, or not for a day (settings.POLL_HOURLY_HOOKS)."""
    fresh = AssetInterfaces.objects.filter(walked_at__gte=now - STALE).values("asset_id")
    due = centrally_polled(pollable_assets()).filter(probe_config__snmp=True).exclude(Q(pk__in=fresh)).order_by("pk")
    walk_interfaces(list(due.values_list("pk", flat=True)[:PER_HOUR]), now)
