from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import BasePermission
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.scoping import scope
from assets.models import Asset
from maintenance import services
from maintenance.api import exports as columns
from maintenance.api.serializers import (
    AssignSerializer,
    AttachmentSerializer,
    CalendarFeedSerializer,
    ChecklistAddSerializer,
    ChecklistItemSerializer,
    ChecklistTickSerializer,
    FinishSerializer,
    MetricsQuerySerializer,
    MetricsSerializer,
    PartLineSerializer,
    PreventivePlanSerializer,
    TransitionSerializer,
    WebhookEndpointSerializer,
    WorkLogSerializer,
    WorkOrderSerializer,
)
from maintenance.calendar import agency_calendar
from maintenance.choices import WorkOrderStatus as S
from maintenance.dispatch import dispatches_at_all, may_reopen
from maintenance.filters import PreventivePlanFilter, WorkOrderFilter
from maintenance.idempotency import IdempotencyMixin
from maintenance.metrics import maintenance_metrics
from maintenance.models import CalendarFeed, PreventivePlan, WebhookEndpoint, WorkOrder
from maintenance.offline import EXPECTED_ASSIGNEE_PARAMETER, refuse_if_reassigned
from simpul.api import ScopedModelViewSet, ScopedQuerysetMixin
from simpul.exports import FILE_RENDERERS, ExportMixin
from simpul.months import month_bounds


class MayReopen(BasePermission):
    def has_permission(self, request, view) -> bool:
        return dispatches_at_all(request.user)

    def has_object_permission(self, request, view, obj) -> bool:
        return may_reopen(request.user, obj)


class WorkOrderViewSet(IdempotencyMixin, ExportMixin, ScopedModelViewSet):
    """Work orders. Status moves only through the transition actions, which answer 400 with the allowed next states.

    A POST with an Idempotency-Key header is applied once per key (a replay answers the first answer); one with
    X-Expected-Assignee is refused (409) when the order went to somebody else meanwhile (the offline app).
    """

    queryset = WorkOrder.objects.select_related("agency", "reporter", "assignee").prefetch_related(
        "checklist__done_by", "outages"
    )
    serializer_class = WorkOrderSerializer
    export_name = "perintah-kerja"
    export_columns = columns.WORK_ORDER_COLUMNS
    filterset_class = WorkOrderFilter
    ordering_fields = ["created_at", "due_date", "priority", "status", "updated_at"]
    post_headers = (EXPECTED_ASSIGNEE_PARAMETER,)

    def get_object(self):
        order = super().get_object()
        if self.request.method == "POST":
            refuse_if_reassigned(order, self.request)
        return order

    def perform_create(self, serializer):
        serializer.instance = services.work_order_create(reporter=self.request.user, **serializer.validated_data)

    def perform_update(self, serializer):
        services.ensure_editable(serializer.instance)
        serializer.save()

    def _transition(self, request, to_status: str, body_class=TransitionSerializer):
        order = self.get_object()
        body = body_class(data=request.data, context={"order": order})
        body.is_valid(raise_exception=True)
        order = services.work_order_transition(order=order, to_status=to_status, by=request.user, **body.validated_data)
        return Response(WorkOrderSerializer(order, context=self.get_serializer_context()).data)

    @extend_schema(request=AssignSerializer, responses=WorkOrderSerializer)
    @action(detail=True, methods=["post"])
    def assign(self, request, pk=None):
        return self._transition(request, S.ASSIGNED, AssignSerializer)

    @extend_schema(request=TransitionSerializer, responses=WorkOrderSerializer)
    @action(detail=True, methods=["post"])
    def start(self, request, pk=None):
        return self._transition(request, S.IN_PROGRESS)

    @extend_schema(request=TransitionSerializer, responses=WorkOrderSerializer)
    @action(detail=True, methods=["post"])
    def hold(self, request, pk=None):
        return self._transition(request, S.ON_HOLD)

    @extend_schema(request=FinishSerializer, responses=WorkOrderSerializer)
    @action(detail=True, methods=["post"])
    def finish(self, request, pk=None):
        return self._transition(request, S.DONE, FinishSerializer)

    @extend_schema(request=TransitionSerializer, responses=WorkOrderSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        return self._transition(request, S.CANCELLED)

    @extend_schema(request=TransitionSerializer, responses=WorkOrderSerializer)
    @action(detail=True, methods=["post"], permission_classes=[MayReopen])
    def reopen(self, request, pk=None):
        """A finished order back to open, with the reason in `note`: for the agency's dispatchers (managers,
        administrators, whoever is on duty), not for the technician who finished it."""
        return self._transition(request, S.OPEN)

    @extend_schema(request=ChecklistAddSerializer, responses={201: ChecklistItemSerializer})
    @action(detail=True, methods=["post"], url_path="checklist")
    def checklist_add(self, request, pk=None):
        body = ChecklistAddSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        item = services.checklist_add(order=self.get_object(), text=body.validated_data["text"])
        return Response(ChecklistItemSerializer(item).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ChecklistTickSerializer, responses=ChecklistItemSerializer)
    @action(detail=True, methods=["post"], url_path=r"checklist/(?P<item_id>\d+)/tick")
    def checklist_tick(self, request, pk=None, item_id=None):
        order = self.get_object()
        body = ChecklistTickSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        item = get_object_or_404(order.checklist, pk=item_id)
        item = services.checklist_tick(item=item, by=request.user, done=body.validated_data["done"])
        return Response(ChecklistItemSerializer(item).data)

    @extend_schema(methods=["GET"], responses=WorkLogSerializer(many=True))
    @extend_schema(methods=["POST"], request=WorkLogSerializer, responses={201: WorkLogSerializer})
    @action(detail=True, methods=["get", "post"], pagination_class=None, filter_backends=[])
    def logs(self, request, pk=None):
        order = self.get_object()
        if request.method == "GET":
            return Response(WorkLogSerializer(order.logs.select_related("technician"), many=True).data)
        body = WorkLogSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        log = services.work_log_add(order=order, technician=request.user, **body.validated_data)
        return Response(WorkLogSerializer(log).data, status=status.HTTP_201_CREATED)

    @extend_schema(methods=["GET"], responses=PartLineSerializer(many=True))
    @extend_schema(methods=["POST"], request=PartLineSerializer, responses={201: PartLineSerializer})
    @action(detail=True, methods=["get", "post"], pagination_class=None, filter_backends=[])
    def parts(self, request, pk=None):
        order = self.get_object()
        if request.method == "GET":
            return Response(PartLineSerializer(order.parts.all(), many=True).data)
        body = PartLineSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        part = services.part_add(order=order, **body.validated_data)
        return Response(PartLineSerializer(part).data, status=status.HTTP_201_CREATED)

    @extend_schema(methods=["GET"], responses=AttachmentSerializer(many=True))
    @extend_schema(
        methods=["POST"], request={"multipart/form-data": AttachmentSerializer}, responses={201: AttachmentSerializer}
    )
    @action(detail=True, methods=["get", "post"], pagination_class=None, filter_backends=[])
    def attachments(self, request, pk=None):
        order = self.get_object()
        if request.method == "GET":
            return Response(AttachmentSerializer(order.attachments.all(), many=True, context={"request": request}).data)
        body = AttachmentSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        attachment = services.attachment_add(
            order=order,
            upload=body.validated_data["file"],
            by=request.user,
            caption=body.validated_data.get("caption", ""),
        )
        return Response(
            AttachmentSerializer(attachment, context={"request": request}).data, status=status.HTTP_201_CREATED
        )


class PreventivePlanViewSet(ScopedModelViewSet):
    queryset = PreventivePlan.objects.select_related("agency")
    serializer_class = PreventivePlanSerializer
    filterset_class = PreventivePlanFilter
    ordering_fields = ["title", "starts_on"]


class WebhookEndpointViewSet(ScopedQuerysetMixin, viewsets.ModelViewSet):
    queryset = WebhookEndpoint.objects.select_related("agency")
    serializer_class = WebhookEndpointSerializer
    filterset_fields = ["active"]
    ordering_fields = ["id"]


class CalendarFeedViewSet(ScopedQuerysetMixin, viewsets.ModelViewSet):
    """Secret calendar URLs: create one to get its address, delete it to revoke it."""

    queryset = CalendarFeed.objects.select_related("agency")
    serializer_class = CalendarFeedSerializer
    filterset_fields = []
    ordering_fields = ["created_at"]
    http_method_names = ["get", "post", "delete", "head", "options"]


class MetricsView(ExportMixin, APIView):
    """MTTR, MTBF, preventive compliance, open/overdue counts and cost, per asset, agency or kind and month;
    `?format=csv` or `xlsx`."""

    exports = {"get": FILE_RENDERERS}
    export_name = "kinerja-pemeliharaan"
    export_columns = columns.METRICS_COLUMNS

    @extend_schema(parameters=[MetricsQuerySerializer], responses=MetricsSerializer)
    def get(self, request):
        query = MetricsQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        month = query.validated_data.get("month") or timezone.localdate().replace(day=1)
        start, end = month_bounds(month)
        orders = scope(WorkOrder.objects.all(), request.user)
        assets = scope(Asset.objects.all(), request.user)
        if code := query.validated_data.get("agency"):
            orders, assets = orders.filter(agency__code=code), assets.filter(agency__code=code)
        rows = maintenance_metrics(orders, assets, start=start, end=end, group_by=query.validated_data["group_by"])
        body = {"month": month, "group_by": query.validated_data["group_by"], "results": rows}
        return Response(MetricsSerializer(body).data)


def calendar_feed(request, token: str):
    """The iCalendar feed: the secret token in the URL is the credential (phone calendars cannot log in)."""
    feed = CalendarFeed.objects.select_related("agency").filter(token=token).first()
    if feed is None:
        raise Http404
    response = HttpResponse(agency_calendar(feed.agency), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="simpul-{feed.agency.code}.ics"'
    return response
