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
