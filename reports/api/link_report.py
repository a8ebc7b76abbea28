"""The link report's API: `/api/reports/links/?month=YYYY-MM`, as JSON, CSV (the links) or XLSX (links and
providers)."""

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.scoping import scope
from assets.models import Asset
from reports.deadlines import previous_month
from reports.link_report import link_report
from simpul.exports import DATE, FILE_RENDERERS, MONEY, NUMBER, PERCENT, Column, ExportMixin, Sheet
from simpul.months import MonthField


class LinkQuerySerializer(serializers.Serializer):
    month = MonthField(required=False, help_text="YYYY-MM (WITA); default: last month")
    provider = serializers.CharField(required=False, max_length=80, help_text="Only this provider's links")
    agency = serializers.CharField(required=False, max_length=20, help_text="Region code; default: all you see")


class _Figures(serializers.Serializer):
    availability = serializers.FloatField(allow_null=True, help_text="0..1 over the monitored time; null: not watched")
    monitored_s = serializers.FloatField()
    down_s = serializers.FloatField()
    outages = serializers.IntegerField()
    rtt_avg_ms = serializers.FloatField(allow_null=True)
    loss_avg = serializers.FloatField(allow_null=True, help_text="0..1")


class LinkRowSerializer(_Figures):
    asset = serializers.IntegerField()
    agency = serializers.CharField()
    agency_name = serializers.CharField()
    name = serializers.CharField()
    kind = serializers.CharField()
    kind_label = serializers.CharField()
    provider = serializers.CharField()
    medium_label = serializers.CharField()
    role_label = serializers.CharField()
    circuit = serializers.CharField(help_text="Circuit ID of a link, terminal ID of a satellite terminal")
    contracted_down_mbps = serializers.FloatField(allow_null=True)
    contracted_up_mbps = serializers.FloatField(allow_null=True)
    monthly_cost_idr = serializers.IntegerField(allow_null=True)
    contract_end = serializers.DateField(allow_null=True)
    in_avg_mbps = serializers.FloatField(allow_null=True, help_text="Mean download on the watched interface (SNMP)")
    in_peak_mbps = serializers.FloatField(allow_null=True, help_text="Highest hourly peak of the download")
    out_avg_mbps = serializers.FloatField(allow_null=True, help_text="Mean upload")
    out_peak_mbps = serializers.FloatField(allow_null=True)
    in_share = serializers.FloatField(allow_null=True, help_text="Mean download / contracted download, 0..1")
    full_hours = serializers.IntegerField(help_text="Hours whose mean traffic passed 90 % of the contract")


class ProviderRowSerializer(_Figures):
    provider = serializers.CharField()
    links = serializers.IntegerField()
    monthly_cost_idr = serializers.IntegerField()
    full_hours = serializers.IntegerField(help_text="Hours its links ran above 90 % of their contract, summed")


class LinkReportSerializer(serializers.Serializer):
    month = MonthField()
    until = serializers.DateTimeField(help_text="Figures up to this moment: the month's end, or now")
    providers = ProviderRowSerializer(many=True)
    results = LinkRowSerializer(many=True)


def _minutes(key: str):
    return lambda row: round(row[key] / 60) if row.get(key) is not None else None


_FIGURES = (
    Column("availability", gettext_lazy("Ketersediaan"), PERCENT),
    Column("down_s", gettext_lazy("Waktu mati (menit)"), NUMBER, get=_minutes("down_s"), total=True),
    Column("outages", gettext_lazy("Gangguan"), NUMBER, total=True),
    Column("rtt_avg_ms", gettext_lazy("Latensi rata-rata (ms)"), NUMBER),
    Column("loss_avg", gettext_lazy("Paket hilang rata-rata"), PERCENT),
)
LINK_COLUMNS = (
    Column("provider", gettext_lazy("Penyedia")),
    Column("agency", gettext_lazy("Kode instansi")),
    Column("agency_name", gettext_lazy("Instansi")),
    Column("name", gettext_lazy("Link")),
    Column("kind_label", gettext_lazy("Jenis")),
    Column("medium_label", gettext_lazy("Media")),
    Column("role_label", gettext_lazy("Peran")),
    Column("circuit", gettext_lazy("ID sirkuit/terminal")),
    Column("contracted_down_mbps", gettext_lazy("Kontrak unduh (Mbps)"), NUMBER),
    Column("contracted_up_mbps", gettext_lazy("Kontrak unggah (Mbps)"), NUMBER),
    *_FIGURES,
    Column("in_avg_mbps", gettext_lazy("Unduh rata-rata (Mbps)"), NUMBER),
    Column("in_peak_mbps", gettext_lazy("Unduh puncak (Mbps)"), NUMBER),
    Column("out_avg_mbps", gettext_lazy("Unggah rata-rata (Mbps)"), NUMBER),
    Column("out_peak_mbps", gettext_lazy("Unggah puncak (Mbps)"), NUMBER),
    Column("in_share", gettext_lazy("Unduh terpakai dari kontrak"), PERCENT),
    Column("full_hours", gettext_lazy("Jam di atas 90 % kontrak"), NUMBER, total=True),
    Column("monthly_cost_idr", gettext_lazy("Biaya bulanan (Rp)"), MONEY, total=True),
    Column("contract_end", gettext_lazy("Akhir kontrak"), DATE),
)
PROVIDER_COLUMNS = (
    Column("provider", gettext_lazy("Penyedia")),
    Column("links", gettext_lazy("Jumlah link"), NUMBER, total=True),
    *_FIGURES,
    Column("full_hours", gettext_lazy("Jam di atas 90 % kontrak"), NUMBER, total=True),
    Column("monthly_cost_idr", gettext_lazy("Biaya bulanan (Rp)"), MONEY, total=True),
)


def link_report_for(user, query: dict) -> dict:
    """The report over the links `user` sees, as the page and the API answer it."""
    assets = scope(Asset.objects.all(), user)
    if code := query.get("agency"):
        assets = assets.filter(agency__code=code)
    month = query.get("month") or previous_month(timezone.localdate())
    return link_report(assets, month, provider=query.get("provider", ""))


class LinkReportView(ExportMixin, APIView):
    """How each provider's internet links and satellite terminals served a month (WITA): availability, downtime,
    outages, latency, loss and traffic (SNMP) per link and per provider, worst first, against the contract's
    bandwidth and cost.
    `?format=csv` (the links) or `?format=xlsx` (links and providers)."""

    exports = {"get": FILE_RENDERERS}
    export_name = "laporan-link"

    @extend_schema(
        parameters=[LinkQuerySerializer, OpenApiParameter("format", str, enum=["json", "csv", "xlsx"])],
        responses=LinkReportSerializer,
    )
    def get(self, request):
        query = LinkQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        return Response(LinkReportSerializer(link_report_for(request.user, query.validated_data)).data)

    def export_sheets(self, data) -> list[Sheet]:
        return [
            Sheet(_("Link"), LINK_COLUMNS, data["results"]),
            Sheet(_("Per penyedia"), PROVIDER_COLUMNS, data["providers"]),
        ]
