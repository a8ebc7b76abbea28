"""Filters of the roll-call API, after assets.filters: `agency` by region code, `agency_id`, `q`, `from`/`to`."""

import django_filters

from assets.choices import Band
from assets.filters import AgencyOwnedFilter
from monitoring.filters import half_open_range
from rollcalls.choices import Outcome
from rollcalls.models import RollCallSchedule, ScheduledCall
from simpul.filters import MultipleChoiceFilter


class RollCallScheduleFilter(AgencyOwnedFilter):
    search_fields = ("net",)
    net = django_filters.CharFilter(lookup_expr="icontains")
    band = MultipleChoiceFilter(choices=Band.choices)

    class Meta:
        model = RollCallSchedule
        fields = ["agency", "agency_id", "net", "band", "active"]


class ScheduledCallFilter(AgencyOwnedFilter, half_open_range("due_at")):
    search_fields = ("schedule__net",)
    outcome = MultipleChoiceFilter(choices=Outcome.choices)

    class Meta:
        model = ScheduledCall
        fields = ["agency", "agency_id", "schedule", "outcome"]
