from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from accounts.language import remember
from alerts import services
from alerts.api.serializers import (
    AlertContactSerializer,
    AlertEventSerializer,
    AlertRuleSerializer,
    AlertSerializer,
    ChannelSerializer,
    DutyAssignmentSerializer,
    DutyShiftSerializer,
    SwapSerializer,
)
from alerts.choices import AckVia
from alerts.filters import (
    AlertContactFilter,
    AlertFilter,
    AlertRuleFilter,
    ChannelFilter,
    DutyAssignmentFilter,
    DutyShiftFilter,
)
from alerts.models import Alert, AlertContact, AlertRule, Channel, DutyAssignment, DutyShift
from alerts.selectors import STATE_RANK, may_acknowledge
from simpul.api import ScopedQuerysetMixin


class MayAcknowledge(IsAuthenticated):
    def has_permission(self, request, view) -> bool:
        return may_acknowledge(request.user)


class AlertViewSet(ScopedQuerysetMixin, viewsets.ReadOnlyModelViewSet):
    """Alerts of the agencies you see, unacknowledged first. Raised and resolved by monitoring, not by hand."""

    queryset = (
        Alert.objects.select_related("agency", "asset", "acknowledged_by")
        .annotate(rank=STATE_RANK)
        .order_by("rank", "-started_at", "-id")
    )
    serializer_class = AlertSerializer
    filterset_class = AlertFilter
    ordering_fields = ["started_at", "severity", "state", "resolved_at"]

    @extend_schema(request=None, responses=AlertSerializer)
    @action(detail=True, methods=["post"], permission_classes=[MayAcknowledge])
    def acknowledge(self, request, pk=None):
        """Acknowledge the alert (once: 400 if it already was, or has resolved); stops its escalation."""
        alert = services.alert_acknowledge(alert=self.get_object(), by=request.user, via=AckVia.API)
        return Response(AlertSerializer(alert, context=self.get_serializer_context()).data)

    @extend_schema(responses=AlertEventSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def timeline(self, request, pk=None):
        """Every step: raised, who was told over what and when, escalations, acknowledgement, recovery."""
        alert = self.get_object()
        events = alert.timeline.select_related("user", "channel")
        return Response(AlertEventSerializer(events, many=True).data)


class AlertRuleViewSet(ScopedQuerysetMixin, viewsets.ModelViewSet):
    """Rules of your agencies (the defaults for every agency are kept in the back office)."""

    queryset = AlertRule.objects.select_related("agency")
    serializer_class = AlertRuleSerializer
    filterset_class = AlertRuleFilter
    ordering_fields = ["name", "id"]


class DutyShiftViewSet(ScopedQuerysetMixin, viewsets.ModelViewSet):
    queryset = DutyShift.objects.select_related("agency")
    serializer_class = DutyShiftSerializer
    filterset_class = DutyShiftFilter
    ordering_fields = ["starts", "name"]


class DutyAssignmentViewSet(ScopedQuerysetMixin, viewsets.ModelViewSet):
    """The roster: who is on which shift on which day (WITA dates); `swap` hands a shift to a colleague."""

    queryset = DutyAssignment.objects.select_related("shift__agency", "user", "planned_user")
    serializer_class = DutyAssignmentSerializer
    filterset_class = DutyAssignmentFilter
    ordering_fields = ["date"]
    agency_field = "shift__agency"

    @extend_schema(request=SwapSerializer, responses=DutyAssignmentSerializer)
    @action(detail=True, methods=["post"])
    def swap(self, request, pk=None):
        assignment = self.get_object()
        body = SwapSerializer(data=request.data, context={"assignment": assignment})
        body.is_valid(raise_exception=True)
        assignment = services.duty_swap(assignment=assignment, to_user=body.validated_data["user"])
        return Response(DutyAssignmentSerializer(assignment, context=self.get_serializer_context()).data)


class ChannelViewSet(ScopedQuerysetMixin, viewsets.ModelViewSet):
    queryset = Channel.objects.select_related("agency")
    serializer_class = ChannelSerializer
    filterset_class = ChannelFilter
    ordering_fields = ["name", "id"]


class AlertContactViewSet(ScopedQuerysetMixin, viewsets.ModelViewSet):
    """Where each person gets alerts besides email: phone (WhatsApp/SMS gateways) and Telegram chat."""

    queryset = AlertContact.objects.select_related("user__agency")
    serializer_class = AlertContactSerializer
    filterset_class = AlertContactFilter
    ordering_fields = ["id"]
    agency_field = "user__agency"

    def perform_create(self, serializer):
        self._save(serializer)

    def perform_update(self, serializer):
        self._save(serializer)

    def _save(self, serializer) -> None:
        language = serializer.validated_data.pop("language", None)
        contact = serializer.save()
        if language:
            remember(contact.user, language)
