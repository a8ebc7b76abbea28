"""Filters of the inventory API: `agency` by region code, `agency_id`, `q` for free text."""

import django_filters
from django.db.models import Q
from django.utils import timezone

from assets.choices import AgencyLevel, AssetKind, AssetStatus, Band, LinkMedium, SatelliteNetwork, SiteKind
from assets.models import Agency, Asset, Partner, RadioLicence, Site
from simpul.filters import BooleanFilter, FilterSet, IdFilter, MultipleChoiceFilter


class FreeTextFilterSet(FilterSet):
    """Adds `q`: a case-insensitive match on any of `search_fields`."""

    search_fields: tuple[str, ...] = ()
    q = django_filters.CharFilter(method="filter_q", label="Free-text search")

    def filter_q(self, queryset, name, value):
        condition = Q()
        for field in self.search_fields:
            condition |= Q(**{f"{field}__icontains": value})
        return queryset.filter(condition)


class AgencyFilter(FreeTextFilterSet):
    search_fields = ("code", "name")
    level = MultipleChoiceFilter(choices=AgencyLevel.choices)
    parent = django_filters.CharFilter(field_name="parent__code")

    class Meta:
        model = Agency
        fields = ["level", "parent"]


class PartnerFilter(FreeTextFilterSet):
    search_fields = ("name", "contact")

    class Meta:
        model = Partner
        fields = ["kind"]


class AgencyOwnedFilter(FreeTextFilterSet):
    agency = django_filters.CharFilter(field_name="agency__code", label="Agency region code, e.g. 64.01")
    agency_id = IdFilter(field_name="agency_id")


class SiteFilter(AgencyOwnedFilter):
    search_fields = ("name", "address", "access_notes")
    kind = MultipleChoiceFilter(choices=SiteKind.choices)

    class Meta:
        model = Site
        fields = ["agency", "agency_id", "kind", "power_source"]


class AssetFilter(AgencyOwnedFilter):
    search_fields = ("name", "tag", "manufacturer", "model", "serial_number", "management_address", "notes")
    kind = MultipleChoiceFilter(choices=AssetKind.choices)
    status = MultipleChoiceFilter(choices=AssetStatus.choices)
    band = MultipleChoiceFilter(choices=Band.choices)
    medium = MultipleChoiceFilter(choices=LinkMedium.choices)
    sat_network = MultipleChoiceFilter(choices=SatelliteNetwork.choices)
    provider = django_filters.CharFilter(lookup_expr="icontains")
    warranty_before = django_filters.DateFilter(field_name="warranty_end", lookup_expr="lt")
    support_before = django_filters.DateFilter(field_name="support_end", lookup_expr="lt")
    contract_before = django_filters.DateFilter(field_name="contract_end", lookup_expr="lt")
    battery_before = django_filters.DateFilter(field_name="battery_due", lookup_expr="lt")
    end_of_life_before = django_filters.DateFilter(field_name="end_of_life", lookup_expr="lt")
    has_address = BooleanFilter(field_name="management_address", method="filter_has_address")
    on_expired_licence = BooleanFilter(method="filter_on_expired_licence")

    class Meta:
        model = Asset
        fields = ["agency", "agency_id", "site", "kind", "status", "band", "link_role", "owner_partner", "licence"]

    def filter_has_address(self, queryset, name, value):
        return queryset.exclude(management_address="") if value else queryset.filter(management_address="")

    def filter_on_expired_licence(self, queryset, name, value):
        condition = Asset.on_expired_licence_q(timezone.localdate())
        return queryset.filter(condition) if value else queryset.exclude(condition)


class RadioLicenceFilter(AgencyOwnedFilter):
    search_fields = ("number", "callsign", "holder", "location", "notes")
    valid_until_before = django_filters.DateFilter(field_name="valid_until", lookup_expr="lt")
    fee_due_before = django_filters.DateFilter(field_name="fee_due_date", lookup_expr="lt")

    class Meta:
        model = RadioLicence
        fields = ["agency", "agency_id", "site"]
