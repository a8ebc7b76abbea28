"""Reminders of what is about to lapse: warranties, support contracts, ISP and satellite subscriptions, radio
licences (renewal) and their yearly fees, batteries, end of life.

Why here and not in assets: reminders go out through maintenance's notification outbox (Delivery), and
assets imports nothing of the apps after it. So assets exposes what lapses when (assets.expiries) and this
module, run hourly (settings.POLL_HOURLY_HOOKS, Celery beat, `manage.py send_lapse_reminders`), decides
who is told. The day is WITA's, so running it every hour is harmless: a reminder falls due at most once a
day.

Each item is reminded at its lead times (settings.LAPSE_REMINDER_DAYS before it lapses, and for a licence
also the agency's renewal lead time): when an item is N days from lapsing, the reminder of the smallest
lead time >= N is due. An item first seen late gets only the reminder it is due now, not the missed ones.
A LapseReminder row per (item, lapse date, lead time) under unique constraints makes each reminder happen
once, even when two runners race; an agency's new reminders go out as one digest to its managers and
procurement staff, its notification address and its webhooks.
"""

import logging
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from assets.choices import LapseKind
from assets.expiries import Expiry, expiries
from assets.models import Agency
from maintenance.models import LapseReminder
from maintenance.notifications import notify_lapsing

log = logging.getLogger("simpul.maintenance")


@dataclass
class ReminderSummary:
    items: int = 0  # items reminded
    agencies: int = 0
    deliveries: int = 0
    raced: int = 0  # agencies another runner reminded first


def lead_times(item: Expiry, stages: tuple[int, ...]) -> set[int]:
    leads = set(stages)
    if item.kind == LapseKind.LICENCE:
        leads.add((item.lapses_on - item.act_by).days)  # the agency's renewal lead time
    return leads


def due_lead_time(item: Expiry, today: date, stages: tuple[int, ...]) -> int | None:
    """The lead time whose reminder is due today, if any: the smallest that the item is already within."""
    days_left = item.days_left(today)
    if days_left < 0:
        return None
    within = [lead for lead in lead_times(item, stages) if days_left <= lead]
    return min(within) if within else None


def _key(item: Expiry, lead: int) -> tuple:
    return (item.kind, item.asset_id, item.licence_id, item.lapses_on, lead)


def send_lapse_reminders(*, today: date) -> ReminderSummary:
    summary = ReminderSummary()
    stages = tuple(settings.LAPSE_REMINDER_DAYS)
    longest = max(*stages, Agency.objects.aggregate(longest=Max("licence_renewal_lead_days"))["longest"] or 0)
    due: dict[int, list[tuple[Expiry, int]]] = defaultdict(list)
    for item in expiries(Agency.objects.all(), start=today, end=today + timedelta(days=longest)):
        lead = due_lead_time(item, today, stages)
        if lead is not None:
            due[item.agency_id].append((item, lead))
    for agency in Agency.objects.filter(pk__in=due).order_by("code"):
        sent = set(
            LapseReminder.objects.filter(agency=agency, lapses_on__gte=today).values_list(
                "kind", "asset_id", "licence_id", "lapses_on", "lead_days"
            )
        )
        new = [(item, lead) for item, lead in due[agency.pk] if _key(item, lead) not in sent]
        if not new:
            continue
        try:
            with transaction.atomic():
                LapseReminder.objects.bulk_create(
                    LapseReminder(
                        agency=agency,
                        kind=item.kind,
                        asset_id=item.asset_id,
                        licence_id=item.licence_id,
                        lapses_on=item.lapses_on,
                        lead_days=lead,
                    )
                    for item, lead in new
                )
                summary.deliveries += notify_lapsing(agency, [item for item, _lead in new], today)
        except IntegrityError:
            summary.raced += 1  # another runner reminded this agency first; its digest went out
            continue
        summary.items += len(new)
        summary.agencies += 1
    return summary


def hourly(now: datetime) -> None:
    """settings.POLL_HOURLY_HOOKS and Celery beat."""
    summary = send_lapse_reminders(today=timezone.localdate(now))
    if summary.items:
        log.info("lapse reminders: %s", summary)
