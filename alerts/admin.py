from django.contrib import admin

from alerts.models import Alert, AlertContact, AlertEvent, AlertRule, Channel, DutyAssignment, DutyShift, Message
from simpul.admin import ScopedAdmin, ScopedInline, write_only_form


@admin.register(AlertRule)
class AlertRuleAdmin(ScopedAdmin, admin.ModelAdmin):
    list_display = ["name", "agency", "include_children", "kinds", "asset_kinds", "severity", "delay_minutes", "active"]
    list_filter = ["active", "severity", "agency"]
    search_fields = ["name"]


class DutyAssignmentInline(ScopedInline, admin.TabularInline):
    model = DutyAssignment
    extra = 0
    autocomplete_fields = ["user"]
    readonly_fields = ["planned_user"]


@admin.register(DutyShift)
class DutyShiftAdmin(ScopedAdmin, admin.ModelAdmin):
    list_display = ["name", "agency", "starts", "ends"]
    list_filter = ["agency"]
    search_fields = ["name", "agency__code"]
    inlines = [DutyAssignmentInline]


@admin.register(AlertContact)
class AlertContactAdmin(ScopedAdmin, admin.ModelAdmin):
    list_display = ["user", "phone", "telegram_chat_id"]
    list_filter = ["user__agency"]
    search_fields = ["user__username", "phone"]
    autocomplete_fields = ["user"]


@admin.register(Channel)
class ChannelAdmin(ScopedAdmin, admin.ModelAdmin):
    form = write_only_form(Channel, "secret")
    list_display = ["name", "agency", "kind", "active", "failing_since", "last_error"]
    list_filter = ["kind", "active", "agency"]
    search_fields = ["name", "agency__code"]
    readonly_fields = ["failing_since", "consecutive_failures", "last_error"]


class AlertEventInline(ScopedInline, admin.TabularInline):
    model = AlertEvent
    extra = 0
    can_delete = False
    readonly_fields = ["at", "kind", "user", "channel", "detail"]


@admin.register(Alert)
class AlertAdmin(ScopedAdmin, admin.ModelAdmin):
    list_display = ["summary", "agency", "kind", "state", "severity", "started_at", "tier", "affected_count"]
    list_filter = ["state", "kind", "severity", "agency"]
    search_fields = ["summary", "asset__name"]
    readonly_fields = [f.name for f in Alert._meta.fields] + ["affected"]
    inlines = [AlertEventInline]


@admin.register(Message)
class MessageAdmin(ScopedAdmin, admin.ModelAdmin):
    list_display = ["alert", "kind", "channel", "recipient", "status", "attempts", "next_attempt_at", "sent_at"]
    list_filter = ["status", "kind", "channel__kind"]
    search_fields = ["address", "alert__summary"]
    readonly_fields = [f.name for f in Message._meta.fields]
