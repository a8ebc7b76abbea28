import django_filters
from django.db.models import Q
from django.utils import timezone

from assets.filters import AgencyOwnedFilter
from maintenance.choices import Priority, WorkOrderKind, WorkOrderStatus
from maintenance.models import PreventivePlan, WorkOrder
from maintenance.transitions import ACTIVE
from simpul.filters import BooleanFilter, MultipleChoiceFilter


class WorkOrderFilter(AgencyOwnedFilter):
    search_fields = ("title", "description", "asset__name", "site__name")
    kind = MultipleChoiceFilter(choices=WorkOrderKind.choices)
    status = MultipleChoiceFilter(choices=WorkOrderStatus.choices)
    priority = MultipleChoiceFilter(choices=Priority.choices)
    assignee = django_filters.CharFilter(field_name="assignee__username")
    mine = BooleanFilter(method="filter_mine", label="Assigned to me")
    due_before = django_filters.DateFilter(field_name="due_date", lookup_expr="lt")
    due_after = django_filters.DateFilter(field_name="due_date", lookup_expr="gte")
    overdue = BooleanFilter(method="filter_overdue")

    class Meta:
        model = WorkOrder
        fields = ["agency", "agency_id", "asset", "site", "kind", "status", "priority", "plan"]

    def filter_overdue(self, queryset, name, value):
        overdue = Q(status__in=ACTIVE, due_date__lt=timezone.localdate())
        return queryset.filter(overdue) if value else queryset.exclude(overdue)

    def filter_mine(self, queryset, name, value):
        user = self.request.user
        return queryset.filter(assignee=user) if value else queryset.exclude(assignee=user)


class PreventivePlanFilter(AgencyOwnedFilter):
    search_fields = ("title",)

    class Meta:
        model = PreventivePlan
        fields = ["agency", "agency_id", "asset", "asset_kind", "active"]
