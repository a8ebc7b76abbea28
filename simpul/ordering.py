"""API ordering with empty values last in both directions, on SQLite and PostgreSQL alike.

PostgreSQL puts NULLs first in a descending sort and SQLite in an ascending one: "highest RTT first"
would start with the assets that have no RTT at all on one of them.
"""

from django.db.models import F
from rest_framework.filters import OrderingFilter


class NullsLastOrderingFilter(OrderingFilter):
    def filter_queryset(self, request, queryset, view):
        ordering = self.get_ordering(request, queryset, view)
        if not ordering:
            return queryset
        expressions = [
            F(term[1:]).desc(nulls_last=True) if term.startswith("-") else F(term).asc(nulls_last=True)
            for term in ordering
        ]
        return queryset.order_by(*expressions)
