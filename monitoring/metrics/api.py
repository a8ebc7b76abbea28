"""The API of metric profiles (/api/monitoring/metric-profiles/, administrators write) and of an asset's
metric series for its charts (/api/monitoring/metrics/<asset id>/, scoped like the asset)."""

from datetime import timedelta

from django.core.exceptions import ValidationError as DjangoValidationError
from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.scoping import may_write_agency, scope
from assets.models import Asset
from monitoring.api.serializers import NUMERIC_OID
from monitoring.metrics import store
from monitoring.metrics.catalog import GROUPS
from monitoring.metrics.models import MetricProfile
from monitoring.metrics.watch import WATCH_LIMIT, choose_watched, walked_interfaces
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


class WatchSerializer(serializers.Serializer):
    watch = serializers.ListField(
        child=serializers.CharField(max_length=100),
        allow_empty=True,
        max_length=WATCH_LIMIT,
        help_text="Interfaces to watch, each by its name (ifName/ifDescr) or its ifIndex, from the last walk.",
    )


class AssetInterfacesView(APIView):
    """The interfaces an asset's agent listed at its last walk (GETBULK, by the poller), and which are watched;
    PUT {"watch": ["ether1", "3"]} chooses the watched ones by name or index."""

    def _asset(self, request, asset_id: int) -> Asset:
        return get_object_or_404(scope(Asset.objects.all(), request.user), pk=asset_id)

    def _body(self, asset: Asset) -> dict:
        walked, interfaces = walked_interfaces(asset)
        return {
            "asset": asset.pk,
            "walked_at": walked.walked_at if walked else None,
            "error": walked.error if walked else "",
            "interfaces": interfaces,
        }

    @extend_schema(responses={200: dict})
    def get(self, request, asset_id: int):
        return Response(self._body(self._asset(request, asset_id)))

    @extend_schema(request=WatchSerializer, responses={200: dict})
    def put(self, request, asset_id: int):
        asset = self._asset(request, asset_id)
        if not may_write_agency(request.user, asset.agency_id):
            raise PermissionDenied
        data = WatchSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            choose_watched(asset, data.validated_data["watch"])
        except DjangoValidationError as error:
            raise ValidationError(error.message_dict) from error
        return Response(self._body(asset))
