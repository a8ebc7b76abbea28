from django.contrib import admin
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


class ChecklistInline(admin.TabularInline):
    model = ChecklistItem
    extra = 0


class WorkLogInline(admin.TabularInline):
    model = WorkLog
    extra = 0


class PartInline(admin.TabularInline):
    model = PartLine
    extra = 0


class AttachmentInline(admin.TabularInline):
    model = Attachment
    extra = 0
    readonly_fields = ["content_type", "size", "uploaded_by", "uploaded_at"]


class TransitionInline(admin.TabularInline):
    model = WorkOrderTransition
    extra = 0
    readonly_fields = ["from_status", "to_status", "by", "at", "note"]
    can_delete = False


@admin.register(WorkOrder)
class WorkOrderAdmin(SimpleHistoryAdmin):
    list_display = ["id", "title", "agency", "asset", "kind", "priority", "status", "assignee", "due_date"]
    list_filter = ["status", "kind", "priority", "agency"]
    search_fields = ["title", "description", "asset__name", "site__name"]
    list_select_related = ["agency", "asset", "assignee"]
    autocomplete_fields = ["asset", "site"]
    readonly_fields = ["status", "outages", "maintenance_window"]
    inlines = [ChecklistInline, WorkLogInline, PartInline, AttachmentInline, TransitionInline]
    date_hierarchy = "created_at"


@admin.register(PreventivePlan)
class PreventivePlanAdmin(SimpleHistoryAdmin):
    list_display = ["title", "agency", "asset", "asset_kind", "every", "unit", "starts_on", "active"]
    list_filter = ["active", "unit", "asset_kind", "agency"]
    search_fields = ["title", "asset__name"]
    autocomplete_fields = ["asset"]


@admin.register(CorrectiveRule)
class CorrectiveRuleAdmin(admin.ModelAdmin):
    list_display = ["kind", "after_minutes", "priority"]
    list_filter = ["priority"]
    search_fields = ["kind"]


@admin.register(AgencyMaintenanceSettings)
class AgencyMaintenanceSettingsAdmin(admin.ModelAdmin):
    list_display = ["agency", "default_assignee", "notify_email"]
    list_filter = ["agency__level"]
    search_fields = ["agency__code", "agency__name"]


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(admin.ModelAdmin):
    list_display = ["url", "agency", "active"]  # never the secret
    list_filter = ["active", "agency"]
    search_fields = ["url"]


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ["event", "work_order", "webhook", "email", "status", "attempts", "next_attempt_at", "last_error"]
    list_filter = ["status", "event"]
    search_fields = ["email", "last_error"]


@admin.register(CalendarFeed)
class CalendarFeedAdmin(admin.ModelAdmin):
    list_display = ["agency", "created_at"]
    list_filter = ["agency"]
    search_fields = ["agency__code"]


@admin.register(LapseReminder)
class LapseReminderAdmin(admin.ModelAdmin):
    list_display = ["kind", "agency", "asset", "licence", "lapses_on", "lead_days", "created_at"]
    list_filter = ["kind", "lead_days", "agency"]
    search_fields = ["asset__name", "licence__number", "agency__code"]
    list_select_related = ["agency", "asset", "licence"]
