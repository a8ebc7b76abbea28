"""Filters of the monitoring API, after assets.filters: `agency` by region code, `agency_id`, `q`, and `from`/`to`.

`from` is a Python keyword, so the time-range filters are declared by name through `type()` and mixed in.
"""

import django_filters
from django.db.models import Q

from assets.choices import AssetKind
from assets.filters import AgencyOwnedFilter, FreeTextFilterSet
from monitoring.choices import EventKind, State
from monitoring.models import (
    AssetState,
    Event,
    HourlyRollup,
    MaintenanceWindow,
    Outage,
    ProbeConfig,
    RadioCheck,
    Sample,
)
from simpul.filters import BooleanFilter, FilterSet, IdFilter, MultipleChoiceFilter
from simpul.moments import MomentFilter


def half_open_range(field: str) -> type[django_filters.FilterSet]:
    """`from` <= field < `to`, both ISO datetimes and optional."""
    return type(
        "HalfOpenRange",
        (FilterSet,),
        {
            "from": MomentFilter(field_name=field, lookup_expr="gte", label="From (inclusive)"),
            "to": MomentFilter(field_name=field, lookup_expr="lt", label="To (exclusive)"),
        },
    )


def _ends_after(queryset, name, value):
    return queryset.filter(Q(ended_at__isnull=True) | Q(ended_at__gt=value))


# An outage overlaps [from, to) when it started before `to` and had not ended by `from`.
Overlapping = type(
    "Overlapping",
    (FilterSet,),
    {
        "from": MomentFilter(method=_ends_after, label="Overlapping from (inclusive)"),
        "to": MomentFilter(field_name="started_at", lookup_expr="lt", label="Until (exclusive)"),
    },
)


class AssetOwnedFilter(FreeTextFilterSet):
    """For rows that belong to an asset: the agency, site and kind are the asset's."""

    agency = django_filters.CharFilter(field_name="asset__agency__code", label="Agency region code, e.g. 64.01")
    agency_id = IdFilter(field_name="asset__agency_id")
    asset = IdFilter(field_name="asset_id")
    site = IdFilter(field_name="asset__site_id")
    kind = MultipleChoiceFilter(field_name="asset__kind", choices=AssetKind.choices)


class AssetStateFilter(AssetOwnedFilter):
    search_fields = ("asset__name", "asset__management_address")
    state = MultipleChoiceFilter(field_name="shown_state", choices=State.choices)  # as pages show it

    class Meta:
        model = AssetState
        fields = ["agency", "agency_id", "site", "kind", "state"]


class OutageFilter(AssetOwnedFilter, Overlapping):
    search_fields = ("asset__name", "cause")
    open = BooleanFilter(field_name="ended_at", lookup_expr="isnull", label="Still open")

    class Meta:
        model = Outage
        fields = ["agency", "agency_id", "asset", "site", "kind", "open"]


class EventFilter(AssetOwnedFilter, half_open_range("at")):
    search_fields = ("asset__name", "detail")
    kind = MultipleChoiceFilter(choices=EventKind.choices)

    class Meta:
        model = Event
        fields = ["agency", "agency_id", "asset", "kind"]


class SampleFilter(half_open_range("at")):
    # Required: samples are many, and only one asset's history at a time is worth a page.
    asset = IdFilter(field_name="asset_id", required=True)

    class Meta:
        model = Sample
        fields = ["asset", "source", "verdict"]


class RollupFilter(half_open_range("hour")):
    asset = IdFilter(field_name="asset_id", required=True)

    class Meta:
        model = HourlyRollup
        fields = ["asset"]


class ProbeConfigFilter(AssetOwnedFilter):
    search_fields = ("asset__name", "asset__management_address", "snmp_username")

    class Meta:
        model = ProbeConfig
        fields = ["agency", "agency_id", "site", "kind", "enabled", "icmp", "snmp", "snmp_version", "depends_on"]


class RadioCheckFilter(AgencyOwnedFilter, half_open_range("held_at")):
    search_fields = ("net", "notes")
    net = django_filters.CharFilter(lookup_expr="icontains")

    class Meta:
        model = RadioCheck
        fields = ["agency", "agency_id", "net"]


class MaintenanceWindowFilter(AgencyOwnedFilter):
    search_fields = ("reason",)
    active_at = MomentFilter(method="filter_active_at", label="Windows covering this moment")

    class Meta:
        model = MaintenanceWindow
        fields = ["agency", "agency_id", "site", "asset"]

    def filter_active_at(self, queryset, name, value):
        return queryset.filter(starts_at__lte=value, ends_at__gt=value)
