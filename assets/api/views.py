from dataclasses import asdict
from datetime import timedelta

from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.scoping import scope
from assets import imports
from assets.api.serializers import (
    AgencySerializer,
    AssetSerializer,
    GapQuerySerializer,
    GapReportSerializer,
    PartnerSerializer,
    SiteSerializer,
    StandardItemSerializer,
)
from assets.filters import AgencyFilter, AssetFilter, PartnerFilter, SiteFilter
from assets.gaps import gap_rows, totals_by_agency
from assets.imports import import_assets
from assets.models import Agency, Asset, Partner, Site, StandardItem
from simpul.api import ScopedModelViewSet
from simpul.exports import CSVRenderer, ExportMixin, XLSXRenderer


class AgencyViewSet(viewsets.ReadOnlyModelViewSet):
    """Agencies (BPBD) the user can see, addressed by region code: /api/agencies/64.01/."""

    queryset = Agency.objects.select_related("parent")
    serializer_class = AgencySerializer
    filterset_class = AgencyFilter
    lookup_field = "code"
    lookup_value_regex = r"\d{2}(\.\d{2}){0,2}"
    ordering_fields = ["code", "name", "level"]

    def get_queryset(self):
        return scope(super().get_queryset(), self.request.user, agency_field="")


class PartnerViewSet(viewsets.ModelViewSet):
    """Partner organisations (ORARI, RAPI, ISPs...): readable by all, written by administrators."""

    queryset = Partner.objects.all()
    serializer_class = PartnerSerializer
    filterset_class = PartnerFilter
    ordering_fields = ["name", "kind"]
    admin_writes = True


class SiteViewSet(ScopedModelViewSet):
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


class AssetViewSet(ExportMixin, ScopedModelViewSet):
    """Assets; `?format=csv` or `?format=xlsx` exports the (filtered) page, and /import/ takes a spreadsheet."""

    export_name = "aset"
    queryset = Asset.objects.select_related("agency")
    serializer_class = AssetSerializer
    filterset_class = AssetFilter
    ordering_fields = [
        "name",
        "kind",
        "status",
        "agency__code",
        "acquisition_date",
        "warranty_end",
        "contract_end",
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
                content=upload.read(imports.MAX_BYTES + 1),
                request=request,
                dry_run=body.validated_data["dry_run"],
            )
        except imports.ImportRejected as rejected:
            raise serializers.ValidationError({"file": [str(rejected)]}) from None
        data = ImportResultSerializer(asdict(result)).data
        return Response(data, status=400 if result.errors else 200)


class StandardItemViewSet(viewsets.ModelViewSet):
    """The Pusdalops standard, per agency level: readable by all, written by administrators."""

    queryset = StandardItem.objects.all()
    serializer_class = StandardItemSerializer
    filterset_fields = ["level", "kind"]
    ordering_fields = ["level", "kind"]
    admin_writes = True


class GapView(ExportMixin, APIView):
    """What each agency lacks against the standard and what it costs: JSON, `?format=csv` or `?format=xlsx`."""

    exports = {"get": (CSVRenderer, XLSXRenderer)}
    export_name = "kesenjangan-pusdalops"

    @extend_schema(parameters=[GapQuerySerializer], responses=GapReportSerializer)
    def get(self, request):
        query = GapQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        today = timezone.localdate()
        horizon = today + timedelta(days=query.validated_data["horizon_days"])
        agencies = scope(Agency.objects.all(), request.user, agency_field="")
        if code := query.validated_data.get("agency"):
            agencies = agencies.filter(code=code)
        rows = gap_rows(agencies, today=today, horizon=horizon)
        totals = totals_by_agency(rows)
        report = {
            "horizon": horizon,
            "results": [asdict(row) for row in rows],
            "totals": [{"agency": code, "cost_idr": cost} for code, cost in totals.items()],
            "total_cost_idr": sum(totals.values()),
        }
        return Response(GapReportSerializer(report).data)
