from datetime import date

from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from assets.choices import AssetKind, LapseKind, LicenceStatus
from assets.expiries import EXPIRY_WINDOWS_DAYS
from assets.models import (
    Agency,
    Asset,
    Partner,
    RadioLicence,
    Site,
    StandardItem,
    frequency_offset,
    licence_status,
    transmits_past_licence,
)
from assets.readiness import agency_readiness
from simpul.api import CurrentUserAgency, ModelCleanSerializer, ScopedSerializer

READINESS_FIELDS = [
    "own_building",
    "radio_room_length_m",
    "radio_room_width_m",
    "operators_committed",
    "maintenance_committed",
]


class ReadinessSerializer(serializers.Serializer):
    ready = serializers.BooleanField(help_text="Meets every BNPB condition for Pusdalops equipment aid")
    missing = serializers.ListField(child=serializers.CharField(), help_text="Conditions not met or not stated")


class AgencySerializer(serializers.ModelSerializer):
    parent = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    readiness = serializers.SerializerMethodField()
    expired_licence_radios = serializers.IntegerField(
        read_only=True, help_text="Radios that may be on the air under a licence past its last day"
    )

    class Meta:
        model = Agency
        fields = [
            "id",
            "code",
            "name",
            "level",
            "parent",
            "pusdalops_decree_number",
            "pusdalops_decree_date",
            "phone",
            "email",
            "licence_renewal_lead_days",
            *READINESS_FIELDS,
            "readiness",
            "expired_licence_radios",
        ]

    @extend_schema_field(ReadinessSerializer)
    def get_readiness(self, agency: Agency) -> dict:
        readiness = agency_readiness(agency)
        return {"ready": readiness.ready, "missing": readiness.missing}


class AgencyProfileSerializer(ModelCleanSerializer):
    """What an agency states about itself: readiness for BNPB's aid, and its licence renewal lead time."""

    class Meta:
        model = Agency
        fields = ["licence_renewal_lead_days", *READINESS_FIELDS]


class PartnerSerializer(ModelCleanSerializer):
    class Meta:
        model = Partner
        fields = ["id", "name", "kind", "contact"]


class SiteSerializer(ScopedSerializer):
    agency = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Agency.objects.all(),
        default=CurrentUserAgency(),
        help_text="Region code of the owning agency; defaults to the user's own.",
    )

    class Meta:
        model = Site
        fields = [
            "id",
            "agency",
            "name",
            "kind",
            "latitude",
            "longitude",
            "elevation_m",
            "address",
            "power_source",
            "access_notes",
        ]


class AssetSerializer(ScopedSerializer):
    agency = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Agency.objects.all(),
        default=CurrentUserAgency(),
        help_text="Region code of the owning agency; defaults to the user's own.",
    )
    offset_mhz = serializers.DecimalField(max_digits=10, decimal_places=5, read_only=True, allow_null=True)
    licence_status = serializers.SerializerMethodField(help_text="State of the radio's licence today (WITA)")
    on_expired_licence = serializers.SerializerMethodField(
        help_text="May be on the air (in service or faulty) under a licence past its last day"
    )

    class Meta:
        model = Asset
        fields = [
            "id",
            "agency",
            "site",
            "kind",
            "name",
            "tag",
            "manufacturer",
            "model",
            "serial_number",
            "status",
            "condition",
            "acquisition_date",
            "cost_idr",
            "funding_source",
            "warranty_end",
            "support_end",
            "support_cost_idr",
            "end_of_life",
            "owner_partner",
            "management_address",
            "notes",
            "band",
            "tx_freq_mhz",
            "rx_freq_mhz",
            "offset_mhz",
            "tone",
            "power_w",
            "licence",
            "licence_status",
            "on_expired_licence",
            "provider",
            "medium",
            "down_mbps",
            "up_mbps",
            "circuit_id",
            "link_role",
            "sat_network",
            "terminal_id",
            "service_plan",
            "airtime_end",
            "monthly_cost_idr",
            "contract_end",
            "battery_due",
            "battery_cost_idr",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]

    @extend_schema_field(serializers.ChoiceField(choices=LicenceStatus.choices, allow_null=True))
    def get_licence_status(self, asset: Asset) -> str | None:
        return asset.licence.status_on(timezone.localdate()) if asset.licence else None

    def get_on_expired_licence(self, asset: Asset) -> bool:
        return asset.on_expired_licence(timezone.localdate())

    @staticmethod
    def row_readers(today: date) -> dict:
        """The fields that are no column, computed from columns as the methods above and the model compute them,
        for the list's rows (simpul.rows): per field, the columns read and the function of them."""
        licence = ("licence__valid_from", "licence__valid_until", "licence__agency__licence_renewal_lead_days")
        return {
            "offset_mhz": (("tx_freq_mhz", "rx_freq_mhz"), frequency_offset),
            "licence_status": (
                licence,
                lambda valid_from, valid_until, lead_days: (
                    None if valid_from is None else licence_status(valid_from, valid_until, lead_days, today)
                ),
            ),
            "on_expired_licence": (
                ("status", "licence__valid_until"),
                lambda status, valid_until: transmits_past_licence(status, valid_until, today),
            ),
        }


class RadioLicenceSerializer(ScopedSerializer):
    agency = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Agency.objects.all(),
        default=CurrentUserAgency(),
        help_text="Region code of the licensed agency; defaults to the user's own.",
    )
    frequencies_mhz = serializers.ListField(
        child=serializers.DecimalField(max_digits=10, decimal_places=5),
        help_text="Every frequency the licence allows, in MHz",
    )
    bandwidth_khz = serializers.DecimalField(
        max_digits=12, decimal_places=6, read_only=True, allow_null=True, help_text="From the emission designator"
    )
    renewal_due_on = serializers.DateField(
        read_only=True, help_text="File the renewal by this day: the agency's lead time before valid_until"
    )
    status = serializers.SerializerMethodField()
    assets = serializers.PrimaryKeyRelatedField(many=True, read_only=True, help_text="Radios that carry it")

    class Meta:
        model = RadioLicence
        fields = [
            "id",
            "agency",
            "number",
            "callsign",
            "holder",
            "frequencies_mhz",
            "emission",
            "bandwidth_khz",
            "power_w",
            "site",
            "location",
            "valid_from",
            "valid_until",
            "renewal_due_on",
            "status",
            "fee_due_date",
            "fee_amount_idr",
            "assets",
            "notes",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]

    def validate_frequencies_mhz(self, frequencies: list) -> list[str]:
        return [str(frequency) for frequency in frequencies]  # JSON holds no Decimal; the model normalises them

    @extend_schema_field(serializers.ChoiceField(choices=LicenceStatus.choices))
    def get_status(self, licence: RadioLicence) -> str:
        return licence.status_on(timezone.localdate())


class StandardItemSerializer(ModelCleanSerializer):
    class Meta:
        model = StandardItem
        fields = ["id", "level", "kind", "link_role", "required", "unit_cost_idr", "note"]


class GapQuerySerializer(serializers.Serializer):
    horizon_days = serializers.IntegerField(min_value=0, max_value=3650, default=180)
    agency = serializers.CharField(required=False, help_text="Region code; default: every agency you see")
    kind = serializers.ChoiceField(
        choices=AssetKind.choices, required=False, help_text="Only this asset kind (licences then drop out)"
    )


class ExpiryQuerySerializer(serializers.Serializer):
    days = serializers.ChoiceField(
        choices=EXPIRY_WINDOWS_DAYS, default=max(EXPIRY_WINDOWS_DAYS), help_text="Lapsing from today to today + days"
    )
    agency = serializers.CharField(required=False, help_text="Region code; default: every agency you see")


class ExpiryRowSerializer(serializers.Serializer):
    agency = serializers.CharField()
    agency_name = serializers.CharField()
    kind = serializers.ChoiceField(choices=LapseKind.choices)
    subject = serializers.CharField(help_text="Asset name or licence number")
    asset = serializers.IntegerField(allow_null=True)
    licence = serializers.IntegerField(allow_null=True)
    lapses_on = serializers.DateField(help_text="Last valid day (WITA)")
    days_left = serializers.IntegerField()
    act_by = serializers.DateField(help_text="Act by this day: for a licence, file its renewal")
    cost_idr = serializers.IntegerField(allow_null=True, help_text="Renewal or replacement cost, when known")


class ExpiryTotalSerializer(serializers.Serializer):
    agency = serializers.CharField()
    agency_name = serializers.CharField()
    within_30 = serializers.IntegerField()
    within_60 = serializers.IntegerField()
    within_90 = serializers.IntegerField()
    cost_idr = serializers.IntegerField(help_text="Known costs of the items listed")


class ExpiryReportSerializer(serializers.Serializer):
    today = serializers.DateField()
    until = serializers.DateField()
    results = ExpiryRowSerializer(many=True)
    totals = ExpiryTotalSerializer(many=True)


class GapRowSerializer(serializers.Serializer):
    agency = serializers.CharField()
    agency_name = serializers.CharField()
    kind = serializers.CharField()
    link_role = serializers.CharField()
    required = serializers.IntegerField()
    working = serializers.IntegerField()
    expiring = serializers.IntegerField()
    to_buy = serializers.IntegerField()
    unit_cost_idr = serializers.IntegerField(help_text="Per unit; for a subscription (internet link), per year")
    cost_idr = serializers.IntegerField(help_text="One-off: to buy")
    yearly_cost_idr = serializers.IntegerField(help_text="Per year: a subscription (internet link)")
    ready = serializers.BooleanField(help_text="The agency meets BNPB's conditions for equipment aid")
    readiness_missing = serializers.CharField(help_text="Conditions not met or not stated, separated by ;")


class RenewalRowSerializer(serializers.Serializer):
    agency = serializers.CharField()
    agency_name = serializers.CharField()
    kind = serializers.ChoiceField(choices=LapseKind.choices)
    subject = serializers.CharField()
    asset_kind = serializers.CharField(help_text="Kind of the asset it belongs to; empty for a licence")
    lapses_on = serializers.DateField()
    cost_idr = serializers.IntegerField(allow_null=True, help_text="One-off, when known")
    yearly_cost_idr = serializers.IntegerField(
        allow_null=True, help_text="A subscription's year (ISP, satellite contract or airtime), when known"
    )


class RestockRowSerializer(serializers.Serializer):
    agency = serializers.CharField()
    agency_name = serializers.CharField()
    item = serializers.CharField()
    site = serializers.CharField()
    kind = serializers.CharField(help_text="The asset kind it is a spare for; empty for a consumable")
    unit = serializers.CharField()
    quantity = serializers.DecimalField(max_digits=11, decimal_places=2)
    minimum = serializers.DecimalField(max_digits=11, decimal_places=2)
    shortfall = serializers.DecimalField(max_digits=11, decimal_places=2, help_text="Minimum less quantity")
    unit_cost_idr = serializers.IntegerField()
    cost_idr = serializers.IntegerField(help_text="One-off: back up to the minimum")


class GapTotalSerializer(serializers.Serializer):
    agency = serializers.CharField()
    agency_name = serializers.CharField()
    ready = serializers.BooleanField()
    readiness_missing = serializers.CharField()
    cost_idr = serializers.IntegerField(help_text="One-off: standard lines to buy, renewals and restocking")
    yearly_cost_idr = serializers.IntegerField(help_text="Per year: subscriptions")


class GapReportSerializer(serializers.Serializer):
    horizon = serializers.DateField()
    results = GapRowSerializer(many=True)
    renewals = RenewalRowSerializer(many=True)
    restock = RestockRowSerializer(many=True, help_text="Spare parts below their minimum")
    totals = GapTotalSerializer(many=True)
    total_cost_idr = serializers.IntegerField(help_text="One-off, every agency")
    total_yearly_cost_idr = serializers.IntegerField(help_text="Per year, every agency")
