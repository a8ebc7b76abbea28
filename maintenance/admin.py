from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from maintenance.models import (
    AgencyMaintenanceSettings,
    Attachment,
    CalendarFeed,
    ChecklistItem,
    CorrectiveRule,
    Delivery,
    LapseReminder,
    PartLine,
    PreventivePlan,
    WebhookEndpoint,
    WorkLog,
    WorkOrder,
    WorkOrderTransition,
)
from simpul.admin import ScopedAdmin, ScopedInline, write_only_form


class ChecklistInline(ScopedInline, admin.TabularInline):
    model = ChecklistItem
    extra = 0


class WorkLogInline(ScopedInline, admin.TabularInline):
    model = WorkLog
    extra = 0


class PartInline(ScopedInline, admin.TabularInline):
    model = PartLine
    extra = 0


class AttachmentInline(ScopedInline, admin.TabularInline):
    """Photos arrive only through the checked upload (pages, API); here they are shown, not added."""

    model = Attachment
    extra = 0
    fields = ["photo", "caption", "original_name", "content_type", "size", "uploaded_by", "uploaded_at"]
    readonly_fields = ["photo", "original_name", "content_type", "size", "uploaded_by", "uploaded_at"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description=_("foto"))
    def photo(self, attachment) -> str:
        return format_html(
            '<a href="{}"><img src="{}" width="80" alt=""></a>',
            reverse("maintenance-attachment", args=[attachment.pk]),
            reverse("maintenance-attachment-thumb", args=[attachment.pk]),
        )


class TransitionInline(ScopedInline, admin.TabularInline):
    model = WorkOrderTransition
    extra = 0
    readonly_fields = ["from_status", "to_status", "by", "at", "note"]
    can_delete = False


@admin.register(WorkOrder)
class WorkOrderAdmin(ScopedAdmin, SimpleHistoryAdmin):
    list_display = ["id", "title", "agency", "asset", "kind", "priority", "status", "assignee", "due_date"]
    list_filter = ["status", "kind", "priority", "agency"]
    search_fields = ["title", "description", "asset__name", "site__name"]
    list_select_related = ["agency", "asset", "assignee"]
    autocomplete_fields = ["asset", "site"]
    readonly_fields = ["status", "outages", "maintenance_window"]
    inlines = [ChecklistInline, WorkLogInline, PartInline, AttachmentInline, TransitionInline]
    date_hierarchy = "created_at"


@admin.register(PreventivePlan)
class PreventivePlanAdmin(ScopedAdmin, SimpleHistoryAdmin):
    list_display = ["title", "agency", "asset", "asset_kind", "every", "unit", "starts_on", "active"]
    list_filter = ["active", "unit", "asset_kind", "agency"]
    search_fields = ["title", "asset__name"]
    autocomplete_fields = ["asset"]


@admin.register(CorrectiveRule)
class CorrectiveRuleAdmin(ScopedAdmin, admin.ModelAdmin):
    list_display = ["kind", "after_minutes", "priority"]
    list_filter = ["priority"]
    search_fields = ["kind"]


@admin.register(AgencyMaintenanceSettings)
class AgencyMaintenanceSettingsAdmin(ScopedAdmin, admin.ModelAdmin):
    list_display = ["agency", "default_assignee", "notify_email"]
    list_filter = ["agency__level"]
    search_fields = ["agency__code", "agency__name"]


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(ScopedAdmin, admin.ModelAdmin):
    list_display = ["url", "agency", "active"]  # never the secret, which is only set or replaced
    form = write_only_form(WebhookEndpoint, "secret")
    list_filter = ["active", "agency"]
    search_fields = ["url"]


@admin.register(Delivery)
class DeliveryAdmin(ScopedAdmin, admin.ModelAdmin):
    list_display = ["event", "work_order", "webhook", "email", "status", "attempts", "next_attempt_at", "last_error"]
    list_filter = ["status", "event"]
    search_fields = ["email", "last_error"]


@admin.register(CalendarFeed)
class CalendarFeedAdmin(ScopedAdmin, admin.ModelAdmin):
    list_display = ["agency", "created_at"]
    list_filter = ["agency"]
    search_fields = ["agency__code"]


@admin.register(LapseReminder)
class LapseReminderAdmin(ScopedAdmin, admin.ModelAdmin):
    list_display = ["kind", "agency", "asset", "licence", "lapses_on", "lead_days", "created_at"]
    list_filter = ["kind", "lead_days", "agency"]
    search_fields = ["asset__name", "licence__number", "agency__code"]
    list_select_related = ["agency", "asset", "licence"]
