"""Pages of the inventory, phone first: one asset (where a label's QR code leads) and its condition, the label
scanner, label sheets, the spare-part stock for procurement, and stocktakes a technician walks through and a
manager signs off. Writes go through assets.services and assets.stocktake."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Case, F, IntegerField, Prefetch, Value, When
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.scoping import may_sign_stocktake, may_write_agency, scope, writable_agencies
from assets import stocktake as services
from assets.api.stocktakes import with_counts
from assets.choices import Condition, StocktakeResult, StocktakeStatus
from assets.labels import labels_pdf
from assets.models import Agency, Asset, Site, StockItem, StockMovement, Stocktake, StocktakeLine
from assets.services import asset_condition_record
from assets.stock import restock_cost_idr
from assets.stocktake_record import stocktake_record_pdf, stocktake_record_xlsx
from simpul.private_media import photo_response, session_or_token, thumbnail_response

_RECENT_MOVEMENTS = 5


@login_required
def asset_page(request, pk: int):
    """What a scanned label opens: the asset, and the open stocktakes it can be ticked off in."""
    asset = get_object_or_404(scope(Asset.objects.select_related("agency", "site", "licence"), request.user), pk=pk)
    can_write = may_write_agency(request.user, asset.agency_id)
    open_lines = []
    if can_write:
        open_lines = StocktakeLine.objects.filter(asset=asset, stocktake__status=StocktakeStatus.OPEN).select_related(
            "stocktake__site"
        )
    return render(
        request,
        "assets/asset.html",
        {"asset": asset, "open_lines": open_lines, "conditions": Condition.choices, "can_write": can_write},
    )


def _asset_to_write(request, pk) -> Asset:
    asset = get_object_or_404(scope(Asset.objects.all(), request.user), pk=pk if str(pk).isdigit() else 0)
    if not may_write_agency(request.user, asset.agency_id):
        raise PermissionDenied
    return asset


@login_required
@require_POST
def asset_condition(request, pk: int):
    """The asset page's "catat kondisi": the condition seen, kept in its history."""
    asset = _asset_to_write(request, pk)
    try:
        asset = asset_condition_record(
            asset=asset,
            condition=request.POST.get("condition", ""),
            note=request.POST.get("note", ""),
            by=request.user,
        )
        messages.success(request, _("Kondisi dicatat: %(condition)s.") % {"condition": asset.get_condition_display()})
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("asset-page", pk=asset.pk)


@login_required
def scan_page(request):
    """The label scanner (simpul/scan.js reads the camera), and the asset tag typed by hand. Opened from a
    stocktake (`?stocktake=<id>`), what is scanned is ticked in that count; otherwise in the open counts that
    wait for it. Either way the asset's page opens."""
    stocktake = None
    if number := request.GET.get("stocktake", ""):
        stocktake = get_object_or_404(
            scope(Stocktake.objects.select_related("agency", "site"), request.user),
            pk=number if number.isdigit() else 0,
            status=StocktakeStatus.OPEN,
        )
    context = {"stocktake": stocktake, "tag": "", "choices": []}
    if request.method == "POST":
        if asset_id := request.POST.get("asset", ""):
            asset = get_object_or_404(
                scope(Asset.objects.all(), request.user), pk=asset_id if asset_id.isdigit() else 0
            )
            return _scanned(request, asset, stocktake)
        tag = request.POST.get("tag", "").strip()[:60]
        found = (
            list(scope(Asset.objects.select_related("agency"), request.user).filter(tag__iexact=tag)[:10])
            if tag
            else []
        )
        if len(found) == 1:
            return _scanned(request, found[0], stocktake)
        context |= {"tag": tag, "choices": found}
        if not found:
            context["error"] = (
                _("Nomor inventaris “%(tag)s” tidak ditemukan.") % {"tag": tag}
                if tag
                else _("Ketik nomor inventaris yang tertera di label.")
            )
        return render(request, "assets/scan.html", context, status=400 if not found else 200)
    return render(request, "assets/scan.html", context)


def _scanned(request, asset: Asset, stocktake: Stocktake | None):
    if may_write_agency(request.user, asset.agency_id):
        try:
            for line in services.stocktake_tick_scanned(asset=asset, stocktake=stocktake, by=request.user):
                place = line.stocktake.site.name if line.stocktake.site else line.stocktake.agency.name
                messages.success(
                    request,
                    _("Ditandai %(result)s di inventarisasi %(place)s.")
                    % {"result": line.get_result_display().lower(), "place": place},
                )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    return redirect("asset-page", pk=asset.pk)


def _label_assets(request):
    """The assets a label sheet covers: an agency's (`?agency=64.01`), or one site's (`?site=<id>`)."""
    assets = scope(Asset.objects.select_related("agency"), request.user).exclude(status="retired")
    if site := request.GET.get("site"):
        site = get_object_or_404(scope(Site.objects.all(), request.user), pk=site if site.isdigit() else 0)
        return assets.filter(site=site), site.name
    agency = get_object_or_404(
        scope(Agency.objects.all(), request.user, agency_field=""), code=request.GET.get("agency", "")
    )
    return assets.filter(agency=agency), agency.name


@login_required
def labels_page(request):
    """Choose what to print: each visible agency, and each of its sites, with its sheet of labels."""
    agencies = scope(Agency.objects.all(), request.user, agency_field="").prefetch_related(
        Prefetch("sites", queryset=Site.objects.order_by("name"))
    )
    return render(request, "assets/labels.html", {"agencies": agencies})


@login_required
def labels_file(request):
    assets, place = _label_assets(request)
    pdf = labels_pdf(list(assets.order_by("site__name", "name", "pk")), request.build_absolute_uri("/"))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="label-{slugify(place) or "aset"}.pdf"'
    return response


@login_required
def stock_page(request):
    """Spare parts of the agencies the user sees, below-minimum first, with what restocking costs."""
    items = list(
        scope(StockItem.objects.select_related("agency", "site"), request.user)
        .annotate(
            short=Case(When(quantity__lt=F("minimum"), then=Value(0)), default=Value(1), output_field=IntegerField())
        )
        .order_by("short", "agency__code", "site__name", "name")
        .prefetch_related(
            Prefetch(
                "movements",
                queryset=StockMovement.objects.select_related("by", "work_order", "asset").order_by("-at", "-id"),
            )
        )
    )
    rows = [
        {"item": item, "cost": restock_cost_idr(item), "movements": list(item.movements.all())[:_RECENT_MOVEMENTS]}
        for item in items
    ]
    short = [row for row in rows if row["item"].below_minimum]
    return render(
        request,
        "assets/stock.html",
        {"rows": rows, "short_count": len(short), "restock_total": sum(row["cost"] for row in short)},
    )


@login_required
def stocktake_list(request):
    stocktakes = with_counts(
        scope(Stocktake.objects.select_related("agency", "site", "opened_by"), request.user)
    ).order_by("-opened_at", "-id")
    writable = writable_agencies(request.user)
    return render(
        request,
        "assets/stocktakes.html",
        {
            "stocktakes": stocktakes,
            "sites": Site.objects.filter(agency__in=writable).select_related("agency").order_by("agency__code", "name"),
            "agencies": writable.order_by("code"),
        },
    )


@login_required
@require_POST
def stocktake_open(request):
    """Open a count of one site (`site`) or of a whole agency (`agency`)."""
    site = agency = None
    if site_id := request.POST.get("site", ""):
        site = get_object_or_404(scope(Site.objects.all(), request.user), pk=site_id if site_id.isdigit() else 0)
        agency = site.agency
    else:
        agency = get_object_or_404(
            scope(Agency.objects.all(), request.user, agency_field=""), code=request.POST.get("agency", "")
        )
    if not may_write_agency(request.user, agency.pk):
        raise PermissionDenied
    try:
        stocktake = services.stocktake_open(agency=agency, site=site, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("stocktake-list")
    return redirect("stocktake-page", pk=stocktake.pk)


def _stocktake_for(request, pk: int) -> Stocktake:
    return get_object_or_404(
        scope(Stocktake.objects.select_related("agency", "site", "signed_by"), request.user), pk=pk
    )


@login_required
def stocktake_page(request, pk: int):
    stocktake = _stocktake_for(request, pk)
    lines = list(
        stocktake.lines.select_related("asset", "expected_site", "found_site", "marked_by").order_by(
            Case(When(result=StocktakeResult.PENDING, then=Value(0)), default=Value(1), output_field=IntegerField()),
            "asset__name",
        )
    )
    counts = {result: sum(1 for line in lines if line.result == result) for result in StocktakeResult.values}
    return render(
        request,
        "assets/stocktake.html",
        {
            "stocktake": stocktake,
            "lines": lines,
            "counts": counts,
            "checked": len(lines) - counts[StocktakeResult.PENDING],
            "discrepancies": services.discrepancies(stocktake),
            "can_write": may_write_agency(request.user, stocktake.agency_id)
            and stocktake.status == StocktakeStatus.OPEN,
            "sites": stocktake.agency.sites.order_by("name"),
            "conditions": Condition.choices,
            "can_sign": stocktake.status == StocktakeStatus.CLOSED
            and stocktake.signed_at is None
            and may_sign_stocktake(request.user, stocktake.agency_id),
        },
    )


@login_required
@require_POST
def stocktake_mark(request, pk: int):
    """One tap: an asset found (with its condition), found elsewhere, or not found."""
    stocktake = _stocktake_for(request, pk)
    if not may_write_agency(request.user, stocktake.agency_id):
        raise PermissionDenied
    asset_id = request.POST.get("asset", "")
    asset = get_object_or_404(scope(Asset.objects.all(), request.user), pk=asset_id if asset_id.isdigit() else 0)
    found_site = None
    if site_id := request.POST.get("found_site", ""):
        found_site = get_object_or_404(stocktake.agency.sites, pk=site_id if site_id.isdigit() else 0)
    try:
        line = services.stocktake_mark(
            stocktake=stocktake,
            asset=asset,
            result=request.POST.get("result", ""),
            condition=request.POST.get("condition", ""),
            found_site=found_site,
            note=request.POST.get("note", "")[:250],
            by=request.user,
        )
        messages.success(
            request, _("%(asset)s: %(result)s.") % {"asset": asset.name, "result": line.get_result_display()}
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return _back(request, stocktake, asset)


def _back(request, stocktake: Stocktake, asset: Asset):
    if request.POST.get("next") == "asset":
        return redirect("asset-page", pk=asset.pk)
    return redirect("stocktake-page", pk=stocktake.pk)


@login_required
@require_POST
def stocktake_photo(request, pk: int):
    """A photo of one asset on the count, taken with the phone's camera from the page."""
    stocktake = _stocktake_for(request, pk)
    asset = _asset_to_write(request, request.POST.get("asset", ""))
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("Pilih foto dulu."))
        return _back(request, stocktake, asset)
    try:
        services.stocktake_line_photo(stocktake=stocktake, asset=asset, upload=upload, by=request.user)
        messages.success(request, _("%(asset)s: foto disimpan.") % {"asset": asset.name})
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return _back(request, stocktake, asset)


def _line_with_photo(request, pk: int, line: int) -> StocktakeLine:
    """Scoped like its stocktake: another agency's photo is 404."""
    return get_object_or_404(
        scope(StocktakeLine.objects.exclude(photo=""), request.user, "stocktake__agency"), stocktake_id=pk, pk=line
    )


@session_or_token
def stocktake_line_photo(request, pk: int, line: int):
    found = _line_with_photo(request, pk, line)
    return photo_response(found.photo.name, content_type=found.photo_type, stem=f"inventarisasi-{pk}-{found.pk}")


@session_or_token
def stocktake_line_thumbnail(request, pk: int, line: int):
    found = _line_with_photo(request, pk, line)
    return thumbnail_response(found.photo.name, stem=f"inventarisasi-{pk}-{found.pk}")


_RECORD_TYPES = {
    "pdf": (stocktake_record_pdf, "application/pdf"),
    "xlsx": (stocktake_record_xlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
}


@login_required
def stocktake_record(request, pk: int, extension: str):
    """The berita acara of a closed stocktake, as PDF or XLSX, with the manager's sign-off once given."""
    stocktake = _stocktake_for(request, pk)
    if stocktake.status != StocktakeStatus.CLOSED:
        raise Http404
    write, content_type = _RECORD_TYPES[extension]
    response = HttpResponse(write(stocktake), content_type=content_type)
    disposition = "inline" if extension == "pdf" else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="berita-acara-inventarisasi-{stocktake.pk}.{extension}"'
    return response


@login_required
@require_POST
def stocktake_sign(request, pk: int):
    """The agency's manager signs the closed count's record off ("mengetahui")."""
    stocktake = _stocktake_for(request, pk)
    if not may_sign_stocktake(request.user, stocktake.agency_id):
        raise PermissionDenied
    try:
        services.stocktake_sign(stocktake=stocktake, by=request.user)
        messages.success(request, _("Berita acara inventarisasi disahkan."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("stocktake-page", pk=stocktake.pk)


@login_required
@require_POST
def stocktake_close(request, pk: int):
    stocktake = _stocktake_for(request, pk)
    if not may_write_agency(request.user, stocktake.agency_id):
        raise PermissionDenied
    try:
        services.stocktake_close(stocktake=stocktake, by=request.user)
        messages.success(request, _("Inventarisasi ditutup; register aset diperbarui."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("stocktake-page", pk=stocktake.pk)
