"""Pages for managers and procurement: the province dashboard, an agency's view, the gap report."""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from accounts.scoping import scope
from assets.expiries import EXPIRY_WINDOWS_DAYS, expired_licence_row, expiries, expiry_row, radios_on_expired_licence
from assets.gaps import gap_rows, gap_totals, renewal_rows
from assets.models import Agency
from assets.readiness import agency_readiness
from reports.dashboard import agency_detail, province_overview
from reports.province_map import province_map, shows_province_map


@login_required
def dashboard(request):
    overview = province_overview(request.user)
    whole = province_map(request.user) if shows_province_map(request.user) else None
    return render(
        request,
        "reports/dashboard.html",
        {"overview": overview, "province_map": whole, "tile_url": settings.MAP_TILE_URL},
    )


@login_required
def agency_page(request, code: str):
    agency = get_object_or_404(scope(Agency.objects.all(), request.user, agency_field=""), code=code)
    return render(
        request,
        "reports/agency.html",
        {
            "agency": agency,
            "detail": agency_detail(agency),
            "tile_url": settings.MAP_TILE_URL,
            "readiness": agency_readiness(agency),
            "province_map": province_map(request.user, agency) if shows_province_map(request.user, agency) else None,
        },
    )


@login_required
def gaps_page(request):
    try:
        horizon_days = max(0, min(int(request.GET.get("horizon_days", 180)), 3650))
    except ValueError:
        horizon_days = 180
    today = timezone.localdate()
    horizon = today + timedelta(days=horizon_days)
    agencies = scope(Agency.objects.all(), request.user, agency_field="")
    rows = gap_rows(agencies, today=today, horizon=horizon)
    renewals = renewal_rows(agencies, today=today, horizon=horizon)
    totals = gap_totals(agencies, rows, renewals)
    return render(
        request,
        "reports/gaps.html",
        {
            "rows": [row for row in rows if row.to_buy],
            "renewals": renewals,
            "totals": totals,
            "ready_count": sum(1 for total in totals if total.ready),
            "grand_total": sum(total.cost_idr for total in totals),
            "horizon_days": horizon_days,
        },
    )


@login_required
def expiries_page(request):
    """What lapses in the next 30, 60 or 90 days, per agency, and the radios already on expired licences."""
    days = int(request.GET["days"]) if request.GET.get("days") in {str(d) for d in EXPIRY_WINDOWS_DAYS} else 90
    today = timezone.localdate()
    agencies = scope(Agency.objects.all(), request.user, agency_field="")
    if code := request.GET.get("agency"):
        agencies = agencies.filter(code=code)
    items = expiries(agencies, start=today, end=today + timedelta(days=days))
    rows = [expiry_row(item, today) for item in sorted(items, key=lambda item: item.agency)]  # stable: soonest first
    return render(
        request,
        "reports/expiries.html",
        {
            "rows": rows,
            "days": days,
            "windows": EXPIRY_WINDOWS_DAYS,
            "agency_code": code or "",
            "agency_count": len({row["agency"] for row in rows}),
            "total_cost": sum(row["cost_idr"] or 0 for row in rows),
            "expired_radios": [
                {**expired_licence_row(radio), "agency": radio.agency.code, "agency_name": radio.agency.name}
                for radio in radios_on_expired_licence(agencies, today=today)
            ],
        },
    )
