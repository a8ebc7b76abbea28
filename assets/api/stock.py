"""Spare-part stock over the API: items per warehouse, and their movements (received, issued to a work order or
an asset, transferred, adjusted, written off), each an action that calls assets.stock."""

from decimal import Decimal

import django_filters
from django.db.models import F
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.scoping import scope
from assets import stock
from assets.choices import AssetKind, StockMovementKind
from assets.filters import AgencyOwnedFilter, FreeTextFilterSet
from assets.models import Agency, Asset, Site, StockItem, StockMovement
from simpul.api import CurrentUserAgency, ScopedQuerysetMixin, ScopedSerializer, StrictJSONMixin
from simpul.filters import BooleanFilter, IdFilter, MultipleChoiceFilter

QUANTITY = {"max_digits": 11, "decimal_places": 2}


class StockItemSerializer(ScopedSerializer):
    agency = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Agency.objects.all(),
        default=CurrentUserAgency(),
        help_text="Region code of the owning agency; defaults to the user's own.",
    )
    quantity = serializers.DecimalField(
        **QUANTITY, read_only=True, help_text="On the shelf now; changed only by movements"
    )
    below_minimum = serializers.BooleanField(read_only=True, help_text="Less on the shelf than the minimum")
    restock_cost_idr = serializers.SerializerMethodField(help_text="Cost of bringing it back up to the minimum")

    class Meta:
        model = StockItem
        fields = [
            "id",
            "agency",
            "site",
            "name",
            "kind",
            "unit",
            "quantity",
            "minimum",
            "unit_cost_idr",
            "below_minimum",
            "restock_cost_idr",
            "notes",
        ]

    def get_restock_cost_idr(self, item: StockItem) -> int:
        return stock.restock_cost_idr(item)

    def validate(self, attrs):
        # The shelf's content moves between warehouses by transfer, which records it, not by an edit.
        if self.instance is not None:
            for field in ("agency", "site"):
                if field in attrs and attrs[field] != getattr(self.instance, field):
                    raise serializers.ValidationError({field: [_("Pindahkan barang lewat mutasi pemindahan.")]})
        return super().validate(attrs)


class StockMovementSerializer(serializers.ModelSerializer):
    item_name = serializers.CharField(source="item.name", read_only=True)
    by = serializers.CharField(source="by.username", read_only=True, allow_null=True)

    class Meta:
        model = StockMovement
        fields = [
            "id",
            "item",
            "item_name",
            "kind",
            "quantity",
            "balance",
            "work_order",
            "asset",
            "counterpart",
            "reason",
            "by",
            "at",
        ]


class _ScopedFields(StrictJSONMixin, serializers.Serializer):
    """A movement's body: related rows limited to what the user sees (another agency's reads as unknown)."""

    def get_fields(self):
        fields = super().get_fields()
        user = self.context["request"].user
        for field in fields.values():
            if isinstance(field, serializers.PrimaryKeyRelatedField):
                field.queryset = scope(field.queryset, user)
        return fields


class QuantitySerializer(_ScopedFields):
    quantity = serializers.DecimalField(**QUANTITY, min_value=Decimal("0.01"), help_text="How much, in the item's unit")
    reason = serializers.CharField(max_length=250, required=False, default="", allow_blank=True)


class IssueSerializer(QuantitySerializer):
    work_order = serializers.PrimaryKeyRelatedField(
        queryset=Asset.objects.none(), required=False, allow_null=True, help_text="The work order the parts go to"
    )
    asset = serializers.PrimaryKeyRelatedField(
        queryset=Asset.objects.all(), required=False, allow_null=True, help_text="The asset they are fitted to"
    )

    def get_fields(self):
        from maintenance.models import WorkOrder  # stock is drawn by work orders; assets does not import them

        fields = super().get_fields()
        fields["work_order"].queryset = scope(WorkOrder.objects.all(), self.context["request"].user)
        return fields


class TransferSerializer(QuantitySerializer):
    to_site = serializers.PrimaryKeyRelatedField(queryset=Site.objects.all(), help_text="Warehouse receiving it")


class AdjustSerializer(_ScopedFields):
    quantity = serializers.DecimalField(
        **QUANTITY, help_text="The signed change: positive adds, negative takes away; not zero"
    )
    reason = serializers.CharField(max_length=250, help_text="Why the count differs")


class WriteOffSerializer(QuantitySerializer):
    reason = serializers.CharField(max_length=250, help_text="Broken, expired, lost...")


class StockItemFilter(AgencyOwnedFilter):
    search_fields = ("name", "notes", "site__name")
    site = IdFilter(field_name="site_id")
    kind = MultipleChoiceFilter(choices=AssetKind.choices)
    below_minimum = BooleanFilter(method="filter_below_minimum", label="Less on the shelf than the minimum")

    class Meta:
        model = StockItem
        fields = ["site", "kind"]

    def filter_below_minimum(self, queryset, name, value):
        return queryset.filter(quantity__lt=F("minimum")) if value else queryset.filter(quantity__gte=F("minimum"))


class StockMovementFilter(FreeTextFilterSet):
    search_fields = ("item__name", "reason")
    agency = django_filters.CharFilter(field_name="item__agency__code", label="Agency region code, e.g. 64.01")
    agency_id = IdFilter(field_name="item__agency_id")
    item = IdFilter(field_name="item_id")
    work_order = IdFilter(field_name="work_order_id")
    asset = IdFilter(field_name="asset_id")
    kind = MultipleChoiceFilter(choices=StockMovementKind.choices)

    class Meta:
        model = StockMovement
        fields = ["item", "kind", "work_order", "asset"]


class StockItemViewSet(ScopedQuerysetMixin, viewsets.ModelViewSet):
    """Spare parts and consumables per warehouse. The quantity changes only through the movement actions;
    `?below_minimum=true` is procurement's restocking list."""

    queryset = StockItem.objects.select_related("agency", "site")
    serializer_class = StockItemSerializer
    filterset_class = StockItemFilter
    ordering_fields = ["name", "quantity", "minimum", "unit_cost_idr", "agency__code", "site__name"]

    def _movement(self, request, body_class, service, **extra):
        item = self.get_object()
        body = body_class(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        movement = service(item=item, by=request.user, **body.validated_data, **extra)
        return Response(StockMovementSerializer(movement).data, status=201)

    @extend_schema(request=QuantitySerializer, responses={201: StockMovementSerializer})
    @action(detail=True, methods=["post"])
    def receive(self, request, pk=None):
        """Parts delivered to this warehouse."""
        return self._movement(request, QuantitySerializer, stock.stock_receive)

    @extend_schema(request=IssueSerializer, responses={201: StockMovementSerializer})
    @action(detail=True, methods=["post"])
    def issue(self, request, pk=None):
        """Parts taken for a work order (which gets a part line) or fitted to an asset; refused (400, nothing
        written) when the shelf holds less."""
        return self._movement(request, IssueSerializer, stock.stock_issue)

    @extend_schema(request=TransferSerializer, responses={201: StockMovementSerializer})
    @action(detail=True, methods=["post"])
    def transfer(self, request, pk=None):
        """Parts sent to another warehouse the user sees (the province supplies its regencies)."""
        return self._movement(request, TransferSerializer, stock.stock_transfer)

    @extend_schema(request=AdjustSerializer, responses={201: StockMovementSerializer})
    @action(detail=True, methods=["post"])
    def adjust(self, request, pk=None):
        """A correction after a count, with its reason."""
        return self._movement(request, AdjustSerializer, stock.stock_adjust)

    @extend_schema(request=WriteOffSerializer, responses={201: StockMovementSerializer})
    @action(detail=True, methods=["post"], url_path="write-off")
    def write_off(self, request, pk=None):
        """Parts broken, expired or lost, taken off the books with the reason."""
        return self._movement(request, WriteOffSerializer, stock.stock_write_off)


class StockMovementViewSet(ScopedQuerysetMixin, viewsets.ReadOnlyModelViewSet):
    """Every movement of the stock the user sees, newest first: who, when, how much, what for."""

    queryset = StockMovement.objects.select_related("item", "by")
    serializer_class = StockMovementSerializer
    filterset_class = StockMovementFilter
    agency_field = "item__agency"
    ordering_fields = ["at", "quantity"]
