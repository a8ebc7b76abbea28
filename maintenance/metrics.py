"""Maintenance metrics per asset, agency or kind over a period: MTTR, MTBF, PM compliance, counts, cost.

- MTTR: mean time from opening to finishing corrective orders finished in the period. An order opened last
  month and finished in this one counts here, once, with its whole repair time: MTTR describes repairs, and
  a repair is not split at a month boundary. Downtime minutes are what gets clipped to the period.
- MTBF: watched time without outage (downtime clipped to the period), divided by the number of outages that
  started in the period, so an outage across a month boundary is one failure, of the month it began in.
- PM compliance: preventive orders due in the period and finished by their due date with every checklist
  item done, over all due. One finished with items left undone (each with its reason) is done with
  exceptions: counted apart (`pm_with_exceptions`), not as compliant.
- open / overdue: active orders now; cost: parts of orders finished in the period (IDR).
"""

from collections import defaultdict
from datetime import date, datetime

from django.db.models import DecimalField, Exists, ExpressionWrapper, F, OuterRef, QuerySet, Sum
from django.utils import timezone

from maintenance.choices import WorkOrderKind, WorkOrderStatus
from maintenance.models import ChecklistItem, PartLine
from maintenance.transitions import ACTIVE
from monitoring.availability import availability

GROUP_FIELDS = {"asset": "asset_id", "agency": "agency__code", "kind": "asset__kind"}


def maintenance_metrics(
    orders: QuerySet, assets: QuerySet, *, start: datetime, end: datetime, group_by: str = "agency"
) -> list[dict]:
    """One row per group; `orders` and `assets` are already scoped to what the user may see."""
    key = GROUP_FIELDS[group_by]
    today = timezone.localdate()
    rows: dict = defaultdict(
        lambda: {
            "mttr_s": None,
            "mtbf_s": None,
            "pm_due": 0,
            "pm_on_time": 0,
            "pm_with_exceptions": 0,
            "open": 0,
            "overdue": 0,
            "cost_idr": 0,
            "repairs": 0,
            "outages": 0,
        }
    )

    repair_seconds: dict = defaultdict(float)
    finished = orders.filter(
        kind=WorkOrderKind.CORRECTIVE, status=WorkOrderStatus.DONE, done_at__gte=start, done_at__lt=end
    )
    for group, created, done in finished.values_list(key, "created_at", "done_at"):
        rows[group]["repairs"] += 1
        repair_seconds[group] += (done - created).total_seconds()
    for group, seconds in repair_seconds.items():
        rows[group]["mttr_s"] = round(seconds / rows[group]["repairs"], 1)

    preventive = orders.filter(
        kind=WorkOrderKind.PREVENTIVE, due_date__gte=_date(start), due_date__lt=_date(end)
    ).annotate(skipped=Exists(ChecklistItem.objects.filter(work_order=OuterRef("pk"), done=False)))
    for group, status, due, done_at, skipped in preventive.values_list(key, "status", "due_date", "done_at", "skipped"):
        if status == WorkOrderStatus.CANCELLED:
            continue
        rows[group]["pm_due"] += 1
        if status != WorkOrderStatus.DONE:
            continue
        if skipped:
            rows[group]["pm_with_exceptions"] += 1
        elif timezone.localdate(done_at) <= due:
            rows[group]["pm_on_time"] += 1

    for group, due in orders.filter(status__in=ACTIVE).values_list(key, "due_date"):
        rows[group]["open"] += 1
        if due is not None and due < today:
            rows[group]["overdue"] += 1

    line_total = ExpressionWrapper(F("quantity") * F("unit_cost_idr"), output_field=DecimalField())
    parts = PartLine.objects.filter(
        work_order__in=orders.filter(status=WorkOrderStatus.DONE, done_at__gte=start, done_at__lt=end)
    )
    for group, total in parts.values_list(f"work_order__{key}").annotate(total=Sum(line_total)):
        rows[group]["cost_idr"] = int(total or 0)

    for row in availability(assets, start=start, end=end, group_by=group_by):
        uptime = row.monitored_s - row.down_s
        rows[row.key]["outages"] = row.started
        rows[row.key]["mtbf_s"] = round(uptime / row.started, 1) if row.started else None

    result = []
    for group in sorted(rows, key=str):
        row = rows[group]
        row["pm_compliance"] = round(row["pm_on_time"] / row["pm_due"], 4) if row["pm_due"] else None
        result.append({"key": group, **row})
    return result


def _date(moment: datetime) -> date:
    return timezone.localtime(moment).date()
