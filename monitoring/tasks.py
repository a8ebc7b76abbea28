"""Celery tasks: the same claim -> poll -> record path as `runpoller`, one batch per agency."""

import asyncio

from celery import shared_task
from django.utils import timezone

from monitoring.rollups import prune_samples, roll_up_completed_hours
from monitoring.runner import PollRunner
from monitoring.targets import due_agency_codes


@shared_task
def dispatch_polls() -> int:
    """Queue one poll task per agency that has assets due; returns how many were queued."""
    codes = due_agency_codes(timezone.now())
    for code in codes:
        poll_agency.delay(code)
    return len(codes)


@shared_task
def poll_agency(code: str) -> dict:
    """Claim, poll and record the due assets of one agency (claims are leased: never polled twice)."""

    async def sweep():
        async with PollRunner(agency_codes=[code]) as runner:
            return await runner.cycle()

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
    now = timezone.now()
    return {"rollups": roll_up_completed_hours(now), "pruned": prune_samples(now)}
