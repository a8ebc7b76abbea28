from rest_framework import viewsets

from accounts.scoping import scope
from assets.api.serializers import AgencySerializer, AssetSerializer, PartnerSerializer, SiteSerializer
from assets.filters import AgencyFilter, AssetFilter, PartnerFilter, SiteFilter
from assets.models import Agency, Asset, Partner, Site
from simpul.api import ScopedModelViewSet


class AgencyViewSet(viewsets.ReadOnlyModelViewSet):
    """Agencies (BPBD) the user can see, addressed by region code: /api/agencies/64.01/."""

    queryset = Agency.objects.select_related("parent")
    serializer_class = AgencySerializer
    filterset_class = AgencyFilter
    lookup_field = "code"
    lookup_value_regex = r"\d{2}(\.\d{2}){0,2}"
    ordering_fields = ["code", "name", "level"]

    def get_queryset(self):
        return scope(super().get_queryset(), self.request.user, agency_field="")


class PartnerViewSet(viewsets.ModelViewSet):
    """Partner organisations (ORARI, RAPI, ISPs...): readable by all, written by administrators."""

    queryset = Partner.objects.all()
    serializer_class = PartnerSerializer
    filterset_class = PartnerFilter
    ordering_fields = ["name", "kind"]
    admin_writes = True


class SiteViewSet(ScopedModelViewSet):
    queryset = Site.objects.select_related("agency")
    serializer_class = SiteSerializer
    filterset_class = SiteFilter
    ordering_fields = ["name", "kind", "agency__code"]


class AssetViewSet(ScopedModelViewSet):
    queryset = Asset.objects.select_related("agency")
    serializer_class = AssetSerializer
    filterset_class = AssetFilter
    ordering_fields = [
        "name",
        "kind",
        "status",
        "agency__code",
        "acquisition_date",
        "warranty_end",
        "contract_end",
        "cost_idr",
        "updated_at",
    ]
