"""The figures of an agency's monthly report, computed from the data when asked."""

from dataclasses import asdict
from datetime import date, timedelta

from django.db.models import Q
from django.utils import timezone

from assets.choices import AssetKind, LinkRole
from assets.expiries import EXPIRY_WINDOWS_DAYS, expired_licence_row, expiries, expiry_row, radios_on_expired_licence
from assets.gaps import gap_rows, renewal_rows
from assets.models import Agency, Asset
from maintenance.choices import WorkOrderKind, WorkOrderStatus
from maintenance.metrics import maintenance_metrics
from maintenance.models import WorkOrder
from monitoring.availability import availability
from monitoring.intervals import clip, seconds
from monitoring.models import Outage
from reports.choices import ReportState
from reports.deadlines import deadline, due_on, month_bounds, submission_status
from reports.models import MonthlyReport
from rollcalls.models import RollCallSchedule
from rollcalls.selectors import compliance, trouble_first
from simpul import formats

GAP_HORIZON = timedelta(days=180)


def report_state(report: MonthlyReport | None, month: date, now) -> ReportState:
    """Accepted, submitted (late if after the deadline), and when not submitted: late once the deadline has
    passed, else returned, draft (notes saved) or not started. Trouble reads first."""
    if report is not None and report.acknowledged_at is not None:
        return ReportState.ACCEPTED
    if report is not None and report.submitted_at is not None:
        return ReportState.LATE if report.submitted_at >= deadline(month) else ReportState.SUBMITTED
    if now >= deadline(month):
        return ReportState.LATE
    if report is not None and report.returned_at is not None:
        return ReportState.RETURNED
    return ReportState.NOT_STARTED if report is None else ReportState.DRAFT


def _report_fields(report: MonthlyReport | None, month: date, now) -> dict:
    state = report_state(report, month, now)
    return {
        "status": submission_status(month, report.submitted_at if report else None, now),
        "state": state.value,
        "state_label": str(state.label),
        "submitted_at": report.submitted_at if report else None,
        "submitted_by": formats.person(report.submitted_by) if report else "",
        "acknowledged_at": report.acknowledged_at if report else None,
        "acknowledged_by": formats.person(report.acknowledged_by) if report else "",
        "returned_at": report.returned_at if report else None,
        "return_reason": report.return_reason if report else "",
        "notes": report.notes if report else "",
    }


def monthly_report_data(agency: Agency, month: date) -> dict:
    """Everything the report shows for `month`.

    An outage's minutes are those inside the month (WITA): one across a month boundary is split between
    the two reports, not counted in full in both; an open one counts up to now.
    """
    start, end = month_bounds(month)
    now = timezone.now()
    until = min(end, now)
    assets = Asset.objects.filter(agency=agency)
    report = (
        MonthlyReport.objects.select_related("submitted_by", "acknowledged_by")
        .filter(agency=agency, month=month)
        .first()
    )
    by_kind = availability(assets, start=start, end=end, group_by="kind")
    [overall] = availability(assets, start=start, end=end, group_by="agency") or [None]
    outages = Outage.objects.filter(
        Q(ended_at__isnull=True) | Q(ended_at__gt=start), asset__agency=agency, started_at__lt=end
    )
    [metrics] = maintenance_metrics(
        WorkOrder.objects.filter(agency=agency), assets, start=start, end=end, group_by="agency"
    ) or [{}]
    done = WorkOrder.objects.filter(
        agency=agency, status=WorkOrderStatus.DONE, done_at__gte=start, done_at__lt=end
    ).select_related("asset", "assignee")
    gaps = gap_rows(
        Agency.objects.filter(pk=agency.pk), today=timezone.localdate(), horizon=timezone.localdate() + GAP_HORIZON
    )
    # What lapses and what needs renewing are as of today, like the gaps: the report says what to do next.
    today, mine = timezone.localdate(), Agency.objects.filter(pk=agency.pk)
    renewals = renewal_rows(mine, today=today, horizon=today + GAP_HORIZON)
    return {
        "agency": agency.code,
        "agency_name": agency.name,
        "agency_phone": agency.phone,
        "agency_email": agency.email,
        "parent_name": agency.parent.name if agency.parent_id else "",
        "month": month.strftime("%Y-%m"),
        "deadline": deadline(month),
        "due_on": due_on(month),
        **_report_fields(report, month, now),
        "availability": overall.availability if overall else None,
        "monitored_s": overall.monitored_s if overall else 0,
        "availability_by_kind": [
            {
                "kind": r.key,
                "kind_label": str(AssetKind(r.key).label),
                "assets": r.assets,
                "availability": r.availability,
                "down_s": r.down_s,
            }
            for r in by_kind
        ],
        "outages": [
            {
                "asset": o.asset.name,
                "kind": o.asset.kind,
                "kind_label": str(AssetKind(o.asset.kind).label),
                "started_at": o.started_at,
                "ended_at": o.ended_at,
                "duration_min": round(seconds(clip([(o.started_at, o.ended_at or until)], start, until)) / 60),
                "cause": formats.stored(o.cause),
            }
            for o in outages.select_related("asset").order_by("started_at")
        ],
        "maintenance": {
            key: metrics.get(key)
            for key in ("repairs", "mttr_s", "pm_due", "pm_on_time", "pm_compliance", "open", "overdue", "cost_idr")
        },
        "work_done": [
            {
                "title": order.title,
                "kind": order.kind,
                "kind_label": str(WorkOrderKind(order.kind).label),
                "asset": order.asset.name if order.asset else "",
                "done_at": order.done_at,
                "done_by": formats.person(order.assignee),
            }
            for order in done.order_by("done_at")
        ],
        "roll_calls": [
            {
                "net": row.schedule.net,
                "scheduled": row.scheduled,
                "held": row.held,
                "missed": row.missed,
                "held_ratio": row.held_ratio,
                "stations_called": row.stations_called,
                "stations_answered": row.stations_answered,
                "answered_ratio": row.answered_ratio,
            }
            for row in trouble_first(compliance(RollCallSchedule.objects.filter(agency=agency), month))
        ],
        "gaps": [
            {
                **asdict(row),
                "kind_label": str(AssetKind(row.kind).label),
                "link_role_label": str(LinkRole(row.link_role).label) if row.link_role else "",
            }
            for row in gaps
            if row.to_buy
        ],
        "renewals": [{**asdict(row), "kind_label": row.kind_label} for row in renewals],
        "gap_cost_idr": sum((row.cost_idr or 0) + (row.yearly_cost_idr or 0) for row in [*gaps, *renewals]),
        "expired_licence_radios": [expired_licence_row(r) for r in radios_on_expired_licence(mine, today=today)],
        "lapsing": [
            expiry_row(item, today)
            for item in expiries(mine, start=today, end=today + timedelta(days=max(EXPIRY_WINDOWS_DAYS)))
        ],
    }


def report_statuses(agencies, month: date) -> list[dict]:
    reports = {
        r.agency_id: r
        for r in MonthlyReport.objects.select_related("submitted_by", "acknowledged_by").filter(
            agency__in=agencies, month=month
        )
    }
    now = timezone.now()
    return [
        {
            "agency": agency.code,
            "agency_name": agency.name,
            "month": month.strftime("%Y-%m"),
            **_report_fields(reports.get(agency.pk), month, now),
        }
        for agency in agencies.order_by("code")
    ]
