from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from assets.choices import AssetStatus
from assets.models import Agency
from maintenance.choices import NotificationEvent
from maintenance.dispatch import assignable_technicians
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
from simpul.api import CurrentUserAgency, ScopedSerializer, StrictJSONMixin
from simpul.months import MonthField

User = get_user_model()


class AgencyCodeField(serializers.SlugRelatedField):
    def __init__(self, **kwargs):
        super().__init__(slug_field="code", queryset=Agency.objects.all(), default=CurrentUserAgency(), **kwargs)


class ChecklistItemSerializer(serializers.ModelSerializer):
    done_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)

    class Meta:
        model = ChecklistItem
        fields = ["id", "position", "text", "done", "done_by", "done_at", "skip_reason"]
        read_only_fields = ["position", "done", "done_at", "skip_reason"]


class WorkOrderSerializer(ScopedSerializer):
    """Status, reporter and assignee change only through the transition actions, never by a plain write."""

    agency = AgencyCodeField()
    reporter = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    assignee = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    checklist = ChecklistItemSerializer(many=True, read_only=True)
    overdue = serializers.SerializerMethodField()
    allowed_next = serializers.SerializerMethodField()
    with_exceptions = serializers.SerializerMethodField(
        help_text="Done with checklist items left undone (each with its reason)."
    )

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
            "with_exceptions",
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

    def get_with_exceptions(self, order) -> bool:
        return order.done_with_exceptions


class TransitionSerializer(StrictJSONMixin, serializers.Serializer):
    """The body of a transition (start, hold, cancel, reopen): a note for the log, which reopening a done
    order requires."""

    note = serializers.CharField(required=False, allow_blank=True, default="")


class AssignSerializer(TransitionSerializer):
    assignee = serializers.SlugRelatedField(
        slug_field="username",
        queryset=User.objects.none(),
        help_text="Username of an active technician of the order's agency.",
    )

    def get_fields(self):
        # Only who may take the order (context["order"]): any other username, of another agency or of
        # nobody, is the same "does not exist", so the answer never tells whether an account exists.
        fields = super().get_fields()
        if (order := self.context.get("order")) is not None:
            fields["assignee"].queryset = assignable_technicians(order.agency_id)
        return fields


class SkippedItemSerializer(StrictJSONMixin, serializers.Serializer):
    item = serializers.IntegerField(help_text="Id of a checklist item left unticked.")
    reason = serializers.CharField(max_length=300, help_text="Why it could not be done.")


class FinishSerializer(TransitionSerializer):
    resolution = serializers.CharField(help_text="What was done.")
    asset_status = serializers.ChoiceField(
        choices=AssetStatus.choices, required=False, help_text="The asset's status from now on, e.g. in_service."
    )
    skipped = SkippedItemSerializer(
        many=True, required=False, help_text="A reason for every checklist item left unticked (else 400)."
    )

    def validate(self, attrs):
        attrs["skipped"] = {entry["item"]: entry["reason"] for entry in attrs.get("skipped", [])}
        return attrs


class WorkLogSerializer(StrictJSONMixin, serializers.ModelSerializer):
    technician = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    hours = serializers.DecimalField(max_digits=6, decimal_places=2, required=False, min_value=0, max_value=1000)

    class Meta:
        model = WorkLog
        fields = ["id", "technician", "started_at", "ended_at", "hours", "description", "created_at"]
        read_only_fields = ["created_at"]


class PartLineSerializer(StrictJSONMixin, serializers.ModelSerializer):
    total_idr = serializers.IntegerField(read_only=True)

    class Meta:
        model = PartLine
        fields = ["id", "name", "quantity", "unit_cost_idr", "total_idr"]


class AttachmentSerializer(serializers.ModelSerializer):
    """A photo goes in as `file`; it comes out as `url` and `thumbnail_url`, scoped views that need a login or token."""

    file = serializers.FileField(write_only=True)
    url = serializers.SerializerMethodField()
    thumbnail_url = serializers.SerializerMethodField()
    uploaded_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)

    class Meta:
        model = Attachment
        fields = [
            "id",
            "file",
            "url",
            "thumbnail_url",
            "original_name",
            "caption",
            "content_type",
            "size",
            "uploaded_by",
            "uploaded_at",
        ]
        read_only_fields = ["original_name", "content_type", "size", "uploaded_at"]

    def _absolute(self, name: str, attachment) -> str:
        return self.context["request"].build_absolute_uri(reverse(name, args=[attachment.pk]))

    def get_url(self, attachment) -> str:
        return self._absolute("maintenance-attachment", attachment)

    def get_thumbnail_url(self, attachment) -> str:
        return self._absolute("maintenance-attachment-thumb", attachment)


class ChecklistAddSerializer(StrictJSONMixin, serializers.Serializer):
    text = serializers.CharField(max_length=200)


class ChecklistTickSerializer(StrictJSONMixin, serializers.Serializer):
    done = serializers.BooleanField(default=True)


class PreventivePlanSerializer(ScopedSerializer):
    agency = AgencyCodeField()
    checklist = serializers.ListField(
        child=serializers.CharField(max_length=200), required=False, help_text="Checklist items of each order."
    )

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
    events = serializers.ListField(
        child=serializers.ChoiceField(choices=NotificationEvent.choices),
        required=False,
        help_text="Empty: every event.",
    )

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


@extend_schema_field({"oneOf": [{"type": "integer"}, {"type": "string"}], "nullable": True})
class GroupKeyField(serializers.ReadOnlyField):
    """An asset id, an agency code or an asset kind, after `group_by`."""


class MetricsRowSerializer(serializers.Serializer):
    key = GroupKeyField()
    mttr_s = serializers.FloatField(allow_null=True, help_text="Mean time to repair, seconds.")
    mtbf_s = serializers.FloatField(allow_null=True, help_text="Mean time between failures, seconds.")
    pm_due = serializers.IntegerField()
    pm_on_time = serializers.IntegerField(help_text="Preventive orders done by their due date, every item ticked.")
    pm_with_exceptions = serializers.IntegerField(
        help_text="Preventive orders done with checklist items left undone (each with its reason): not compliant."
    )
    pm_compliance = serializers.FloatField(allow_null=True)
    open = serializers.IntegerField()
    overdue = serializers.IntegerField()
    cost_idr = serializers.IntegerField()
    repairs = serializers.IntegerField()
    outages = serializers.IntegerField()


class MetricsSerializer(serializers.Serializer):
    month = MonthField()
    group_by = serializers.ChoiceField(choices=["asset", "agency", "kind"])
    results = MetricsRowSerializer(many=True)
