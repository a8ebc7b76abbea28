import django_filters

from alerts.choices import AlertKind, AlertState, ChannelKind, Severity
from alerts.models import Alert, AlertContact, AlertRule, Channel, DutyAssignment, DutyShift
from assets.filters import AgencyOwnedFilter
from simpul.filters import FilterSet, MultipleChoiceFilter
from simpul.moments import MomentFilter


class AlertFilter(AgencyOwnedFilter):
    search_fields = ("summary", "asset__name")
    state = MultipleChoiceFilter(choices=AlertState.choices)
    kind = MultipleChoiceFilter(choices=AlertKind.choices)
    severity = MultipleChoiceFilter(choices=Severity.choices)
    started_after = MomentFilter(field_name="started_at", lookup_expr="gte")
    started_before = MomentFilter(field_name="started_at", lookup_expr="lt")

    class Meta:
        model = Alert
        fields = ["agency", "agency_id", "asset", "channel", "state", "kind", "severity"]


class AlertRuleFilter(AgencyOwnedFilter):
    search_fields = ("name",)

    class Meta:
        model = AlertRule
        fields = ["agency", "agency_id", "active"]


class DutyShiftFilter(AgencyOwnedFilter):
    search_fields = ("name",)

    class Meta:
        model = DutyShift
        fields = ["agency", "agency_id"]


class DutyAssignmentFilter(FilterSet):
    agency = django_filters.CharFilter(field_name="shift__agency__code", label="Agency region code, e.g. 64.01")
    date_from = django_filters.DateFilter(field_name="date", lookup_expr="gte")
    date_to = django_filters.DateFilter(field_name="date", lookup_expr="lte")
    user = django_filters.CharFilter(field_name="user__username")

    class Meta:
        model = DutyAssignment
        fields = ["agency", "shift", "date", "user"]


class ChannelFilter(AgencyOwnedFilter):
    search_fields = ("name",)
    kind = MultipleChoiceFilter(choices=ChannelKind.choices)

    class Meta:
        model = Channel
        fields = ["agency", "agency_id", "kind", "active"]


class AlertContactFilter(FilterSet):
    agency = django_filters.CharFilter(field_name="user__agency__code", label="Agency region code, e.g. 64.01")
    user = django_filters.CharFilter(field_name="user__username")

    class Meta:
        model = AlertContact
        fields = ["agency", "user"]
