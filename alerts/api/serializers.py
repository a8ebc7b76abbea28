from django.conf import settings
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.models import User
from accounts.scoping import may_write_agency
from alerts.models import (
    RULE_KINDS,
    Alert,
    AlertContact,
    AlertEvent,
    AlertRule,
    Channel,
    DutyAssignment,
    DutyShift,
)
from assets.choices import AssetKind
from maintenance.api.serializers import AgencyCodeField
from monitoring.api.serializers import SecretIsSetField
from simpul.api import ScopedSerializer


@extend_schema_field({"type": "string", "pattern": r"^\d{2}:\d{2}$", "example": "08:00"})
class WitaTimeField(serializers.TimeField):
    """A clock time in WITA, "16:00": no date, no offset (JSON Schema's "time" would demand one)."""

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", input_formats=["%H:%M", "%H:%M:%S"], **kwargs)


class AlertSerializer(serializers.ModelSerializer):
    agency = serializers.CharField(source="agency.code", read_only=True)
    asset_name = serializers.CharField(source="asset.name", read_only=True, allow_null=True, default=None)
    acknowledged_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)

    class Meta:
        model = Alert
        fields = [
            "id",
            "agency",
            "asset",
            "asset_name",
            "channel",
            "kind",
            "state",
            "severity",
            "summary",
            "started_at",
            "notify_at",
            "notified_at",
            "tier",
            "escalate_at",
            "acknowledged_at",
            "acknowledged_by",
            "acknowledged_via",
            "resolved_at",
            "affected_count",
        ]
        read_only_fields = fields


class AlertEventSerializer(serializers.ModelSerializer):
    user = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    channel = serializers.SlugRelatedField(slug_field="name", read_only=True, allow_null=True)

    class Meta:
        model = AlertEvent
        fields = ["at", "kind", "user", "channel", "detail"]
        read_only_fields = fields


class AlertRuleSerializer(ScopedSerializer):
    agency = AgencyCodeField()
    asset_kinds = serializers.ListField(child=serializers.ChoiceField(choices=AssetKind.choices), required=False)
    kinds = serializers.ListField(child=serializers.ChoiceField(choices=RULE_KINDS), allow_empty=False)
    quiet_start = WitaTimeField(required=False, allow_null=True)
    quiet_end = WitaTimeField(required=False, allow_null=True)

    class Meta:
        model = AlertRule
        fields = [
            "id",
            "agency",
            "name",
            "include_children",
            "asset_kinds",
            "kinds",
            "severity",
            "delay_minutes",
            "quiet_start",
            "quiet_end",
            "escalate_after_minutes",
            "active",
        ]


class DutyShiftSerializer(ScopedSerializer):
    agency = AgencyCodeField()
    starts = WitaTimeField()
    ends = WitaTimeField()

    class Meta:
        model = DutyShift
        fields = ["id", "agency", "name", "starts", "ends"]


def _writable(request, agency_id: int, code: str) -> None:
    if not may_write_agency(request.user, agency_id):
        raise serializers.ValidationError(_("Anda tidak berhak menulis data instansi %(code)s.") % {"code": code})


class DutyAssignmentSerializer(ScopedSerializer):
    user = serializers.SlugRelatedField(slug_field="username", queryset=User.objects.all())
    planned_user = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    agency = serializers.CharField(source="shift.agency.code", read_only=True)

    class Meta:
        model = DutyAssignment
        fields = ["id", "agency", "shift", "date", "user", "planned_user"]

    def validate_shift(self, shift: DutyShift) -> DutyShift:
        _writable(self.context["request"], shift.agency_id, shift.agency.code)
        return shift


class SwapSerializer(serializers.Serializer):
    user = serializers.SlugRelatedField(slug_field="username", queryset=User.objects.all())

    def get_fields(self):
        fields = super().get_fields()
        assignment = self.context.get("assignment")
        if assignment is not None:  # a colleague of the same agency (the schema is built without one)
            fields["user"].queryset = assignment.shift.agency.users.filter(is_active=True)
        return fields


class ChannelSerializer(ScopedSerializer):
    """The secret (bot token, gateway API key) is write-only: `secret_set` says whether one is set."""

    agency = AgencyCodeField()
    secret = serializers.CharField(
        write_only=True,
        required=False,
        allow_blank=True,
        max_length=500,
        style={"input_type": "password"},
        help_text="Bot token or gateway API key. Write-only; an empty string clears it, leaving it out keeps it.",
    )
    secret_set = SecretIsSetField(source="secret")

    class Meta:
        model = Channel
        fields = [
            "id",
            "agency",
            "name",
            "kind",
            "active",
            "url",
            "method",
            "headers",
            "body",
            "body_encoding",
            "success_contains",
            "secret",
            "secret_set",
            "failing_since",
            "last_error",
        ]
        read_only_fields = ["failing_since", "last_error"]


class AlertContactSerializer(ScopedSerializer):
    user = serializers.SlugRelatedField(slug_field="username", queryset=User.objects.all())
    language = serializers.ChoiceField(
        choices=settings.LANGUAGES,
        required=False,
        help_text="The person's language (their profile's, as the EN/ID switch sets it): pages and alerts.",
    )

    class Meta:
        model = AlertContact
        fields = ["id", "user", "phone", "telegram_chat_id", "language"]

    def validate_user(self, user: User) -> User:
        if self.instance is not None and user.pk != self.instance.user_id:
            raise serializers.ValidationError(_("Kontak tidak bisa dipindah ke pengguna lain."))
        _writable(self.context["request"], user.agency_id, user.agency.code if user.agency else "-")
        return user

    def validate(self, attrs):
        # The language lives on the person's profile, not on the contact: AlertContactViewSet keeps it there.
        language = attrs.pop("language", None)
        attrs = super().validate(attrs)
        return {**attrs, "language": language} if language else attrs
