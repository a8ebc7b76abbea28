from rest_framework import serializers

from assets.models import Agency, Asset, Partner, Site, StandardItem
from simpul.api import CurrentUserAgency, ModelCleanSerializer, ScopedSerializer


class AgencySerializer(serializers.ModelSerializer):
    parent = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)

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
        ]


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
            "acquisition_date",
            "cost_idr",
            "funding_source",
            "warranty_end",
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
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]


class StandardItemSerializer(ModelCleanSerializer):
    class Meta:
        model = StandardItem
        fields = ["id", "level", "kind", "link_role", "required", "unit_cost_idr", "note"]


class GapQuerySerializer(serializers.Serializer):
    horizon_days = serializers.IntegerField(min_value=0, max_value=3650, default=180)
    agency = serializers.CharField(required=False, help_text="Region code; default: every agency you see")


class GapRowSerializer(serializers.Serializer):
    agency = serializers.CharField()
    agency_name = serializers.CharField()
    kind = serializers.CharField()
    link_role = serializers.CharField()
    required = serializers.IntegerField()
    working = serializers.IntegerField()
    expiring = serializers.IntegerField()
    to_buy = serializers.IntegerField()
    unit_cost_idr = serializers.IntegerField()
    cost_idr = serializers.IntegerField()


class GapTotalSerializer(serializers.Serializer):
    agency = serializers.CharField()
    cost_idr = serializers.IntegerField()


class GapReportSerializer(serializers.Serializer):
    horizon = serializers.DateField()
    results = GapRowSerializer(many=True)
    totals = GapTotalSerializer(many=True)
    total_cost_idr = serializers.IntegerField()
