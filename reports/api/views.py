from datetime import date

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.scoping import scope
from assets.models import Agency
from reports.api.rendered import agency_response, overview_response
from reports.api.serializers import (
    REPORT_STATUSES,
    AgencyDetailSerializer,
    OverviewSerializer,
    ProvinceMapSerializer,
)
from reports.choices import ReportState
from reports.content import monthly_report_data, report_statuses
from reports.dashboard import cached_agency_detail, province_overview
from reports.deadlines import previous_month
from reports.documents import report_pdf, report_xlsx
from reports.province_map import province_map, province_map_response
from reports.services import (
    NOTES_MAX,
    REASON_MAX,
    report_acknowledge,
    report_return,
    report_save_notes,
    report_submit,
)
from simpul.api import StrictJSONMixin
from simpul.exports import MOMENT, Column, ExportMixin, PDFRenderer, XLSXRenderer
from simpul.months import MonthField


class MonthQuerySerializer(serializers.Serializer):
    month = MonthField(required=False, help_text="YYYY-MM (WITA); default: last month")


class NotesSerializer(StrictJSONMixin, serializers.Serializer):
    notes = serializers.CharField(allow_blank=True, max_length=NOTES_MAX, help_text="Plain text, never HTML.")


class SubmitSerializer(NotesSerializer):
    notes = serializers.CharField(
        required=False, allow_blank=True, max_length=NOTES_MAX, help_text="Plain text; default: the draft's notes."
    )


class ReturnSerializer(StrictJSONMixin, serializers.Serializer):
    reason = serializers.CharField(max_length=REASON_MAX, help_text="Why the province returns the report.")


class ReportStatusSerializer(serializers.Serializer):
    agency = serializers.CharField()
    agency_name = serializers.CharField()
    month = serializers.CharField()
    status = serializers.ChoiceField(choices=REPORT_STATUSES, help_text="Timeliness against the deadline.")
    state = serializers.ChoiceField(choices=ReportState.choices, help_text="Where the report stands.")
    state_label = serializers.CharField()
    submitted_at = serializers.DateTimeField(allow_null=True)
    submitted_by = serializers.CharField()
    acknowledged_at = serializers.DateTimeField(allow_null=True)
    acknowledged_by = serializers.CharField()
    returned_at = serializers.DateTimeField(allow_null=True)
    return_reason = serializers.CharField()
    notes = serializers.CharField()


REPORT_STATUS_LABELS = {
    "on_time": gettext_lazy("Tepat waktu"),
    "late": gettext_lazy("Terlambat"),
    "missing": gettext_lazy("Belum dikirim"),
    "pending": gettext_lazy("Belum jatuh tempo"),
}


def _month(request) -> date:
    query = MonthQuerySerializer(data=request.query_params)
    query.is_valid(raise_exception=True)
    return query.validated_data.get("month") or previous_month(timezone.localdate())


class MonthlyReportViewSet(ExportMixin, viewsets.ViewSet):
    """Monthly reports per agency: state, content, XLSX and PDF; the agency keeps notes and submits, the
    province accepts or returns. A submitted report cannot be edited until it is returned."""

    exports = {"list": (XLSXRenderer,), "retrieve": (XLSXRenderer, PDFRenderer)}
    export_name = "status-laporan-bulanan"
    export_columns = (
        Column("agency", gettext_lazy("Kode instansi")),
        Column("agency_name", gettext_lazy("Instansi")),
        Column("month", gettext_lazy("Bulan")),
        Column("status", gettext_lazy("Status"), labels=REPORT_STATUS_LABELS),
        Column("submitted_at", gettext_lazy("Dikirim (WITA)"), MOMENT),
        Column("acknowledged_at", gettext_lazy("Diterima provinsi (WITA)"), MOMENT),
    )
    permission_classes = [IsAuthenticated]  # who submits or acknowledges is decided by reports.services
    lookup_field = "code"
    lookup_value_regex = r"\d{2}(\.\d{2}){0,2}"

    def _agency(self, request, code: str) -> Agency:
        return get_object_or_404(scope(Agency.objects.all(), request.user, agency_field=""), code=code)

    @extend_schema(parameters=[MonthQuerySerializer], responses=ReportStatusSerializer(many=True))
    def list(self, request):
        agencies = scope(Agency.objects.all(), request.user, agency_field="")
        return Response(ReportStatusSerializer(report_statuses(agencies, _month(request)), many=True).data)

    @extend_schema(
        parameters=[MonthQuerySerializer, OpenApiParameter("format", str, enum=["json", "xlsx", "pdf"])],
        responses={200: dict},
    )
    def retrieve(self, request, code=None):
        agency, month = self._agency(request, code), _month(request)
        data = monthly_report_data(agency, month)
        fmt = request.query_params.get("format", "json")
        name = f"laporan-{agency.code}-{month:%Y-%m}"
        if fmt == "xlsx":
            return _file(
                report_xlsx(data), f"{name}.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            )
        if fmt == "pdf":
            return _file(report_pdf(data), f"{name}.pdf", "application/pdf")
        return Response(data)

    def _status(self, agency: Agency, month: date) -> Response:
        row = report_statuses(Agency.objects.filter(pk=agency.pk), month)[0]
        return Response(ReportStatusSerializer(row).data)

    @extend_schema(parameters=[MonthQuerySerializer], request=NotesSerializer, responses=ReportStatusSerializer)
    @action(detail=True, methods=["post"])
    def notes(self, request, code=None):
        agency, month = self._agency(request, code), _month(request)
        body = NotesSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        report_save_notes(agency=agency, month=month, by=request.user, notes=body.validated_data["notes"])
        return self._status(agency, month)

    @extend_schema(parameters=[MonthQuerySerializer], request=SubmitSerializer, responses=ReportStatusSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, code=None):
        agency, month = self._agency(request, code), _month(request)
        body = SubmitSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        report_submit(agency=agency, month=month, by=request.user, notes=body.validated_data.get("notes"))
        return self._status(agency, month)

    @extend_schema(parameters=[MonthQuerySerializer], request=None, responses=ReportStatusSerializer)
    @action(detail=True, methods=["post"])
    def acknowledge(self, request, code=None):
        agency, month = self._agency(request, code), _month(request)
        report_acknowledge(agency=agency, month=month, by=request.user)
        return self._status(agency, month)

    @extend_schema(parameters=[MonthQuerySerializer], request=ReturnSerializer, responses=ReportStatusSerializer)
    @action(detail=True, methods=["post"], url_path="return")
    def return_(self, request, code=None):
        agency, month = self._agency(request, code), _month(request)
        body = ReturnSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        report_return(agency=agency, month=month, by=request.user, reason=body.validated_data["reason"])
        return self._status(agency, month)


def _file(content: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class DashboardView(APIView):
    """The health dashboard's figures for every agency the user sees, trouble first (the page refreshes from it).

    Every asset on hand counts in one bucket: a state, "unchecked" (no result yet) or "unmonitored".
    Availability comes with its coverage, and without a value below the coverage floor."""

    permission_classes = [IsAuthenticated]

    @extend_schema(operation_id="reports_dashboard_overview", responses=OverviewSerializer)
    def get(self, request):
        if request.accepted_renderer.format == "json":  # the pages' refresh: the body kept per cycle
            return overview_response(request)
        return Response(OverviewSerializer(province_overview(request.user)).data)


class AgencyDashboardView(APIView):
    """One agency's dashboard figures: sites and their worst state, assets, charts, outages, upcoming work."""

    permission_classes = [IsAuthenticated]

    @extend_schema(operation_id="reports_dashboard_agency", responses=AgencyDetailSerializer)
    def get(self, request, code: str):
        agency = get_object_or_404(scope(Agency.objects.all(), request.user, agency_field=""), code=code)
        if request.accepted_renderer.format == "json":
            return agency_response(request, agency)
        return Response(AgencyDetailSerializer(cached_agency_detail(agency)).data)


def _province_map_response(request, agency: Agency | None):
    if request.accepted_renderer.format == "json":  # the pages' refresh: rendered once per cycle
        return province_map_response(request, agency)
    return Response(province_map(request.user, agency))


class ProvinceMapView(APIView):
    """The dashboard's province map: every agency's seat and site the user sees, coloured by worst state, and the
    legend; the page recolours its map from it."""

    permission_classes = [IsAuthenticated]

    @extend_schema(operation_id="reports_province_map", responses=ProvinceMapSerializer)
    def get(self, request):
        return _province_map_response(request, None)


class ProvinceMapViewSet(viewsets.ViewSet):
    """An agency's map: its seat and sites and those of the agencies under it (the province's own page)."""

    permission_classes = [IsAuthenticated]
    lookup_field = "code"
    lookup_value_regex = r"\d{2}(\.\d{2}){0,2}"

    @extend_schema(responses=ProvinceMapSerializer)
    def retrieve(self, request, code=None):
        agency = get_object_or_404(scope(Agency.objects.all(), request.user, agency_field=""), code=code)
        return _province_map_response(request, agency)
