"""Pages for managers and procurement: the province dashboard, an agency's view, the gap report, the link report."""

from datetime import timedelta

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy

from accounts.pages import logged_in, page_for, plans_purchases
from accounts.scoping import scope
from assets.choices import AssetKind
from assets.expiries import EXPIRY_WINDOWS_DAYS, expired_licence_row, expiries, expiry_row, radios_on_expired_licence
from assets.gaps import gap_report
from assets.models import Agency
from assets.readiness import agency_readiness
from reports.api.link_report import link_report_for
from reports.dashboard import cached_agency_detail, province_overview
from reports.deadlines import previous_month
from reports.province_map import province_map, shows_province_map
from reports.report_views import asked_month
from simpul import formats
from simpul.months import next_month


@page_for(logged_in)
def dashboard(request):
    overview = province_overview(request.user)
    whole = province_map(request.user) if shows_province_map(request.user) else None
    return render(
        request,
        "reports/dashboard.html",
        {
            "overview": overview,
            "province_map": whole,
            "province_map_url": reverse("province-map-list"),
            "tile_url": settings.MAP_TILE_URL,
        },
    )


@login_required
def agency_page(request, code: str):
    agency = get_object_or_404(scope(Agency.objects.all(), request.user, agency_field=""), code=code)
    return render(
        request,
        "reports/agency.html",
        {
            "agency": agency,
            "detail": cached_agency_detail(agency),
            "tile_url": settings.MAP_TILE_URL,
            "readiness": agency_readiness(agency),
            "province_map": province_map(request.user, agency) if shows_province_map(request.user, agency) else None,
            "province_map_url": reverse("province-map-detail", args=[agency.code]),
        },
    )


DEFAULT_HORIZON_DAYS = 180


class GapFilterForm(forms.Form):
    """The gap page's filters; a value it does not know falls back to "all", as the form offers."""

    agency = forms.ChoiceField(label=gettext_lazy("Instansi"), required=False)
    kind = forms.ChoiceField(
        label=gettext_lazy("Jenis aset"),
        required=False,
        choices=[("", gettext_lazy("Semua jenis")), *AssetKind.choices],
    )
    horizon_days = forms.IntegerField(
        label=gettext_lazy("Termasuk yang berakhir dalam (hari)"), required=False, min_value=0, max_value=3650
    )

    def __init__(self, data, agencies):
        super().__init__(data)
        self.fields["agency"].choices = [
            ("", gettext_lazy("Semua instansi")),
            *((agency.code, f"{agency.code} {agency.name}") for agency in agencies),
        ]


@page_for(plans_purchases)
def gaps_page(request):
    """What each agency lacks and must renew, per agency with its subtotal, filtered by agency and kind."""
    visible = scope(Agency.objects.all(), request.user, agency_field="").order_by("code")
    data = request.GET.copy()
    data.setdefault("horizon_days", str(DEFAULT_HORIZON_DAYS))
    form = GapFilterForm(data, visible)
    form.is_valid()  # a field with a value it does not know counts as not given, and the form says why
    horizon_days = form.cleaned_data.get("horizon_days")
    horizon_days = DEFAULT_HORIZON_DAYS if horizon_days is None else horizon_days
    agency, kind = form.cleaned_data.get("agency", ""), form.cleaned_data.get("kind", "")
    agencies = visible.filter(code=agency) if agency else visible
    today = timezone.localdate()
    report = gap_report(agencies, today=today, horizon=today + timedelta(days=horizon_days), kind=kind)
    return render(
        request,
        "reports/gaps.html",
        {
            "form": form,
            "report": report,
            "sections": report.by_agency(),
            "ready_count": sum(1 for total in report.totals if total.ready),
            "query": request.GET.urlencode(),
        },
    )


@page_for(plans_purchases)
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


def _shown(row) -> dict:
    """A link's or provider's figures as the page writes them: 99,52 %, 2 jam 15 menit, 38 ms, Rp 1.500.000."""
    return {
        "availability": formats.percent(row.availability),
        "down": formats.duration(row.down_s) if row.down_s else "-",
        "rtt": "-" if row.rtt_avg_ms is None else f"{formats.thousands(round(row.rtt_avg_ms))} ms",
        "loss": formats.percent(row.loss_avg, 1),
        "cost": formats.rupiah(row.monthly_cost_idr),
        "trouble": row.availability is not None and row.availability < LINK_TARGET,
    }


LINK_TARGET = 0.99  # the availability a provider's contract promises at least; below it the row is marked


def _mbps(value: float | None) -> str:
    """12,5 (Mbps, to a tenth)."""
    return "-" if value is None else f"{round(value, 1):g}".replace(".", ",")


@page_for(plans_purchases)
def link_report_page(request):
    """How each provider's links served a month: per provider, then every link, worst first."""
    month = asked_month(request)
    provider = request.GET.get("provider", "")[:80]
    report = link_report_for(request.user, {"month": month, "provider": provider})
    providers = [{"row": row, **_shown(row)} for row in report["providers"]]
    links = [
        {
            "row": row,
            **_shown(row),
            "contract": f"{_mbps(row.contracted_down_mbps)} / {_mbps(row.contracted_up_mbps)} Mbps"
            if row.contracted_down_mbps or row.contracted_up_mbps
            else "-",
            "contract_end": formats.day(row.contract_end),
            "traffic": f"{_mbps(row.in_avg_mbps)} / {_mbps(row.out_avg_mbps)} Mbps"
            if row.in_avg_mbps is not None or row.out_avg_mbps is not None
            else "-",
            "peak": f"{_mbps(row.in_peak_mbps)} / {_mbps(row.out_peak_mbps)} Mbps" if row.in_peak_mbps else "",
            "share": formats.percent(row.in_share, 0) if row.in_share is not None else "",
        }
        for row in report["results"]
    ]
    return render(
        request,
        "reports/link_report.html",
        {
            "month": month.strftime("%Y-%m"),
            "month_label": formats.month(month),
            "previous": previous_month(month).strftime("%Y-%m"),
            "next": next_month(month).strftime("%Y-%m"),
            "provider": provider,
            "providers": providers,
            "links": links,
            "total_cost": formats.rupiah(sum(row.monthly_cost_idr for row in report["providers"])),
            "target": formats.percent(LINK_TARGET, 0),
        },
    )
