from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from rest_framework import serializers

from assets.models import Agency
from maintenance.models import (
    Attachment,
    CalendarFeed,
    ChecklistItem,
    PartLine,
    PreventivePlan,
    WebhookEndpoint,
    WorkLog,
    WorkOrder,
)
from maintenance.transitions import ACTIVE, allowed_next
from simpul.api import CurrentUserAgency, ScopedSerializer
from simpul.months import MonthField

User = get_user_model()


class AgencyCodeField(serializers.SlugRelatedField):
    def __init__(self, **kwargs):
        super().__init__(slug_field="code", queryset=Agency.objects.all(), default=CurrentUserAgency(), **kwargs)


class ChecklistItemSerializer(serializers.ModelSerializer):
    done_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = ChecklistItem
        fields = ["id", "position", "text", "done", "done_by", "done_at"]
        read_only_fields = ["position", "done", "done_at"]


class WorkOrderSerializer(ScopedSerializer):
    """Status, reporter and assignee change only through the transition actions, never by a plain write."""

    agency = AgencyCodeField()
    reporter = serializers.SlugRelatedField(slug_field="username", read_only=True)
    assignee = serializers.SlugRelatedField(slug_field="username", read_only=True)
    checklist = ChecklistItemSerializer(many=True, read_only=True)
    overdue = serializers.SerializerMethodField()
    allowed_next = serializers.SerializerMethodField()

    class Meta:
        model = WorkOrder
        fields = [
            "id",
            "agency",
            "asset",
            "site",
            "kind",
            "priority",
            "title",
            "description",
            "status",
            "allowed_next",
            "reporter",
            "assignee",
            "due_date",
            "overdue",
            "resolution",
            "plan",
            "outages",
            "recovered_at",
            "created_at",
            "updated_at",
            "started_at",
            "done_at",
            "checklist",
        ]
        read_only_fields = [
            "status",
            "resolution",
            "plan",
            "outages",
            "recovered_at",
            "created_at",
            "updated_at",
            "started_at",
            "done_at",
        ]

    def get_overdue(self, order) -> bool:
        return bool(order.due_date and order.status in ACTIVE and order.due_date < timezone.localdate())

    def get_allowed_next(self, order) -> list[str]:
        return allowed_next(order.status)


class TransitionSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")
    resolution = serializers.CharField(required=False, allow_blank=True, default="")
    assignee = serializers.SlugRelatedField(slug_field="username", queryset=User.objects.all(), required=False)
    asset_status = serializers.CharField(required=False)


class WorkLogSerializer(serializers.ModelSerializer):
    technician = serializers.SlugRelatedField(slug_field="username", read_only=True)
    hours = serializers.DecimalField(max_digits=6, decimal_places=2, required=False, min_value=0, max_value=1000)

    class Meta:
        model = WorkLog
        fields = ["id", "technician", "started_at", "ended_at", "hours", "description", "created_at"]
        read_only_fields = ["created_at"]


class PartLineSerializer(serializers.ModelSerializer):
    total_idr = serializers.IntegerField(read_only=True)

    class Meta:
        model = PartLine
        fields = ["id", "name", "quantity", "unit_cost_idr", "total_idr"]


class AttachmentSerializer(serializers.ModelSerializer):
    uploaded_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = Attachment
        fields = ["id", "file", "caption", "content_type", "size", "uploaded_by", "uploaded_at"]
        read_only_fields = ["content_type", "size", "uploaded_at"]


class ChecklistAddSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=200)


class ChecklistTickSerializer(serializers.Serializer):
    done = serializers.BooleanField(default=True)


class PreventivePlanSerializer(ScopedSerializer):
    agency = AgencyCodeField()

    class Meta:
        model = PreventivePlan
        fields = [
            "id",
            "agency",
            "title",
            "asset",
            "asset_kind",
            "every",
            "unit",
            "day_of_month",
            "starts_on",
            "lead_days",
            "checklist",
            "priority",
            "active",
        ]


class WebhookEndpointSerializer(ScopedSerializer):
    """The secret is write-only: it can be set or replaced, never read back."""

    agency = AgencyCodeField()
    secret = serializers.CharField(write_only=True, min_length=16, max_length=200)

    class Meta:
        model = WebhookEndpoint
        fields = ["id", "agency", "url", "secret", "events", "active"]


class CalendarFeedSerializer(ScopedSerializer):
    agency = AgencyCodeField()
    url = serializers.SerializerMethodField()

    class Meta:
        model = CalendarFeed
        fields = ["id", "agency", "url", "created_at"]
        read_only_fields = ["created_at"]

    def get_url(self, feed) -> str:
        return self.context["request"].build_absolute_uri(reverse("maintenance-calendar", args=[feed.token]))


class MetricsQuerySerializer(serializers.Serializer):
    month = MonthField(required=False, help_text="YYYY-MM (WITA); default: the current month")
    group_by = serializers.ChoiceField(choices=["asset", "agency", "kind"], default="agency")
    agency = serializers.CharField(required=False)
