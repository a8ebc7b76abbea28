"""The API of metric profiles (/api/monitoring/metric-profiles/, administrators write) and of an asset's
metric series for its charts (/api/monitoring/metrics/<asset id>/, scoped like the asset)."""

from datetime import timedelta

from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.scoping import scope
from assets.models import Asset
from monitoring.api.serializers import NUMERIC_OID
from monitoring.metrics import store
from monitoring.metrics.catalog import GROUPS
from monitoring.metrics.models import MetricProfile
from simpul.api import ModelCleanSerializer

CHART_METRICS = ("if_in_bps", "if_out_bps", "ups_charge_pct", "ups_on_battery")
CHART_DAYS = 7


class MetricProfileSerializer(ModelCleanSerializer):
    groups = serializers.ListField(
        child=serializers.ChoiceField(GROUPS), required=False, help_text="Standard MIB groups: if_mib, ups_mib."
    )
    oids = serializers.DictField(
        child=serializers.RegexField(NUMERIC_OID),
        required=False,
        help_text='More gauges as label to numeric OID, e.g. {"cpu_load_pct": "1.3.6.1.2.1.25.3.3.1.2.196608"}.',
    )

    class Meta:
        model = MetricProfile
        fields = [
            "kind",
            "groups",
            "oids",
            "on_battery_degraded",
            "charge_below_pct",
            "throughput_above_pct",
            "throughput_minutes",
        ]


class MetricProfileViewSet(viewsets.ModelViewSet):
    """Which standard MIB objects each asset kind is asked for, and the limits that make it degraded."""

    queryset = MetricProfile.objects.all()
    serializer_class = MetricProfileSerializer
    lookup_field = "kind"
    lookup_value_regex = r"[a-z_]+"
    ordering_fields = ["kind"]
    admin_writes = True


class AssetMetricsView(APIView):
    """Hourly average and peak of an asset's chart metrics over the last week, plus its extra labels on request."""

    @extend_schema(
        parameters=[OpenApiParameter("metric", str, many=True, description="More metric keys (extra OID labels).")],
        responses={200: dict},
    )
    def get(self, request, asset_id: int):
        asset = get_object_or_404(scope(Asset.objects.all(), request.user), pk=asset_id)
        now = timezone.now()
        start = (now - timedelta(days=CHART_DAYS)).replace(minute=0, second=0, microsecond=0)
        metrics = list(dict.fromkeys([*CHART_METRICS, *request.query_params.getlist("metric")]))[:20]
        series = {}
        for metric in metrics:
            rows = store.hourly([asset.pk], metric[:40], start, now + timedelta(hours=1)).get(asset.pk, [])
            series[metric] = [{"hour": hour, "avg": avg, "max": peak} for hour, avg, peak, _count in rows]
        return Response(
            {
                "asset": asset.pk,
                "generated_at": now,
                "down_mbps": asset.down_mbps,
                "up_mbps": asset.up_mbps,
                "series": series,
            }
        )
