"""Stocktakes over the API: open one, mark assets (with a photo), list what differs, close it, and the
manager's sign-off (assets.stocktake)."""

from django.db.models import Count, Q
from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from accounts.scoping import may_sign_stocktake, scope
from assets import stocktake as services
from assets.choices import Condition, StocktakeResult, StocktakeStatus
from assets.filters import AgencyOwnedFilter
from assets.models import Agency, Asset, Site, Stocktake, StocktakeLine
from simpul.api import CurrentUserAgency, ScopedQuerysetMixin, ScopedSerializer, StrictJSONMixin
from simpul.filters import IdFilter, MultipleChoiceFilter


class StocktakeSerializer(ScopedSerializer):
    agency = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Agency.objects.all(),
        default=CurrentUserAgency(),
        help_text="Region code of the counted agency; defaults to the user's own.",
    )
    opened_by = serializers.CharField(source="opened_by.username", read_only=True)
    closed_by = serializers.CharField(source="closed_by.username", read_only=True, allow_null=True)
    signed_by = serializers.CharField(
        source="signed_by.username", read_only=True, allow_null=True, help_text="The manager who signed it off"
    )
    expected = serializers.IntegerField(read_only=True, help_text="Assets on the count")
    found = serializers.IntegerField(read_only=True, help_text="Found where the register places them")
    elsewhere = serializers.IntegerField(read_only=True, help_text="Found at another site")
    missing = serializers.IntegerField(read_only=True, help_text="Not found")
    pending = serializers.IntegerField(read_only=True, help_text="Not looked at yet")

    class Meta:
        model = Stocktake
        fields = [
            "id",
            "agency",
            "site",
            "status",
            "note",
            "opened_by",
            "opened_at",
            "closed_by",
            "closed_at",
            "signed_by",
            "signed_at",
            "expected",
            "found",
            "elsewhere",
            "missing",
            "pending",
        ]
        read_only_fields = ["status", "opened_at", "closed_at", "signed_at"]

    def validate(self, attrs):
        # Who opens it is part of the row the model validates; the service records the same user.
        return super().validate({**attrs, "opened_by": self.context["request"].user})


class StocktakeLineSerializer(serializers.ModelSerializer):
    asset_name = serializers.CharField(source="asset.name", read_only=True)
    asset_tag = serializers.CharField(source="asset.tag", read_only=True, allow_null=True)
    marked_by = serializers.CharField(source="marked_by.username", read_only=True, allow_null=True)
    photo_url = serializers.SerializerMethodField(help_text="The photo (login or token), if one was taken")
    photo_thumbnail_url = serializers.SerializerMethodField(help_text="A small JPEG of the photo")

    class Meta:
        model = StocktakeLine
        fields = [
            "id",
            "asset",
            "asset_name",
            "asset_tag",
            "expected_site",
            "result",
            "found_site",
            "condition",
            "note",
            "photo_url",
            "photo_thumbnail_url",
            "marked_by",
            "marked_at",
        ]

    def _photo(self, line, name: str) -> str | None:
        if not line.photo:
            return None
        return self.context["request"].build_absolute_uri(reverse(name, args=[line.stocktake_id, line.pk]))

    def get_photo_url(self, line) -> str | None:
        return self._photo(line, "stocktake-line-photo")

    def get_photo_thumbnail_url(self, line) -> str | None:
        return self._photo(line, "stocktake-line-thumb")


class PhotoSerializer(serializers.Serializer):
    asset = serializers.PrimaryKeyRelatedField(queryset=Asset.objects.all(), help_text="The asset photographed")
    file = serializers.FileField(help_text="JPEG, PNG or WebP")

    def get_fields(self):
        fields = super().get_fields()
        fields["asset"].queryset = scope(fields["asset"].queryset, self.context["request"].user)
        return fields


class MarkSerializer(StrictJSONMixin, serializers.Serializer):
    asset = serializers.PrimaryKeyRelatedField(queryset=Asset.objects.all(), help_text="The asset seen (or not)")
    result = serializers.ChoiceField(choices=[c for c in StocktakeResult.choices if c[0] != StocktakeResult.PENDING])
    condition = serializers.ChoiceField(choices=Condition.choices, required=False, default="", allow_blank=True)
    found_site = serializers.PrimaryKeyRelatedField(
        queryset=Site.objects.all(), required=False, allow_null=True, help_text="Where it was found, if elsewhere"
    )
    note = serializers.CharField(max_length=250, required=False, default="", allow_blank=True)

    def get_fields(self):
        fields = super().get_fields()
        user = self.context["request"].user
        for name in ("asset", "found_site"):
            fields[name].queryset = scope(fields[name].queryset, user)
        return fields


class StocktakeFilter(AgencyOwnedFilter):
    search_fields = ("note", "site__name")
    site = IdFilter(field_name="site_id")
    status = MultipleChoiceFilter(choices=StocktakeStatus.choices)

    class Meta:
        model = Stocktake
        fields = ["site", "status"]


def with_counts(queryset):
    """Each stocktake with how many of its lines came out which way."""
    return queryset.annotate(
        expected=Count("lines"),
        **{
            name: Count("lines", filter=Q(lines__result=result))
            for name, result in (
                ("found", StocktakeResult.FOUND),
                ("elsewhere", StocktakeResult.ELSEWHERE),
                ("missing", StocktakeResult.MISSING),
                ("pending", StocktakeResult.PENDING),
            )
        },
    )


class StocktakeViewSet(
    ScopedQuerysetMixin,
    mixins.CreateModelMixin,
    mixins.RetrieveModelMixin,
    mixins.ListModelMixin,
    viewsets.GenericViewSet,
):
    """Stocktakes (inventarisasi) per agency or site: creating one lists every asset the register places there;
    technicians mark them; closing writes the outcome to the register (missing assets flagged, not deleted)."""

    queryset = Stocktake.objects.select_related("agency", "site", "opened_by", "closed_by", "signed_by")
    serializer_class = StocktakeSerializer
    filterset_class = StocktakeFilter
    ordering_fields = ["opened_at", "closed_at", "agency__code"]

    def get_queryset(self):
        return with_counts(super().get_queryset()).order_by("-opened_at", "-id")

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = services.stocktake_open(
            agency=data["agency"], site=data.get("site"), note=data.get("note", ""), by=self.request.user
        )

    def create(self, request, *args, **kwargs):
        response = super().create(request, *args, **kwargs)
        response.data = self.get_serializer(self.get_queryset().get(pk=response.data["id"])).data
        return response

    @extend_schema(responses=StocktakeLineSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def lines(self, request, pk=None):
        """Every asset on the count and what was seen of it."""
        lines = self.get_object().lines.select_related("asset", "marked_by")
        return Response(StocktakeLineSerializer(lines, many=True, context={"request": request}).data)

    @extend_schema(responses=StocktakeLineSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def discrepancies(self, request, pk=None):
        """What differs from the register, trouble first: missing, not yet seen, elsewhere, damaged."""
        lines = services.discrepancies(self.get_object())
        return Response(StocktakeLineSerializer(lines, many=True, context={"request": request}).data)

    @extend_schema(request=MarkSerializer, responses=StocktakeLineSerializer)
    @action(detail=True, methods=["post"])
    def mark(self, request, pk=None):
        """Record one asset as found, found elsewhere (with the site) or missing, with its condition."""
        stocktake = self.get_object()
        body = MarkSerializer(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        line = services.stocktake_mark(stocktake=stocktake, by=request.user, **body.validated_data)
        return Response(StocktakeLineSerializer(line, context={"request": request}).data)

    @extend_schema(request={"multipart/form-data": PhotoSerializer}, responses=StocktakeLineSerializer)
    @action(detail=True, methods=["post"])
    def photo(self, request, pk=None):
        """A photo of one asset on the count (replacing its earlier one), checked like every uploaded photo."""
        stocktake = self.get_object()
        body = PhotoSerializer(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        line = services.stocktake_line_photo(
            stocktake=stocktake, by=request.user, upload=body.validated_data["file"], asset=body.validated_data["asset"]
        )
        return Response(StocktakeLineSerializer(line, context={"request": request}).data)

    @extend_schema(request=None, responses=StocktakeSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        """Close the count: what was not seen is missing, and the register takes the outcome."""
        services.stocktake_close(stocktake=self.get_object(), by=request.user)
        return Response(self.get_serializer(self.get_queryset().get(pk=pk)).data)

    @extend_schema(request=None, responses=StocktakeSerializer)
    @action(detail=True, methods=["post"], permission_classes=[IsAuthenticated])
    def sign(self, request, pk=None):
        """The manager's sign-off ("mengetahui") of a closed count: a manager or administrator of its agency."""
        stocktake = self.get_object()
        if not may_sign_stocktake(request.user, stocktake.agency_id):
            raise PermissionDenied
        services.stocktake_sign(stocktake=stocktake, by=request.user)
        return Response(self.get_serializer(self.get_queryset().get(pk=pk)).data)
