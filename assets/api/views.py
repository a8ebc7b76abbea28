from dataclasses import asdict
from datetime import timedelta

from django.conf import settings
from django.db.models import Count
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.scoping import may_write_agency, scope
from assets import imports
from assets.api import exports as columns
from assets.api.serializers import (
    AgencyProfileSerializer,
    AgencySerializer,
    AssetSerializer,
    ExpiryQuerySerializer,
    ExpiryReportSerializer,
    GapQuerySerializer,
    GapReportSerializer,
    PartnerSerializer,
    RadioLicenceSerializer,
    SiteSerializer,
    StandardItemSerializer,
)
from assets.expiries import EXPIRY_WINDOWS_DAYS, counts_by_agency, expiries, expiry_row
from assets.filters import AgencyFilter, AssetFilter, PartnerFilter, RadioLicenceFilter, SiteFilter
from assets.gaps import gap_report
from assets.imports import import_assets
from assets.list_cache import cached_page
from assets.models import Agency, Asset, Partner, RadioLicence, Site, StandardItem
from assets.services import licence_fee_paid
from simpul.api import ScopedModelViewSet
from simpul.exports import FILE_RENDERERS, ExportMixin, Sheet
from simpul.pagination import KeysetPagination
from simpul.rows import RowsListMixin


class AgencyViewSet(viewsets.ReadOnlyModelViewSet):
    """Agencies (BPBD) the user can see, addressed by region code: /api/agencies/64.01/."""

    queryset = Agency.objects.select_related("parent")
    serializer_class = AgencySerializer
    filterset_class = AgencyFilter
    lookup_field = "code"
    lookup_value_regex = r"\d{2}(\.\d{2}){0,2}"
    ordering_fields = ["code", "name", "level"]

    def get_queryset(self):
        on_expired_licence = Asset.on_expired_licence_q(timezone.localdate(), path="assets__")
        queryset = super().get_queryset().annotate(expired_licence_radios=Count("assets", filter=on_expired_licence))
        # An aggregate drops the model's default ordering: name it again, so pages are stable.
        return scope(queryset.order_by("code"), self.request.user, agency_field="")

    @extend_schema(request=AgencyProfileSerializer, responses=AgencySerializer)
    @action(detail=True, methods=["patch"], serializer_class=AgencyProfileSerializer)
    def profile(self, request, code=None):
        """What the agency states about itself: readiness for BNPB's equipment aid and its licence renewal lead
        time. Written by the agency's own technicians and by administrators, like the rest of its data."""
        # Not get_object(): the role permission's object check reads `obj.agency_id`, and an agency is its own.
        agency = get_object_or_404(self.get_queryset(), code=code)
        if not may_write_agency(request.user, agency.pk):
            raise PermissionDenied
        body = AgencyProfileSerializer(agency, data=request.data, partial=True, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        body.save()
        return Response(AgencySerializer(self.get_queryset().get(pk=agency.pk)).data)


class PartnerViewSet(viewsets.ModelViewSet):
    """Partner organisations (ORARI, RAPI, ISPs...): readable by all, written by administrators."""

    queryset = Partner.objects.all()
    serializer_class = PartnerSerializer
    filterset_class = PartnerFilter
    ordering_fields = ["name", "kind"]
    admin_writes = True


class SiteViewSet(ExportMixin, ScopedModelViewSet):
    export_name = "lokasi"
    export_columns = columns.SITE_COLUMNS
    queryset = Site.objects.select_related("agency")
    serializer_class = SiteSerializer
    filterset_class = SiteFilter
    ordering_fields = ["name", "kind", "agency__code"]


class ImportSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="CSV (UTF-8) or XLSX with a header row of asset field names")
    dry_run = serializers.BooleanField(default=False)


class ImportErrorSerializer(serializers.Serializer):
    row = serializers.IntegerField()
    column = serializers.CharField()
    message = serializers.CharField()


class ImportResultSerializer(serializers.Serializer):
    rows = serializers.IntegerField()
    created = serializers.IntegerField()
    errors = ImportErrorSerializer(many=True)


class AssetViewSet(RowsListMixin, ExportMixin, ScopedModelViewSet):
    """Assets; `?format=csv` or `?format=xlsx` exports the (filtered) page, and /import/ takes a spreadsheet.
    The JSON list is written from plain rows (simpul.rows): ~2,300 fields a page through DRF cost ~15 ms; and a
    page asked again before the inventory changes is sent as kept (assets.list_cache)."""

    export_name = "aset"
    export_columns = columns.ASSET_COLUMNS
    page_cache = staticmethod(cached_page)  # pages kept per inventory version (assets.list_cache)
    queryset = Asset.objects.select_related("agency", "licence__agency")
    serializer_class = AssetSerializer
    filterset_class = AssetFilter
    pagination_class = KeysetPagination
    ordering = ["id"]  # the keyset's default: the primary key's index, not a sort of every visible asset
    ordering_fields = [
        "name",
        "kind",
        "status",
        "agency__code",
        "acquisition_date",
        "warranty_end",
        "support_end",
        "contract_end",
        "battery_due",
        "cost_idr",
        "updated_at",
    ]

    @extend_schema(
        request={"multipart/form-data": ImportSerializer},
        responses=ImportResultSerializer,
    )
    @action(detail=False, methods=["post"], url_path="import", parser_classes=[MultiPartParser])
    def import_file(self, request):
        """Import a spreadsheet of assets: every row valid and written, or none written and an error per cell.

        Rows with errors answer 400 with the same body as 200 (`errors` per row and column); a file that
        cannot be read answers 400 with an error on `file`.
        """
        body = ImportSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        upload = body.validated_data["file"]
        try:
            result = import_assets(
                name=upload.name,
                content=upload.read(settings.IMPORT_MAX_BYTES + 1),
                request=request,
                dry_run=body.validated_data["dry_run"],
            )
        except imports.ImportRejected as rejected:
            raise serializers.ValidationError({"file": [str(rejected)]}) from None
        data = ImportResultSerializer(asdict(result)).data
        return Response(data, status=400 if result.errors else 200)


class RadioLicenceViewSet(ScopedModelViewSet):
    """Station licences (ISR): the frequencies, power and validity the radios that carry them must keep to."""

    queryset = RadioLicence.objects.select_related("agency").prefetch_related("assets")
    serializer_class = RadioLicenceSerializer
    filterset_class = RadioLicenceFilter
    ordering_fields = ["number", "valid_until", "fee_due_date", "agency__code"]

    @extend_schema(request=None, responses=RadioLicenceSerializer)
    @action(detail=True, methods=["post"], url_path="fee-paid")
    def fee_paid(self, request, pk=None):
        """This year's frequency fee (BHP) is paid: the next falls due a year later."""
        licence = licence_fee_paid(licence=self.get_object())
        return Response(RadioLicenceSerializer(licence, context=self.get_serializer_context()).data)


class StandardItemViewSet(viewsets.ModelViewSet):
    """The Pusdalops standard, per agency level: readable by all, written by administrators."""

    queryset = StandardItem.objects.all()
    serializer_class = StandardItemSerializer
    filterset_fields = ["level", "kind"]
    ordering_fields = ["level", "kind"]
    admin_writes = True


class ExpiryView(ExportMixin, APIView):
    """What lapses in the next 30, 60 or 90 days (WITA), per agency: warranties, support contracts, ISP and
    satellite subscriptions, radio licences and their fees, batteries, end of life. `?format=csv` or `xlsx`."""

    exports = {"get": FILE_RENDERERS}
    export_name = "akan-berakhir"

    @extend_schema(
        parameters=[ExpiryQuerySerializer, OpenApiParameter("format", str, enum=["json", "csv", "xlsx"])],
        responses=ExpiryReportSerializer,
    )
    def get(self, request):
        query = ExpiryQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        days = query.validated_data["days"]
        today = timezone.localdate()
        agencies = scope(Agency.objects.all(), request.user, agency_field="")
        if code := query.validated_data.get("agency"):
            agencies = agencies.filter(code=code)
        items = expiries(agencies, start=today, end=today + timedelta(days=max(days, *EXPIRY_WINDOWS_DAYS)))
        listed = [item for item in items if item.days_left(today) <= days]
        names = {item.agency: item.agency_name for item in items}
        totals = [
            {
                "agency": code,
                "agency_name": names[code],
                **{f"within_{window}": count for window, count in windows.items()},
                "cost_idr": sum(item.cost_idr or 0 for item in listed if item.agency == code),
            }
            for code, windows in sorted(counts_by_agency(items, today=today).items())
        ]
        report = {
            "today": today,
            "until": today + timedelta(days=days),
            "results": [expiry_row(item, today) for item in listed],
            "totals": totals,
        }
        return Response(ExpiryReportSerializer(report).data)

    def export_sheets(self, data) -> list[Sheet]:
        return [
            Sheet(_("Akan berakhir"), columns.EXPIRY_COLUMNS, data["results"]),
            Sheet(_("Per instansi"), columns.EXPIRY_TOTAL_COLUMNS, data["totals"]),
        ]


class GapView(ExportMixin, APIView):
    """What each agency lacks against the standard, what it must renew before the horizon, what both cost (one-off
    and, for subscriptions, per year), and whether it meets BNPB's conditions to receive equipment now: JSON,
    `?format=csv` (every line) or `?format=xlsx` (a summary sheet and a sheet per agency)."""

    exports = {"get": FILE_RENDERERS}
    export_name = "kesenjangan-pusdalops"

    @extend_schema(
        parameters=[GapQuerySerializer, OpenApiParameter("format", str, enum=["json", "csv", "xlsx"])],
        responses=GapReportSerializer,
    )
    def get(self, request):
        query = GapQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        today = timezone.localdate()
        agencies = scope(Agency.objects.all(), request.user, agency_field="")
        if code := query.validated_data.get("agency"):
            agencies = agencies.filter(code=code)
        report = gap_report(
            agencies,
            today=today,
            horizon=today + timedelta(days=query.validated_data["horizon_days"]),
            kind=query.validated_data.get("kind", ""),
        )
        body = {
            "horizon": report.horizon,
            "results": [asdict(row) for row in report.rows],
            "renewals": [asdict(row) for row in report.renewals],
            "restock": [asdict(row) for row in report.restock],
            "totals": [asdict(total) for total in report.totals],
            "total_cost_idr": report.cost_idr,
            "total_yearly_cost_idr": report.yearly_cost_idr,
        }
        return Response(GapReportSerializer(body).data)

    def export_sheets(self, data) -> list[Sheet]:
        lines = columns.gap_lines(data)
        sheets = [Sheet(_("Ringkasan"), columns.GAP_SUMMARY_COLUMNS, data["totals"])]
        for total in data["totals"]:
            mine = [line for line in lines if line["agency"] == total["agency"]]
            sheets.append(Sheet(f"{total['agency']} {total['agency_name']}", columns.GAP_LINE_COLUMNS, mine))
        return sheets

    def export_csv_sheet(self, data) -> Sheet:
        return Sheet(_("Kebutuhan"), columns.GAP_LINE_COLUMNS, columns.gap_lines(data))
