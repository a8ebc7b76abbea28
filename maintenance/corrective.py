"""Corrective work from monitoring: a long outage opens (or joins) a corrective work order.

Runs after every poll cycle (settings.POLL_CYCLE_HOOKS) and from Celery beat. An outage lasting
longer than its kind's CorrectiveRule opens one corrective order assigned by the agency's default
rule; another outage while that order is still open is added to it. When the asset recovers, the
recovery time is noted on the order; closing it stays with the technician. An outage that may still
turn out to be an ancestor's (one not heard from since it began) waits: the work belongs to the root cause.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from maintenance.choices import NotificationEvent, Priority, WorkOrderKind
from maintenance.models import AgencyMaintenanceSettings, CorrectiveRule, WorkOrder
from maintenance.notifications import notify
from maintenance.services import work_order_create
from maintenance.transitions import ACTIVE
from monitoring.dependencies import unsettled_outages
from monitoring.models import Outage
from monitoring.windows import active_windows

DEFAULT_AFTER = timedelta(minutes=15)


@dataclass
class CorrectiveSummary:
    opened: int = 0
    joined: int = 0
    recovered: int = 0


def _after(rule: CorrectiveRule | None) -> timedelta:
    return timedelta(minutes=rule.after_minutes) if rule else DEFAULT_AFTER


@transaction.atomic
def open_corrective_orders(now: datetime) -> CorrectiveSummary:
    summary = CorrectiveSummary()
    rules = {r.kind: r for r in CorrectiveRule.objects.all()}
    windows = active_windows(now)
    candidates = [
        outage
        for outage in Outage.objects.filter(ended_at__isnull=True, work_orders__isnull=True).select_related(
            "asset", "asset__agency"
        )
        if outage.started_at <= now - _after(rules.get(outage.asset.kind))
    ]
    unsettled = unsettled_outages(candidates)
    for outage in candidates:
        if outage.pk in unsettled:
            continue  # its parent has not answered since it began: it may yet be the parent's outage
        rule = rules.get(outage.asset.kind)
        asset = outage.asset
        if windows.covers(asset.pk, asset.site_id, asset.agency_id):
            continue  # in maintenance (a window, or a work order in progress): no corrective order
        order = (
            WorkOrder.objects.filter(asset=outage.asset, kind=WorkOrderKind.CORRECTIVE, status__in=ACTIVE)
            .order_by("created_at")
            .first()
        )
        if order is not None:
            order.outages.add(outage)
            order.recovered_at = None
            order.save(update_fields=["recovered_at", "updated_at"])
            summary.joined += 1
            continue
        settings_row = AgencyMaintenanceSettings.objects.filter(agency_id=outage.asset.agency_id).first()
        since = timezone.localtime(outage.started_at)  # WITA, as every time people read
        order = work_order_create(
            reporter=None,
            agency=outage.asset.agency,
            asset=outage.asset,
            kind=WorkOrderKind.CORRECTIVE,
            priority=rule.priority if rule else Priority.HIGH,
            title=f"Gangguan: {outage.asset.name}",
            description=f"Mati sejak {since:%Y-%m-%d %H:%M} WITA. {outage.cause}".strip(),
            assignee=settings_row.default_assignee if settings_row else None,
        )
        order.outages.add(outage)
        notify(NotificationEvent.OUTAGE_OPENED, order)
        summary.opened += 1
    for order in WorkOrder.objects.filter(
        kind=WorkOrderKind.CORRECTIVE, status__in=ACTIVE, recovered_at__isnull=True, outages__isnull=False
    ).distinct():
        latest = order.outages.order_by("-started_at").first()
        if latest.ended_at is not None:
            order.recovered_at = latest.ended_at
            order.save(update_fields=["recovered_at", "updated_at"])
            summary.recovered += 1
    return summary
