from datetime import date

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.scoping import scope
from assets.models import Agency
from reports.content import monthly_report_data, report_statuses
from reports.dashboard import agency_detail, province_overview
from reports.deadlines import previous_month
from reports.documents import report_pdf, report_xlsx
from reports.services import report_acknowledge, report_submit
from simpul.api import StrictJSONMixin
from simpul.exports import MOMENT, Column, ExportMixin, PDFRenderer, XLSXRenderer
from simpul.months import MonthField


class MonthQuerySerializer(serializers.Serializer):
    month = MonthField(required=False, help_text="YYYY-MM (WITA); default: last month")


class SubmitSerializer(StrictJSONMixin, serializers.Serializer):
    notes = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class ReportStatusSerializer(serializers.Serializer):
    agency = serializers.CharField()
    agency_name = serializers.CharField()
    month = serializers.CharField()
    status = serializers.ChoiceField(choices=["on_time", "late", "missing", "pending"])
    submitted_at = serializers.DateTimeField(allow_null=True)
    acknowledged_at = serializers.DateTimeField(allow_null=True)


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
    """Monthly reports per agency: status on time / late / missing, content, XLSX and PDF, submit, acknowledge."""

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

    @extend_schema(parameters=[MonthQuerySerializer], request=SubmitSerializer, responses=ReportStatusSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, code=None):
        agency, month = self._agency(request, code), _month(request)
        body = SubmitSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        report_submit(agency=agency, month=month, by=request.user, notes=body.validated_data["notes"])
        return Response(report_statuses(Agency.objects.filter(pk=agency.pk), month)[0])

    @extend_schema(parameters=[MonthQuerySerializer], request=None, responses=ReportStatusSerializer)
    @action(detail=True, methods=["post"])
    def acknowledge(self, request, code=None):
        agency, month = self._agency(request, code), _month(request)
        report_acknowledge(agency=agency, month=month, by=request.user)
        return Response(report_statuses(Agency.objects.filter(pk=agency.pk), month)[0])


def _file(content: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class DashboardView(APIView):
    """The health dashboard's figures for every agency the user sees (the page refreshes from it)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(operation_id="reports_dashboard_overview", responses={200: OpenApiTypes.OBJECT})
    def get(self, request):
        return Response(province_overview(request.user))


class AgencyDashboardView(APIView):
    """One agency's dashboard figures: sites and their worst state, assets, charts, outages, upcoming work."""

    permission_classes = [IsAuthenticated]

    @extend_schema(operation_id="reports_dashboard_agency", responses={200: OpenApiTypes.OBJECT})
    def get(self, request, code: str):
        agency = get_object_or_404(scope(Agency.objects.all(), request.user, agency_field=""), code=code)
        return Response(agency_detail(agency))
