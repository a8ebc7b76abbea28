"""The figures of an agency's monthly report, computed from the data when asked."""

from dataclasses import asdict
from datetime import date, timedelta

from django.db.models import Q
from django.utils import timezone

from assets.expiries import EXPIRY_WINDOWS_DAYS, expired_licence_row, expiries, expiry_row, radios_on_expired_licence
from assets.gaps import gap_rows, renewal_rows
from assets.models import Agency, Asset
from maintenance.metrics import maintenance_metrics
from maintenance.models import WorkOrder
from monitoring.availability import availability
from monitoring.intervals import clip, seconds
from monitoring.models import Outage
from reports.deadlines import deadline, month_bounds, submission_status
from reports.models import MonthlyReport

GAP_HORIZON = timedelta(days=180)


def monthly_report_data(agency: Agency, month: date) -> dict:
    """Everything the report shows for `month`.

    An outage's minutes are those inside the month (WITA): one across a month boundary is split between
    the two reports, not counted in full in both; an open one counts up to now.
    """
    start, end = month_bounds(month)
    until = min(end, timezone.now())
    assets = Asset.objects.filter(agency=agency)
    report = MonthlyReport.objects.filter(agency=agency, month=month).first()
    by_kind = availability(assets, start=start, end=end, group_by="kind")
    [overall] = availability(assets, start=start, end=end, group_by="agency") or [None]
    outages = Outage.objects.filter(
        Q(ended_at__isnull=True) | Q(ended_at__gt=start), asset__agency=agency, started_at__lt=end
    )
    [metrics] = maintenance_metrics(
        WorkOrder.objects.filter(agency=agency), assets, start=start, end=end, group_by="agency"
    ) or [{}]
    gaps = gap_rows(
        Agency.objects.filter(pk=agency.pk), today=timezone.localdate(), horizon=timezone.localdate() + GAP_HORIZON
    )
    # What lapses and what needs renewing are as of today, like the gaps: the report says what to do next.
    today, mine = timezone.localdate(), Agency.objects.filter(pk=agency.pk)
    renewals = renewal_rows(mine, today=today, horizon=today + GAP_HORIZON)
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
                "duration_min": round(seconds(clip([(o.started_at, o.ended_at or until)], start, until)) / 60),
                "cause": o.cause,
            }
            for o in outages.select_related("asset").order_by("started_at")
        ],
        "maintenance": {
            key: metrics.get(key)
            for key in ("repairs", "mttr_s", "pm_due", "pm_on_time", "pm_compliance", "open", "overdue", "cost_idr")
        },
        "gaps": [asdict(row) for row in gaps if row.to_buy],
        "renewals": [asdict(row) for row in renewals],
        "gap_cost_idr": sum((row.cost_idr or 0) + (row.yearly_cost_idr or 0) for row in [*gaps, *renewals]),
        "expired_licence_radios": [expired_licence_row(r) for r in radios_on_expired_licence(mine, today=today)],
        "lapsing": [
            expiry_row(item, today)
            for item in expiries(mine, start=today, end=today + timedelta(days=max(EXPIRY_WINDOWS_DAYS)))
        ],
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
