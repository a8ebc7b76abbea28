"""The figures of the health dashboard: a province overview and one agency's detail, as plain dicts.

Both are served as JSON (the pages refresh from it) and rendered into the first page load.
"""

from collections import Counter, defaultdict
from datetime import datetime, timedelta

from django.core.cache import cache
from django.db.models import Avg, Count, Max, Q
from django.utils import timezone

from accounts.scoping import scope
from assets.choices import AssetKind
from assets.models import Agency, Asset, Site
from maintenance.models import WorkOrder
from maintenance.transitions import ACTIVE
from monitoring.availability import availability
from monitoring.intervals import elapsed_s
from monitoring.models import AssetState, HourlyRollup, MaintenanceWindow, Outage
from monitoring.policies import POLLED_STATUSES
from reports.content import report_statuses
from reports.deadlines import previous_month

OVERVIEW_KEY, OVERVIEW_TTL_S = "reports:overview", 120
WINDOWS = {"24h": timedelta(hours=24), "7d": timedelta(days=7), "30d": timedelta(days=30)}
STATES = ("up", "degraded", "down", "unreachable", "unknown", "maintenance")
# Worst first: a site's marker takes the colour of its worst asset.
SEVERITY = {"down": 0, "unreachable": 1, "degraded": 2, "unknown": 3, "maintenance": 4, "up": 5}


def _availability_by(assets, now: datetime, group_by: str) -> dict[str, dict]:
    result: dict = defaultdict(dict)
    for label, span in WINDOWS.items():
        for row in availability(assets, start=now - span, end=now, group_by=group_by):
            result[row.key][label] = row.availability
    return result


def refresh_overview(now: datetime | None = None) -> dict:
    """Compute every agency's row and keep it in the shared cache.

    The poller calls this after each cycle (settings.POLL_CYCLE_HOOKS), so a dashboard request only
    reads and filters; without a poller the first request after OVERVIEW_TTL computes it.
    """
    now = now or timezone.now()
    agencies = Agency.objects.order_by("code")
    assets = Asset.objects.filter(status__in=POLLED_STATUSES)
    states: dict = defaultdict(Counter)
    for code, state, count in (
        AssetState.objects.filter(asset__in=assets).values_list("asset__agency__code", "state").annotate(n=Count("pk"))
    ):
        states[code][state] = count
    outages: dict = defaultdict(list)
    for code, started in Outage.objects.filter(asset__in=assets, ended_at__isnull=True).values_list(
        "asset__agency__code", "started_at"
    ):
        outages[code].append(elapsed_s(started, now))
    orders = WorkOrder.objects.filter(status__in=ACTIVE)
    work = {
        code: (total, overdue)
        for code, total, overdue in orders.values_list("agency__code").annotate(
            total=Count("pk"), overdue=Count("pk", filter=Q(due_date__lt=timezone.localdate(now)))
        )
    }
    reports = {
        row["agency"]: row["status"] for row in report_statuses(agencies, previous_month(timezone.localdate(now)))
    }
    avail = _availability_by(assets, now, "agency")
    rows = []
    for agency in agencies:
        total, overdue = work.get(agency.code, (0, 0))
        rows.append(
            {
                "agency": agency.code,
                "name": agency.name,
                "level": agency.level,
                "states": {state: states[agency.code][state] for state in STATES},
                "availability": {label: avail[agency.code].get(label) for label in WINDOWS},
                "open_outages": len(outages[agency.code]),
                "longest_outage_s": round(max(outages[agency.code], default=0)),
                "open_work_orders": total,
                "overdue_work_orders": overdue,
                "report_status": reports.get(agency.code),
            }
        )
    overview = {"generated_at": now, "agencies": rows}
    cache.set(OVERVIEW_KEY, overview, OVERVIEW_TTL_S)
    return overview


def province_overview(user) -> dict:
    """The dashboard rows of the agencies `user` sees, from the cache the poller keeps fresh."""
    overview = cache.get(OVERVIEW_KEY) or refresh_overview()
    visible = set(scope(Agency.objects.all(), user, agency_field="").values_list("code", flat=True))
    return {**overview, "agencies": [row for row in overview["agencies"] if row["agency"] in visible]}


def agency_detail(agency: Agency, now: datetime | None = None) -> dict:
    now = now or timezone.now()
    assets = Asset.objects.filter(agency=agency, status__in=POLLED_STATUSES)
    state_rows = list(
        AssetState.objects.filter(asset__in=assets)
        .select_related("asset", "asset__site")
        .order_by("asset__site__name", "asset__name")
    )
    worst: dict = {}
    for row in state_rows:
        if row.asset.site_id is not None:
            current = worst.get(row.asset.site_id, "up")
            worst[row.asset.site_id] = min(current, row.state, key=lambda s: SEVERITY.get(s, 3))
    sites = [
        {
            "id": s.pk,
            "name": s.name,
            "kind": s.kind,
            "lat": float(s.latitude),
            "lon": float(s.longitude),
            "state": worst.get(s.pk, "unknown"),
        }
        for s in Site.objects.filter(agency=agency).order_by("name")
    ]
    today_start = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    daily = []
    for back in range(29, -1, -1):
        start = today_start - timedelta(days=back)
        [row] = availability(assets, start=start, end=min(start + timedelta(days=1), now), group_by="agency") or [None]
        daily.append({"day": start.date().isoformat(), "availability": row.availability if row else None})
    hourly = (
        HourlyRollup.objects.filter(asset__in=assets, hour__gte=now - timedelta(days=7))
        .values("hour")
        .annotate(rtt=Avg("rtt_avg_ms"), rtt_max=Max("rtt_max_ms"), loss=Avg("loss_avg"))
        .order_by("hour")
    )
    upcoming = WorkOrder.objects.filter(
        agency=agency,
        status__in=ACTIVE,
        due_date__isnull=False,
        due_date__lte=timezone.localdate(now) + timedelta(days=30),
    )
    windows = MaintenanceWindow.objects.filter(agency=agency, ends_at__gt=now, starts_at__lte=now + timedelta(days=30))
    return {
        "generated_at": now,
        "agency": {"code": agency.code, "name": agency.name},
        "sites": sites,
        "assets": [
            {
                "id": r.asset_id,
                "name": r.asset.name,
                "kind": r.asset.kind,
                "kind_label": str(AssetKind(r.asset.kind).label),
                "site": r.asset.site.name if r.asset.site else None,
                "state": r.state,
                "since": r.since,
                "last_rtt_ms": r.last_rtt_ms,
                "last_loss": r.last_loss,
                "address": r.asset.management_address,
            }
            for r in state_rows
        ],
        "availability": _availability_by(assets, now, "agency").get(agency.code, {}),
        "daily_availability": daily,
        "hourly": [
            {"hour": h["hour"], "rtt_ms": h["rtt"], "rtt_max_ms": h["rtt_max"], "loss": h["loss"]} for h in hourly
        ],
        "outages": [
            {
                "asset": o.asset.name,
                "started_at": o.started_at,
                "duration_s": round(elapsed_s(o.started_at, now)),
                "cause": o.cause,
                "took_down": o.took_down,
            }
            for o in Outage.objects.filter(asset__agency=agency, ended_at__isnull=True).select_related("asset")
        ],
        "upcoming": [
            {"id": w.pk, "title": w.title, "due_date": w.due_date, "status": w.status}
            for w in upcoming.order_by("due_date")
        ]
        + [
            {"id": None, "title": w.reason, "due_date": timezone.localtime(w.starts_at).date(), "status": "window"}
            for w in windows
        ],
    }
