"""Celery: flag missed scheduled calls when the embedded poller is not the one running."""

from celery import shared_task
from django.utils import timezone

from rollcalls.services import flag_missed_calls


@shared_task
def rollcalls_flag_missed() -> int:
    return flag_missed_calls(timezone.now())
