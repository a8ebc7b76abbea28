from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from reports.models import MonthlyReport
from simpul.admin import ScopedAdmin


@admin.register(MonthlyReport)
class MonthlyReportAdmin(ScopedAdmin, SimpleHistoryAdmin):
    """For looking up and correcting notes: submission, acceptance and return go through the report page
    (reports.services), where the deadline and who may do what are checked."""

    list_display = ["agency", "month", "submitted_at", "acknowledged_at", "returned_at"]
    list_filter = ["month", "agency"]
    search_fields = ["agency__code", "agency__name"]
    readonly_fields = [
        "submitted_at",
        "submitted_by",
        "acknowledged_at",
        "acknowledged_by",
        "returned_at",
        "returned_by",
        "return_reason",
    ]

    def get_readonly_fields(self, request, obj=None):
        # A submitted report is the agency's word as sent: its notes change only after the province returns it.
        sent = obj is not None and obj.submitted_at is not None
        return [*self.readonly_fields, "agency", "month", "notes"] if sent else self.readonly_fields
