from datetime import datetime, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.scoping import may_write_agency, scope, visible_agencies
from assets.choices import AssetKind
from assets.models import Agency, Asset
from monitoring.asset_status import Reason
from monitoring.availability import GROUPS
from monitoring.choices import State
from monitoring.intervals import elapsed_s
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
from simpul.api import CurrentUserAgency, ModelCleanSerializer, ScopedSerializer, StrictJSONMixin
from simpul.moments import MomentField
from simpul.months import MonthField, month_bounds

NUMERIC_OID = r"^\.*[0-9]+(\.[0-9]+)+\.*$"  # what monitoring.models reads as a numeric OID
IF_INDEX_MAX = 2**31 - 1  # SNMP's InterfaceIndex

# A phone's clock may run a little ahead of the server's; a roll call further in the future is a typo.
CLOCK_SKEW = timedelta(minutes=5)


class AssetStateSerializer(serializers.ModelSerializer):
    asset = serializers.IntegerField(source="asset_id", read_only=True)
    asset_name = serializers.CharField(source="asset.name", read_only=True)
    kind = serializers.ChoiceField(source="asset.kind", choices=AssetKind.choices, read_only=True)
    agency = serializers.CharField(source="asset.agency.code", read_only=True)
    site = serializers.IntegerField(source="asset.site_id", read_only=True, allow_null=True)
    # Shown as every page shows it: unknown while the remote poller that polls the asset is silent.
    state = serializers.ChoiceField(source="shown_state", choices=State.choices, read_only=True)
    poller_silent = serializers.BooleanField(
        read_only=True, help_text="The remote poller of this asset is silent: its last state says nothing now."
    )
    reason = serializers.SerializerMethodField()

    class Meta:
        model = AssetState
        fields = [
            "asset",
            "asset_name",
            "kind",
            "agency",
            "site",
            "state",
            "poller_silent",
            "since",
            "reason",
            "caused_by",
            "last_polled_at",
            "last_rtt_ms",
            "last_loss",
            "sys_name",
        ]
        read_only_fields = fields

    def get_reason(self, state: AssetState) -> str:
        return str(Reason.POLLER_SILENT.label) if state.poller_silent else state.reason


class OutageSerializer(serializers.ModelSerializer):
    asset_name = serializers.CharField(source="asset.name", read_only=True)
    agency = serializers.CharField(source="asset.agency.code", read_only=True)
    duration_s = serializers.SerializerMethodField(help_text="Seconds down; an open outage counts up to now.")

    class Meta:
        model = Outage
        fields = ["id", "asset", "asset_name", "agency", "started_at", "ended_at", "duration_s", "cause", "took_down"]
        read_only_fields = fields

    def get_duration_s(self, outage: Outage) -> float:
        return elapsed_s(outage.started_at, outage.ended_at or timezone.now())


class SampleSerializer(serializers.ModelSerializer):
    """One result of monitoring.history (a `Result`, recent or unpacked from an hour block), as a `Sample` reads."""

    class Meta:
        model = Sample
        fields = ["at", "source", "verdict", "rtt_ms", "rtt_max_ms", "loss", "reason"]
        read_only_fields = fields


class HourlyRollupSerializer(serializers.ModelSerializer):
    class Meta:
        model = HourlyRollup
        fields = ["hour", "samples", "up", "rtt_avg_ms", "rtt_max_ms", "loss_avg"]
        read_only_fields = fields


class EventSerializer(serializers.ModelSerializer):
    asset_name = serializers.CharField(source="asset.name", read_only=True)
    agency = serializers.CharField(source="asset.agency.code", read_only=True)

    class Meta:
        model = Event
        fields = ["id", "asset", "asset_name", "agency", "at", "kind", "detail"]
        read_only_fields = fields


@extend_schema_field(OpenApiTypes.BOOL)
class SecretIsSetField(serializers.ReadOnlyField):
    """Whether a write-only secret holds a value: the value itself never leaves the server."""

    def to_representation(self, value) -> bool:
        return bool(value)


def _secret(help_text: str) -> serializers.CharField:
    return serializers.CharField(
        write_only=True,
        required=False,
        allow_blank=True,
        max_length=256,
        style={"input_type": "password"},
        help_text=f"{help_text} Write-only; an empty string clears it, leaving it out keeps it.",
    )


class ProbeConfigSerializer(ScopedSerializer):
    asset = serializers.PrimaryKeyRelatedField(
        queryset=Asset.objects.all(), help_text="The asset probed; also the key of this resource."
    )
    agency = serializers.CharField(source="asset.agency.code", read_only=True)
    snmp_community = _secret("SNMP v2c community.")
    snmp_auth_key = _secret("SNMP v3 authentication key.")
    snmp_priv_key = _secret("SNMP v3 privacy key.")
    if_indexes = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=IF_INDEX_MAX),
        required=False,
        help_text="ifIndex watched.",
    )
    snmp_community_set = SecretIsSetField(source="snmp_community")
    snmp_auth_key_set = SecretIsSetField(source="snmp_auth_key")
    snmp_priv_key_set = SecretIsSetField(source="snmp_priv_key")

    class Meta:
        model = ProbeConfig
        fields = [
            "asset",
            "agency",
            "enabled",
            "icmp",
            "snmp",
            "interval_s",
            "depends_on",
            "snmp_version",
            "snmp_port",
            "snmp_community",
            "snmp_community_set",
            "snmp_username",
            "snmp_auth_protocol",
            "snmp_auth_key",
            "snmp_auth_key_set",
            "snmp_priv_protocol",
            "snmp_priv_key",
            "snmp_priv_key_set",
            "if_indexes",
        ]

    def validate_asset(self, asset: Asset) -> Asset:
        # The asset is the primary key: "moving" a config would save a second row, not move this one.
        if self.instance is not None and asset.pk != self.instance.asset_id:
            raise serializers.ValidationError(_("Konfigurasi probe tidak bisa dipindah ke aset lain."))
        if not may_write_agency(self.context["request"].user, asset.agency_id):
            raise serializers.ValidationError(
                _("Anda tidak berhak menulis data instansi %(code)s.") % {"code": asset.agency.code}
            )
        return asset


class KindPolicySerializer(ModelCleanSerializer):
    extra_oids = serializers.DictField(
        child=serializers.RegexField(NUMERIC_OID),
        required=False,
        help_text='Label to numeric OID, e.g. {"snr": "1.3.6.1.4.1.x.y.0"}.',
    )

    class Meta:
        model = KindPolicy
        fields = ["kind", "interval_s", "confirm_count", "loss_degraded", "rtt_degraded_ms", "extra_oids"]


class MaintenanceWindowSerializer(ScopedSerializer):
    agency = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Agency.objects.all(),
        default=CurrentUserAgency(),
        help_text="Region code of the owning agency; defaults to the user's own.",
    )
    created_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)

    class Meta:
        model = MaintenanceWindow
        fields = ["id", "agency", "site", "asset", "starts_at", "ends_at", "reason", "created_by"]

    def validate(self, attrs):
        # The database constraint would report this without a field; the user needs to know which one.
        starts_at = attrs.get("starts_at", getattr(self.instance, "starts_at", None))
        ends_at = attrs.get("ends_at", getattr(self.instance, "ends_at", None))
        if starts_at and ends_at and ends_at <= starts_at:
            raise serializers.ValidationError({"ends_at": _("Harus setelah waktu mulai.")})
        return super().validate(attrs)


class RadioCheckEntrySerializer(StrictJSONMixin, serializers.ModelSerializer):
    asset_name = serializers.CharField(source="asset.name", read_only=True)

    class Meta:
        model = RadioCheckEntry
        fields = ["asset", "asset_name", "answered", "readability", "signal"]

    def get_fields(self):
        # Nested, so ScopedSerializer does not reach this field: another agency's radio "does not exist".
        fields = super().get_fields()
        request = self.context.get("request")
        if request is not None:
            fields["asset"].queryset = scope(Asset.objects.all(), request.user)
        return fields

    def validate(self, attrs):
        if not attrs["answered"]:
            for field in ("readability", "signal"):
                if attrs.get(field) is not None:
                    raise serializers.ValidationError({field: _("Hanya untuk stasiun yang menjawab.")})
        return attrs


class RadioCheckSerializer(ScopedSerializer):
    agency = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Agency.objects.all(),
        default=CurrentUserAgency(),
        help_text="Region code of the agency holding the roll call; defaults to the user's own.",
    )
    held_at = serializers.DateTimeField(default=timezone.now, help_text="When the roll call was held; default now.")
    operator = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    entries = RadioCheckEntrySerializer(many=True, allow_empty=False)

    class Meta:
        model = RadioCheck
        fields = ["id", "agency", "held_at", "net", "operator", "notes", "entries"]

    def validate_held_at(self, value: datetime) -> datetime:
        if value > timezone.now() + CLOCK_SKEW:
            raise serializers.ValidationError(_("Waktu apel di masa depan."))
        return value

    def validate(self, attrs):
        # The model's full_clean() knows nothing of entries; they are checked above and by the service.
        entries = attrs.pop("entries")
        return {**super().validate(attrs), "entries": entries}


WINDOWS = {"24h": timedelta(hours=24), "7d": timedelta(days=7), "30d": timedelta(days=30)}


class AvailabilityQuerySerializer(serializers.Serializer):
    """The query of /availability/: one of `window`, `month` or `from`+`to` (default: the last 24 hours)."""

    window = serializers.ChoiceField(choices=list(WINDOWS), required=False, help_text="The last 24h, 7d or 30d.")
    month = MonthField(required=False, help_text="A calendar month in WITA, YYYY-MM.")
    from_ = MomentField(required=False, help_text="Start (inclusive), ISO 8601; needs `to`.")
    to = MomentField(required=False, help_text="End (exclusive), ISO 8601; needs `from`.")
    group_by = serializers.ChoiceField(choices=list(GROUPS), default="agency")
    agency = serializers.CharField(required=False, help_text="Only this agency (region code), not those under it.")
    kind = serializers.MultipleChoiceField(choices=AssetKind.choices, required=False)

    def get_fields(self):
        # `from` is a Python keyword, so it is declared as `from_` and renamed here.
        return {("from" if name == "from_" else name): field for name, field in super().get_fields().items()}

    def validate_agency(self, value: str) -> Agency:
        agency = visible_agencies(self.context["request"].user).filter(code=value).first()
        if agency is None:
            raise serializers.ValidationError(_("Instansi %(code)s tidak dikenal.") % {"code": value})
        return agency

    def validate(self, attrs):
        if ("from" in attrs) != ("to" in attrs):
            missing = "to" if "from" in attrs else "from"
            raise serializers.ValidationError({missing: _("`from` dan `to` diisi berdua.")})
        given = [name for name in ("window", "month", "from") if name in attrs]
        if len(given) > 1:
            raise serializers.ValidationError({given[1]: _("Pilih salah satu: window, month, atau from/to.")})
        now = timezone.now()
        if "month" in attrs:
            start, end = month_bounds(attrs["month"])
        elif "from" in attrs:
            start, end = attrs["from"], attrs["to"]
            if end <= start:
                raise serializers.ValidationError({"to": _("Harus setelah `from`.")})
        else:
            start, end = now - WINDOWS[attrs.get("window", "24h")], now
        return {
            "start": start,
            "end": max(start, min(end, now)),  # the future has no availability yet: the window stops at now
            "group_by": attrs["group_by"],
            "agency": attrs.get("agency"),
            "kind": attrs.get("kind") or set(),
        }


@extend_schema_field({"oneOf": [{"type": "integer"}, {"type": "string"}], "nullable": True})
class GroupKeyField(serializers.ReadOnlyField):
    """An id for assets and sites, a string for agencies and kinds: the schema says both."""


class AvailabilityRowSerializer(serializers.Serializer):
    key = GroupKeyField(help_text="Asset or site id, agency code, or asset kind, after `group_by`.")
    label = serializers.CharField(allow_null=True)
    assets = serializers.IntegerField()
    monitored_s = serializers.FloatField(help_text="Seconds watched, outside maintenance windows.")
    down_s = serializers.FloatField(help_text="Seconds in outages, outside maintenance windows.")
    outages = serializers.IntegerField()
    availability = serializers.FloatField(allow_null=True, help_text="1 - down_s / monitored_s; null if unwatched.")


class AvailabilitySerializer(serializers.Serializer):
    start = serializers.DateTimeField()
    end = serializers.DateTimeField(help_text="The requested end, or now if that is earlier.")
    group_by = serializers.ChoiceField(choices=list(GROUPS))
    results = AvailabilityRowSerializer(many=True)
