"""Preventive scheduling: create the work orders of every active plan ahead of their due dates.

Idempotent twice over: an order exists at most once per (plan, asset, due date), enforced by a
unique constraint, and the scheduler only creates what is missing.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction

from assets.models import Asset
from maintenance.choices import WorkOrderKind
from maintenance.models import PreventivePlan, WorkOrder
from maintenance.recurrence import occurrences
from maintenance.services import work_order_create

# Equipment that is planned, spare or retired gets no preventive work.
MAINTAINED_STATUSES = ("in_service", "faulty", "in_repair")


@dataclass
class ScheduleSummary:
    plans: int = 0
    created: int = 0


def _targets(plan: PreventivePlan) -> list[Asset]:
    if plan.asset_id:
        return [plan.asset]
    return list(Asset.objects.filter(agency_id=plan.agency_id, kind=plan.asset_kind, status__in=MAINTAINED_STATUSES))


def next_due(plan: PreventivePlan, today: date) -> date | None:
    """The plan's first due date on or after `today` (within a few years), for the plans page."""
    dues = occurrences(
        starts_on=plan.starts_on,
        every=plan.every,
        unit=plan.unit,
        day_of_month=plan.day_of_month,
        until=max(today, plan.starts_on) + timedelta(days=3 * 366),
    )
    return next((due for due in dues if due >= today), None)


def schedule_maintenance(*, today: date) -> ScheduleSummary:
    """Create the orders due from `today` up to each plan's lead time ahead."""
    summary = ScheduleSummary()
    for plan in PreventivePlan.objects.filter(active=True).select_related("asset", "agency"):
        summary.plans += 1
        horizon = today + timedelta(days=plan.lead_days)
        dues = [
            due
            for due in occurrences(
                starts_on=plan.starts_on,
                every=plan.every,
                unit=plan.unit,
                day_of_month=plan.day_of_month,
                until=horizon,
            )
            if due >= today
        ]
        if not dues:
            continue
        with transaction.atomic():
            existing = set(WorkOrder.objects.filter(plan=plan, due_date__in=dues).values_list("asset_id", "due_date"))
            for asset in _targets(plan):
                for due in dues:
                    if (asset.pk, due) in existing:
                        continue
                    work_order_create(
                        reporter=None,
                        checklist=plan.checklist,
                        agency=plan.agency,
                        asset=asset,
                        kind=WorkOrderKind.PREVENTIVE,
                        priority=plan.priority,
                        title=f"{plan.title}: {asset.name}",
                        due_date=due,
                        plan=plan,
                    )
                    summary.created += 1
    return summary
