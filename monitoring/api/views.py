from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from django_filters.utils import translate_validation
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.scoping import scope
from assets.models import Asset
from monitoring import history
from monitoring.api import exports as columns
from monitoring.api import serializers as s
from monitoring.availability import availability
from monitoring.filters import (
    AssetStateFilter,
    EventFilter,
    MaintenanceWindowFilter,
    OutageFilter,
    ProbeConfigFilter,
    RadioCheckFilter,
    RollupFilter,
    SampleFilter,
)
from monitoring.models import (
    AssetState,
    Event,
    HourlyRollup,
    KindPolicy,
    MaintenanceWindow,
    Outage,
    ProbeConfig,
    RadioCheck,
    RadioCheckEntry,
    Sample,
)
from monitoring.remote.health import shown_states
from monitoring.services import RollCallAnswer, radio_check_record
from simpul.api import ScopedQuerysetMixin
from simpul.exports import FILE_RENDERERS, ExportMixin, Sheet, rows_of
from simpul.ordering import NullsLastOrderingFilter
from simpul.pagination import KeysetPagination, MomentKeysetPagination


class ScopedMixin(ScopedQuerysetMixin):
    """Monitoring rows reach their agency through their asset."""

    agency_field = "asset__agency"


class AssetStateViewSet(ExportMixin, ScopedMixin, viewsets.ReadOnlyModelViewSet):
    """The confirmed state of each monitored asset, addressed by asset id: /api/monitoring/status/12/."""

    queryset = AssetState.objects.select_related("asset__agency")
    serializer_class = s.AssetStateSerializer
    export_name = "status-aset"
    export_columns = columns.STATUS_COLUMNS
    filterset_class = AssetStateFilter
    ordering_fields = ["asset__name", "asset__agency__code", "state", "since", "last_polled_at", "last_rtt_ms"]

    def get_queryset(self):
        return shown_states(super().get_queryset(), timezone.now())


class OutageViewSet(ExportMixin, ScopedMixin, viewsets.ReadOnlyModelViewSet):
    """Intervals during which an asset was confirmed down; open while `ended_at` is null."""

    queryset = Outage.objects.select_related("asset__agency")
    serializer_class = s.OutageSerializer
    pagination_class = KeysetPagination
    export_name = "gangguan"
    export_columns = columns.OUTAGE_COLUMNS
    filterset_class = OutageFilter
    ordering_fields = ["started_at", "ended_at", "took_down", "asset__name"]


class SampleViewSet(ScopedMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """Raw probe and roll-call results of one asset (`asset` is required), newest first; pruned after retention.

    Read through monitoring.history (recent rows and packed hour blocks), paged by the results' moments."""

    queryset = Sample.objects.all()  # the filters' and the schema's model; the rows come from the history
    serializer_class = s.SampleSerializer
    pagination_class = MomentKeysetPagination
    filterset_class = SampleFilter
    ordering_fields = ["at"]

    def list(self, request, *args, **kwargs):
        filterset = DjangoFilterBackend().get_filterset(request, self.queryset, self)
        if not filterset.is_valid():
            raise translate_validation(filterset.errors)
        given = filterset.form.cleaned_data
        ordering = NullsLastOrderingFilter().get_ordering(request, self.queryset, self)
        visible = scope(Asset.objects.filter(pk=given["asset"]), request.user).exists()

        def read(**page):
            if not visible:
                return []
            return history.results(
                given["asset"],
                since=given.get("from"),
                until=given.get("to"),
                sources=[given["source"]] if given.get("source") else (),
                verdicts=[given["verdict"]] if given.get("verdict") else (),
                **page,
            )

        rows = self.paginator.paginate_results(read, request, newest_first=(ordering or ["-at"])[0] != "at")
        return self.get_paginated_response(self.get_serializer(rows, many=True).data)


class HourlyRollupViewSet(ScopedMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """Hourly RTT, loss and up-count of one asset (`asset` is required), for charts over months."""

    queryset = HourlyRollup.objects.all()
    serializer_class = s.HourlyRollupSerializer
    filterset_class = RollupFilter
    ordering_fields = ["hour"]


class EventViewSet(ScopedMixin, viewsets.ReadOnlyModelViewSet):
    """Reboots, SNMP authentication errors and probe failures, newest first."""

    queryset = Event.objects.select_related("asset__agency")
    serializer_class = s.EventSerializer
    filterset_class = EventFilter
    ordering_fields = ["at", "kind"]


class ProbeConfigViewSet(ScopedMixin, viewsets.ModelViewSet):
    """How an asset is probed, addressed by asset id. SNMP secrets are write-only."""

    queryset = ProbeConfig.objects.select_related("asset__agency")
    serializer_class = s.ProbeConfigSerializer
    lookup_field = "asset"
    lookup_value_regex = r"\d+"
    filterset_class = ProbeConfigFilter
    ordering_fields = ["asset", "interval_s"]


class KindPolicyViewSet(viewsets.ModelViewSet):
    """Polling interval, confirmation count and degradation limits per asset kind; administrators write."""

    queryset = KindPolicy.objects.all()
    serializer_class = s.KindPolicySerializer
    lookup_field = "kind"
    lookup_value_regex = r"[a-z_]+"
    ordering_fields = ["kind", "interval_s", "confirm_count"]
    admin_writes = True


class MaintenanceWindowViewSet(ScopedMixin, viewsets.ModelViewSet):
    """Planned work on an asset, a site or a whole agency: no outage and no availability loss meanwhile."""

    queryset = MaintenanceWindow.objects.select_related("agency", "created_by")
    serializer_class = s.MaintenanceWindowSerializer
    filterset_class = MaintenanceWindowFilter
    ordering_fields = ["starts_at", "ends_at", "agency__code"]
    agency_field = "agency"

    def perform_create(self, serializer):
        serializer.save(created_by=self.request.user)


class RadioCheckViewSet(
    ExportMixin,
    ScopedMixin,
    mixins.CreateModelMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Roll calls on a radio net. Each answer is an observation of the radio: missed calls take it down.

    A roll call is not changed or deleted once recorded: the states and outages it caused stay.
    """

    queryset = RadioCheck.objects.select_related("agency", "operator").prefetch_related(
        Prefetch("entries", queryset=RadioCheckEntry.objects.select_related("asset"))
    )
    serializer_class = s.RadioCheckSerializer
    export_name = "apel-radio"
    filterset_class = RadioCheckFilter
    ordering_fields = ["held_at"]
    agency_field = "agency"

    def export_sheets(self, data) -> list[Sheet]:
        return [Sheet(_("Apel radio"), columns.RADIO_CHECK_COLUMNS, columns.radio_check_lines(rows_of(data)))]

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = radio_check_record(
            agency=data["agency"],
            held_at=data["held_at"],
            net=data["net"],
            notes=data["notes"],
            operator=self.request.user,
            entries=[RollCallAnswer(**entry) for entry in data["entries"]],
        )


class AvailabilityView(ExportMixin, APIView):
    """Availability over a window, from outages and maintenance windows, per asset, site, agency or kind;
    `?format=csv` or `xlsx`."""

    exports = {"get": FILE_RENDERERS}
    export_name = "ketersediaan"
    export_columns = columns.AVAILABILITY_COLUMNS

    @extend_schema(parameters=[s.AvailabilityQuerySerializer], responses=s.AvailabilitySerializer)
    def get(self, request):
        query = s.AvailabilityQuerySerializer(data=request.query_params, context={"request": request})
        query.is_valid(raise_exception=True)
        params = query.validated_data
        assets = scope(Asset.objects.all(), request.user)
        if params["agency"] is not None:
            assets = assets.filter(agency=params["agency"])
        if params["kind"]:
            assets = assets.filter(kind__in=params["kind"])
        rows = availability(assets, start=params["start"], end=params["end"], group_by=params["group_by"])
        return Response(s.AvailabilitySerializer({**params, "results": rows}).data)
