"""Celery beat tasks of the maintenance app."""

from celery import shared_task
from django.utils import timezone

from maintenance import reminders
from maintenance.cycle import after_poll_cycle, hourly


@shared_task
def maintenance_after_poll() -> None:
    after_poll_cycle(timezone.now())


@shared_task
def maintenance_hourly() -> None:
    hourly(timezone.now())


@shared_task
def maintenance_lapse_reminders() -> None:
    reminders.hourly(timezone.now())
