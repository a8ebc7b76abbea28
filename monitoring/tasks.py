"""Celery tasks: the same claim -> poll -> record path as `runpoller`, one batch per agency and slot."""

import asyncio
from datetime import datetime, timedelta

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from monitoring.history import upkeep as history_upkeep
from monitoring.runner import PollRunner
from monitoring.targets import due_batches


@shared_task
def dispatch_polls() -> int:
    """Queue a poll task per agency and slot due before the next dispatch, to start at its slot; returns how many.

    Handing out the coming period's slots (not only those already passed) keeps every asset at its own
    interval, instead of its interval rounded up to the next dispatch.
    """
    now = timezone.now()
    batches = due_batches(now, timedelta(seconds=settings.CELERY_DISPATCH_INTERVAL_S))
    for code, slot in batches:
        poll_agency.apply_async((code, slot.isoformat()), eta=slot)
    return len(batches)


@shared_task
def poll_agency(code: str, slot: str | None = None) -> dict:
    """Claim, poll and record the due assets of one agency (claims move them on: never polled twice)."""

    async def sweep():
        async with PollRunner(agency_codes=[code]) as runner:
            return await runner.cycle(until=datetime.fromisoformat(slot) if slot else None)

    report = asyncio.run(sweep())
    recorded = report.recorded
    return {
        "agency": code,
        "polled": report.jobs,
        "recorded": recorded.samples if recorded else 0,
        "transitions": len(recorded.transitions) if recorded else 0,
    }


@shared_task
def upkeep() -> dict:
    packed, pruned = history_upkeep(timezone.now())
    return {"packed": packed, "pruned": pruned}
