"""Pages for managers and procurement: the province dashboard, an agency's view, the gap report."""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from accounts.scoping import scope
from assets.gaps import gap_rows, totals_by_agency
from assets.models import Agency
from reports.dashboard import agency_detail, province_overview


@login_required
def dashboard(request):
    return render(request, "reports/dashboard.html", {"overview": province_overview(request.user)})


@login_required
def agency_page(request, code: str):
    agency = get_object_or_404(scope(Agency.objects.all(), request.user, agency_field=""), code=code)
    return render(
        request,
        "reports/agency.html",
        {"agency": agency, "detail": agency_detail(agency), "tile_url": settings.MAP_TILE_URL},
    )


@login_required
def gaps_page(request):
    try:
        horizon_days = max(0, min(int(request.GET.get("horizon_days", 180)), 3650))
    except ValueError:
        horizon_days = 180
    today = timezone.localdate()
    agencies = scope(Agency.objects.all(), request.user, agency_field="")
    rows = [row for row in gap_rows(agencies, today=today, horizon=today + timedelta(days=horizon_days)) if row.to_buy]
    totals = totals_by_agency(rows)
    return render(
        request,
        "reports/gaps.html",
        {"rows": rows, "totals": totals, "grand_total": sum(totals.values()), "horizon_days": horizon_days},
    )
