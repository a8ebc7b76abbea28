"""The figures of the health dashboard: a province overview and one agency's detail, as plain dicts.

Both are served as JSON (the pages refresh from it) and rendered into the first page load.
"""

from collections import Counter, defaultdict
from datetime import UTC, datetime, timedelta
from functools import partial
from uuid import uuid4

from django.core.cache import cache
from django.db import transaction
from django.db.models import Avg, Count, Max, Prefetch, Q
from django.db.models.signals import post_delete, post_save
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from accounts.scoping import readers_key, scope
from alerts.models import Alert, Channel
from alerts.selectors import dashboard_alerts
from assets.choices import AssetKind
from assets.expiries import (
    EXPIRY_WINDOWS_DAYS,
    counts_by_agency,
    expired_licence_row,
    expiries,
    expiry_row,
    radios_on_expired_licence,
)
from assets.models import Agency, Asset, RadioLicence, Site
from maintenance.choices import WorkOrderStatus
from maintenance.models import WorkOrder
from maintenance.transitions import ACTIVE
from monitoring.asset_status import (
    SEVERITY,
    Bucket,
    bucket_label,
    bucket_labels,
    counts,
    reason_label,
    standing_counts,
    standings,
    worst,
)
from monitoring.availability import availability, availability_since
from monitoring.coverage import covered
from monitoring.intervals import elapsed_s
from monitoring.models import HourlyRollup, MaintenanceWindow, Outage, Poller, ProbeConfig, RadioCheck
from monitoring.policies import POLLED_STATUSES
from monitoring.remote.selectors import poller_rows, visible_pollers
from reports.content import report_statuses
from reports.deadlines import previous_month
from reports.models import MonthlyReport
from simpul import formats

OVERVIEW_TTL_S = 120
# The overview is two cached parts, each under the data version it was computed at. A write that changes a
# part's figures sets a new version of that part, so the next request computes it afresh, and a refresh that
# began before the write lands under the old version, where nobody reads it. The network part (states,
# availability, outages: about 1 s for 30,000 assets) is the poller's to refresh; the work part (open and
# overdue work orders, report status: a few queries) follows people's writes, which are many.
NETWORK, WORK = "reports:overview:network", "reports:overview:work"
# The live panels (alerts, pollers) are kept a few seconds per set of readers, and renewed at once by a write
# through the models; bulk updates (the sender's channel failures, a poller's contact) and the pollers' health,
# which ages with the clock, show within LIVE_TTL_S.
LIVE, LIVE_TTL_S = "reports:overview:live", 5
# Whose writes change which part. The poller's own writes (states, outages) are bulk writes without signals:
# it refreshes the network part after each cycle.
FIGURE_MODELS = {
    Agency: (NETWORK, WORK),
    Asset: (NETWORK, WORK),  # work: what lapses, and radios on expired licences
    Site: (NETWORK,),  # an agency's page and the map draw them
    RadioLicence: (WORK,),
    MaintenanceWindow: (NETWORK,),
    RadioCheck: (NETWORK,),
    ProbeConfig: (NETWORK,),  # monitoring switched on or off moves an asset in or out of "tidak dipantau"
    WorkOrder: (WORK,),
    MonthlyReport: (WORK,),
    Alert: (LIVE,),
    Channel: (LIVE,),
    Poller: (LIVE,),
}
NO_WORK = {"open_work_orders": 0, "overdue_work_orders": 0}
NO_LAPSES = {**{f"lapsing_{days}": 0 for days in EXPIRY_WINDOWS_DAYS}, "expired_licence_radios": 0}
WINDOWS = {"24h": timedelta(hours=24), "7d": timedelta(days=7), "30d": timedelta(days=30)}


def _availability_by(assets, now: datetime, group_by: str) -> dict[str, dict]:
    """Each group's availability per window of WINDOWS, with its coverage (monitoring.coverage)."""
    rows: dict = defaultdict(dict)
    by_window = availability_since(
        assets, {label: now - span for label, span in WINDOWS.items()}, end=now, group_by=group_by
    )
    for label, window_rows in by_window.items():
        for row in window_rows:
            rows[row.key][label] = row
    return defaultdict(lambda: _figures({}), {key: _figures(by_window) for key, by_window in rows.items()})


def _figures(by_window: dict) -> dict:
    return {label: covered(by_window.get(label), span.total_seconds()).as_dict() for label, span in WINDOWS.items()}


def refresh_overview(now: datetime | None = None) -> dict:
    """Compute both parts of every agency's row, keep them in the shared cache, and return the whole.

    The poller calls this after each cycle (settings.POLL_CYCLE_HOOKS), so a dashboard request only
    reads, joins and filters; a part is computed by a request only after a write that changed it
    (watch_figure_writes), or after OVERVIEW_TTL_S without a poller.
    """
    now = now or timezone.now()
    return _joined(_refresh_network(now), _refresh_work(now)["agencies"])


def province_overview(user) -> dict:
    """The dashboard rows of the agencies `user` sees, from the cache the poller keeps fresh."""
    overview, rows = visible_overview(user)
    labels = bucket_labels()
    return {
        **overview,
        "agencies": [labelled(row, labels) for row in rows],  # labels in the reader's language, so after the cache
        "totals": totals(rows),
        "labels": labels,
        **live_panels(user),
    }


def live_panels(user) -> dict:
    """What the dashboard reads on every request, not from the cache: open alerts and the pollers, trouble first."""
    return {
        "alerts": dashboard_alerts(user),
        "pollers": poller_rows(visible_pollers(user).filter(revoked_at__isnull=True), timezone.now()),  # silent first
    }


def live_key(user) -> str:
    """Where the live panels of `user` and of everyone who sees the same agencies are kept, in their language."""
    return f"{_key(LIVE)}:{get_language()}:{readers_key(user)}"


def visible_overview(user, visible: set[str] | None = None) -> tuple[dict, list[dict]]:
    """Every agency's cached rows, and the rows `user` sees (or those of `visible`), trouble first, without labels."""
    network, work, _ = _parts()
    overview = _joined(network, work)
    if visible is None:
        visible = visible_codes(user)
    rows = sorted((row for row in overview["agencies"] if row["agency"] in visible), key=_trouble_first)
    return overview, rows


def visible_codes(user) -> set[str]:
    return set(scope(Agency.objects.all(), user, agency_field="").values_list("code", flat=True))


def labelled(row: dict, labels: dict[str, str]) -> dict:
    """A cached row with the words of the reader's language and its page."""
    return {**row, "worst_label": labels.get(row["worst"], ""), "url": reverse("agency-page", args=[row["agency"]])}


def figures_stamp() -> str:
    """A stamp that changes with either part's figures: a write's new version or a poll cycle's refresh. What is
    built from the figures (rendered rows, an agency's page, the map) is kept under it. A few small reads: the
    parts themselves are read only when missing."""
    network_key, work_key = _key(NETWORK), _key(WORK)
    at = cache.get_many([f"{network_key}:at", f"{work_key}:at"])
    if len(at) < 2:
        return _parts()[2]
    return _stamp(network_key, work_key, at[f"{network_key}:at"], at[f"{work_key}:at"])


def _stamp(network_key: str, work_key: str, network_at: datetime, work_at: datetime) -> str:
    return f"{network_key}:{work_key}:{network_at.timestamp()}:{work_at.timestamp()}"


def _parts() -> tuple[dict, dict, str]:
    """Both cached parts (computed if missing) and their stamp."""
    network = cache.get(network_key := _key(NETWORK)) or _refresh_network()
    work = cache.get(work_key := _key(WORK)) or _refresh_work()
    return network, work["agencies"], _stamp(network_key, work_key, network["generated_at"], work["generated_at"])


def _trouble_first(row: dict) -> tuple:
    """Worst state first; among equals, the oldest open outage, then the most assets down."""
    return (
        SEVERITY.get(row["worst"], len(SEVERITY)),
        row["outage_since"] or datetime.max.replace(tzinfo=UTC),
        -row["states"][Bucket.DOWN],
        row["agency"],
    )


def totals(rows: list[dict]) -> dict:
    """The totals line above the list: "1 mati dari 78"."""
    since = [row["outage_since"] for row in rows if row["outage_since"]]
    return {
        "agencies": len(rows),
        "assets": sum(row["assets"] for row in rows),
        "states": {bucket: sum(row["states"][bucket] for row in rows) for bucket in Bucket.values},
        "open_outages": sum(row["open_outages"] for row in rows),
        "outage_since": min(since, default=None),
        "open_work_orders": sum(row["open_work_orders"] for row in rows),
        "overdue_work_orders": sum(row["overdue_work_orders"] for row in rows),
    }


def _refresh_network(now: datetime | None = None) -> dict:
    now = now or timezone.now()
    key = _key(NETWORK)
    buckets: dict = defaultdict(Counter)
    for code, standing, number in standing_counts(Asset.objects.all(), "agency__code"):
        buckets[code][standing.bucket] += number
    assets = Asset.objects.filter(status__in=POLLED_STATUSES)
    outages: dict = defaultdict(list)
    for code, started in Outage.objects.filter(asset__in=assets, ended_at__isnull=True).values_list(
        "asset__agency__code", "started_at"
    ):
        outages[code].append(started)
    avail = _availability_by(assets, now, "agency")
    rows = [
        {
            "agency": agency.code,
            "name": agency.name,
            "level": agency.level,
            "assets": buckets[agency.code].total(),
            "states": counts(buckets[agency.code]),
            "worst": worst(buckets[agency.code]),
            "availability": avail[agency.code],
            "open_outages": len(outages[agency.code]),
            "outage_since": min(outages[agency.code], default=None),
            "longest_outage_s": round(max((elapsed_s(s, now) for s in outages[agency.code]), default=0)),
        }
        for agency in Agency.objects.order_by("code")
    ]
    network = {"generated_at": now, "agencies": rows}
    cache.set(key, network, OVERVIEW_TTL_S)
    cache.set(f"{key}:at", now, OVERVIEW_TTL_S)  # after the figures: a stamp never names figures not yet written
    return network


def _refresh_work(now: datetime | None = None) -> dict:
    """Open and overdue work orders, last month's report status, and what lapses soon, by agency code."""
    now = now or timezone.now()
    key = _key(WORK)
    work = {
        code: {"open_work_orders": total, "overdue_work_orders": overdue}
        for code, total, overdue in WorkOrder.objects.filter(status__in=ACTIVE)
        .values_list("agency__code")
        .annotate(total=Count("pk"), overdue=Count("pk", filter=Q(due_date__lt=timezone.localdate(now))))
    }
    reports = report_statuses(Agency.objects.all(), previous_month(timezone.localdate(now)))
    lapses = _lapse_figures(timezone.localdate(now))
    figures = {
        row["agency"]: {
            **work.get(row["agency"], NO_WORK),
            "report_status": row["status"],
            **lapses.get(row["agency"], NO_LAPSES),
        }
        for row in reports
    }
    work = {"generated_at": now, "agencies": figures}
    cache.set(key, work, OVERVIEW_TTL_S)
    cache.set(f"{key}:at", now, OVERVIEW_TTL_S)
    return work


def _lapse_figures(today) -> dict[str, dict]:
    """Items lapsing within 30, 60 and 90 days, and radios on the air under an expired licence, by agency code."""
    agencies = Agency.objects.all()
    items = expiries(agencies, start=today, end=today + timedelta(days=max(EXPIRY_WINDOWS_DAYS)))
    counts = counts_by_agency(items, today=today)
    expired = dict(
        radios_on_expired_licence(agencies, today=today).order_by().values_list("agency__code").annotate(n=Count("pk"))
    )
    return {
        code: {
            **{f"lapsing_{days}": counts.get(code, {}).get(days, 0) for days in EXPIRY_WINDOWS_DAYS},
            "expired_licence_radios": expired.get(code, 0),
        }
        for code in counts.keys() | expired.keys()
    }


def _joined(network: dict, work: dict[str, dict]) -> dict:
    missing = {**NO_WORK, "report_status": None, **NO_LAPSES}  # an agency newer than the work figures, for a moment
    return {**network, "agencies": [{**row, **work.get(row["agency"], missing)} for row in network["agencies"]]}


def _key(part: str) -> str:
    version = cache.get(f"{part}:version")
    if version is None:  # never written, or evicted: a new version, so nothing cached before it is read
        cache.add(f"{part}:version", uuid4().hex, None)
        version = cache.get(f"{part}:version")
    return f"{part}:{version}"


def figures_changed(*parts: str) -> None:
    """A write changed these parts' figures: the next request computes them (not a minute later)."""
    cache.set_many({f"{part}:version": uuid4().hex for part in parts}, None)


def _stale(sender, using: str, **kwargs) -> None:
    transaction.on_commit(partial(figures_changed, *FIGURE_MODELS[sender]), using=using)


def watch_figure_writes() -> None:
    """Connect the FIGURE_MODELS' saves and deletes to figures_changed, once they commit (ReportsConfig.ready).

    Signals, because the writers live in apps that must not import reports (data flows one way), and a
    write through a service, the API, a page or the admin all change the same figure. They carry no
    business logic: they only say that cached figures are stale.
    """
    for model in FIGURE_MODELS:
        for signal in (post_save, post_delete):
            signal.connect(_stale, sender=model, dispatch_uid=f"reports.overview.{model._meta.label}")


# The agency page's asset list: its keys, and the fields they are read from.
ASSET_FIELDS = {
    "id": "pk",
    "name": "name",
    "kind": "kind",
    "site_id": "site_id",
    "site": "site__name",
    "address": "management_address",
    "since": "state__since",
    "state_reason": "state__reason",
    "rtt": "state__last_rtt_ms",
    "loss": "state__last_loss",
}


AGENCY = "reports:agency"


def cached_agency_detail(agency: Agency) -> dict:
    """agency_detail as of the figures' stamp, in the reader's language: computed once per poll cycle (or write)
    for every reader of the page and its refresh, not on each of their requests."""
    key = f"{AGENCY}:{agency.code}:{get_language()}:{figures_stamp()}"
    detail = cache.get(key)
    if detail is None:
        detail = agency_detail(agency)
        cache.set(key, detail, OVERVIEW_TTL_S)
    return detail


def agency_detail(agency: Agency, now: datetime | None = None) -> dict:
    now = now or timezone.now()
    assets = Asset.objects.filter(agency=agency, status__in=POLLED_STATUSES)
    listed = [
        {
            **dict(zip(ASSET_FIELDS, row, strict=True)),
            "state": standing.bucket,
            "reason": standing.reason,
        }
        for row, standing in standings(Asset.objects.filter(agency=agency), *ASSET_FIELDS.values())
    ]
    # Trouble first, the longest first among equals; the unmonitored say since when nothing.
    listed.sort(key=lambda a: (SEVERITY[a["state"]], a["since"] or datetime.max.replace(tzinfo=UTC), a["name"]))
    by_site: dict = defaultdict(list)
    for asset in listed:
        by_site[asset["site_id"]].append(asset["state"])
    sites = [
        {
            "id": s.pk,
            "name": s.name,
            "kind": s.kind,
            "lat": float(s.latitude),
            "lon": float(s.longitude),
            "state": worst(by_site[s.pk]) or Bucket.UNKNOWN,
            "state_label": bucket_label(worst(by_site[s.pk]) or Bucket.UNKNOWN),
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
    today, mine = timezone.localdate(now), Agency.objects.filter(pk=agency.pk)
    return {
        "generated_at": now,
        "agency": {"code": agency.code, "name": agency.name},
        "sites": sites,
        "assets": [
            {
                "id": a["id"],
                "name": a["name"],
                "kind": a["kind"],
                "kind_label": str(AssetKind(a["kind"]).label),
                "site": a["site"],
                "state": a["state"],
                "state_label": bucket_label(a["state"]),
                # Why it has no state to show; for a state, what the last results said (e.g. a roll call's R3 S4).
                "reason": a["reason"],
                "reason_label": reason_label(a["reason"]) if a["reason"] else formats.stored(a["state_reason"]),
                "since": a["since"] if a["state"] not in (Bucket.UNCHECKED, Bucket.UNMONITORED) else None,
                "last_rtt_ms": a["rtt"],
                "last_loss": a["loss"],
                "address": a["address"],
            }
            for a in listed
        ],
        "asset_totals": {"assets": len(listed), "states": counts(a["state"] for a in listed)},
        "labels": bucket_labels(),
        "availability": _availability_by(assets, now, "agency")[agency.code],
        "daily_availability": daily,
        "hourly": [
            {"hour": h["hour"], "rtt_ms": h["rtt"], "rtt_max_ms": h["rtt_max"], "loss": h["loss"]} for h in hourly
        ],
        "outages": [  # the longest first
            {
                "asset": o.asset.name,
                "asset_id": o.asset_id,
                "started_at": o.started_at,
                "duration_s": round(elapsed_s(o.started_at, now)),
                "cause": formats.stored(o.cause),
                "took_down": o.took_down,
                "work_order": _handled_by(o),
            }
            for o in Outage.objects.filter(asset__agency=agency, ended_at__isnull=True)
            .select_related("asset")
            .prefetch_related(
                Prefetch(
                    "work_orders",
                    queryset=WorkOrder.objects.filter(status__in=ACTIVE).select_related("assignee").order_by("pk"),
                    to_attr="active_orders",
                )
            )
            .order_by("started_at", "pk")
        ],
        "upcoming": sorted(
            [
                {
                    "id": w.pk,
                    "title": w.title,
                    "due_date": w.due_date,
                    "overdue": w.due_date < today,
                    "status": w.status,
                    "status_label": str(WorkOrderStatus(w.status).label),
                    "starts_at": None,
                    "ends_at": None,
                }
                for w in upcoming
            ]
            + [
                {
                    "id": None,
                    "title": w.reason,
                    "due_date": timezone.localtime(w.starts_at).date(),
                    "overdue": False,
                    "status": "window",
                    "status_label": str(_("Jendela pemeliharaan")),
                    "starts_at": w.starts_at,
                    "ends_at": w.ends_at,
                }
                for w in windows
            ],
            key=lambda item: (item["due_date"], item["title"]),
        ),
        "expired_licence_radios": [expired_licence_row(r) for r in radios_on_expired_licence(mine, today=today)],
        "lapsing": [
            expiry_row(item, today)
            for item in expiries(mine, start=today, end=today + timedelta(days=max(EXPIRY_WINDOWS_DAYS)))
        ],
    }


def _handled_by(outage: Outage) -> dict | None:
    """Who is on an open outage: its first active work order and that order's technician, if any."""
    if not outage.active_orders:
        return None
    order = outage.active_orders[0]
    return {
        "id": order.pk,
        "title": order.title,
        "status_label": str(WorkOrderStatus(order.status).label),
        "assignee": formats.person(order.assignee) or None,
    }
