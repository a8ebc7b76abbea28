"""The figures of an agency's monthly report, computed from the data when asked."""

from dataclasses import asdict
from datetime import date, timedelta

from django.utils import timezone

from assets.gaps import gap_rows
from assets.models import Agency, Asset
from maintenance.metrics import maintenance_metrics
from maintenance.models import WorkOrder
from monitoring.availability import availability
from monitoring.intervals import elapsed_s
from monitoring.models import Outage
from reports.deadlines import deadline, month_bounds, submission_status
from reports.models import MonthlyReport

GAP_HORIZON = timedelta(days=180)


def monthly_report_data(agency: Agency, month: date) -> dict:
    start, end = month_bounds(month)
    assets = Asset.objects.filter(agency=agency)
    report = MonthlyReport.objects.filter(agency=agency, month=month).first()
    by_kind = availability(assets, start=start, end=end, group_by="kind")
    [overall] = availability(assets, start=start, end=end, group_by="agency") or [None]
    outages = Outage.objects.filter(asset__agency=agency, started_at__lt=end).exclude(ended_at__lt=start)
    [metrics] = maintenance_metrics(
        WorkOrder.objects.filter(agency=agency), assets, start=start, end=end, group_by="agency"
    ) or [{}]
    gaps = gap_rows(
        Agency.objects.filter(pk=agency.pk), today=timezone.localdate(), horizon=timezone.localdate() + GAP_HORIZON
    )
    return {
        "agency": agency.code,
        "agency_name": agency.name,
        "month": month.strftime("%Y-%m"),
        "deadline": deadline(month),
        "status": submission_status(month, report.submitted_at if report else None, timezone.now()),
        "submitted_at": report.submitted_at if report else None,
        "acknowledged_at": report.acknowledged_at if report else None,
        "notes": report.notes if report else "",
        "availability": overall.availability if overall else None,
        "availability_by_kind": [{"kind": r.key, "assets": r.assets, "availability": r.availability} for r in by_kind],
        "outages": [
            {
                "asset": o.asset.name,
                "kind": o.asset.kind,
                "started_at": o.started_at,
                "ended_at": o.ended_at,
                "duration_min": round(elapsed_s(o.started_at, o.ended_at or min(end, timezone.now())) / 60),
                "cause": o.cause,
            }
            for o in outages.select_related("asset").order_by("started_at")
        ],
        "maintenance": {
            key: metrics.get(key)
            for key in ("repairs", "mttr_s", "pm_due", "pm_on_time", "pm_compliance", "open", "overdue", "cost_idr")
        },
        "gaps": [asdict(row) for row in gaps if row.to_buy],
        "gap_cost_idr": sum(row.cost_idr for row in gaps),
    }


def report_statuses(agencies, month: date) -> list[dict]:
    reports = {r.agency_id: r for r in MonthlyReport.objects.filter(agency__in=agencies, month=month)}
    now = timezone.now()
    rows = []
    for agency in agencies.order_by("code"):
        report = reports.get(agency.pk)
        rows.append(
            {
                "agency": agency.code,
                "agency_name": agency.name,
                "month": month.strftime("%Y-%m"),
                "status": submission_status(month, report.submitted_at if report else None, now),
                "submitted_at": report.submitted_at if report else None,
                "acknowledged_at": report.acknowledged_at if report else None,
            }
        )
    return rows
