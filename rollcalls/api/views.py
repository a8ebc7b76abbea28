from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.scoping import scope
from rollcalls.api import serializers as s
from rollcalls.filters import RollCallScheduleFilter, ScheduledCallFilter
from rollcalls.models import RollCallSchedule, ScheduledCall
from rollcalls.selectors import compliance
from rollcalls.services import schedule_set_active
from simpul.api import ScopedQuerysetMixin


class RollCallScheduleViewSet(ScopedQuerysetMixin, viewsets.ModelViewSet):
    """When an agency calls a radio net (times in WITA, days, recording window) and which stations must answer."""

    queryset = RollCallSchedule.objects.select_related("agency").prefetch_related("stations")
    serializer_class = s.RollCallScheduleSerializer
    filterset_class = RollCallScheduleFilter
    ordering_fields = ["net", "agency__code", "window_minutes"]

    def perform_update(self, serializer):
        # Resuming through the API owes no call of the pause either (rollcalls.services.schedule_set_active).
        active = serializer.validated_data.pop("active", serializer.instance.active)
        schedule = serializer.save()
        schedule_set_active(schedule=schedule, active=active, now=timezone.now())


class ScheduledCallViewSet(ScopedQuerysetMixin, viewsets.ReadOnlyModelViewSet):
    """Calls a schedule owed, newest first: held (with its roll call) or missed (nobody recorded it in its window)."""

    queryset = ScheduledCall.objects.select_related("agency", "schedule")
    serializer_class = s.ScheduledCallSerializer
    filterset_class = ScheduledCallFilter
    ordering_fields = ["due_at", "outcome"]


class ComplianceView(APIView):
    """Per agency and net, one month: calls held of those scheduled, and stations answering in the calls held."""

    @extend_schema(parameters=[s.ComplianceQuerySerializer], responses=s.ComplianceRowSerializer(many=True))
    def get(self, request):
        query = s.ComplianceQuerySerializer(data=request.query_params, context={"request": request})
        query.is_valid(raise_exception=True)
        params = query.validated_data
        schedules = scope(RollCallSchedule.objects.all(), request.user)
        if params.get("agency"):
            schedules = schedules.filter(agency__code=params["agency"])
        if params.get("net"):
            schedules = schedules.filter(net__iexact=params["net"])
        rows = compliance(schedules.order_by("agency__code", "net", "id"), params["month"])
        return Response(s.ComplianceRowSerializer(rows, many=True).data)
