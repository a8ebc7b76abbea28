from django import forms
from django.contrib import admin

from alerts.models import Alert, AlertContact, AlertEvent, AlertRule, Channel, DutyAssignment, DutyShift, Message


@admin.register(AlertRule)
class AlertRuleAdmin(admin.ModelAdmin):
    list_display = ["name", "agency", "include_children", "kinds", "asset_kinds", "severity", "delay_minutes", "active"]
    list_filter = ["active", "severity", "agency"]
    search_fields = ["name"]


class DutyAssignmentInline(admin.TabularInline):
    model = DutyAssignment
    extra = 0
    autocomplete_fields = ["user"]
    readonly_fields = ["planned_user"]


@admin.register(DutyShift)
class DutyShiftAdmin(admin.ModelAdmin):
    list_display = ["name", "agency", "starts", "ends"]
    list_filter = ["agency"]
    search_fields = ["name", "agency__code"]
    inlines = [DutyAssignmentInline]


@admin.register(AlertContact)
class AlertContactAdmin(admin.ModelAdmin):
    list_display = ["user", "phone", "telegram_chat_id", "language"]
    list_filter = ["language", "user__agency"]
    search_fields = ["user__username", "phone"]
    autocomplete_fields = ["user"]


class ChannelForm(forms.ModelForm):
    """The secret is write-only here too: typed in, never shown; left empty, the stored one is kept."""

    secret = forms.CharField(required=False, widget=forms.PasswordInput(render_value=False), strip=False)
    url = forms.URLField(required=False, max_length=500, assume_scheme="https")

    class Meta:
        model = Channel
        fields = [
            "agency",
            "name",
            "kind",
            "active",
            "url",
            "method",
            "headers",
            "body",
            "body_encoding",
            "success_contains",
            "secret",
        ]

    def clean_secret(self):
        return self.cleaned_data["secret"] or (self.instance.secret if self.instance.pk else "")


@admin.register(Channel)
class ChannelAdmin(admin.ModelAdmin):
    form = ChannelForm
    list_display = ["name", "agency", "kind", "active", "failing_since", "last_error"]
    list_filter = ["kind", "active", "agency"]
    search_fields = ["name", "agency__code"]
    readonly_fields = ["failing_since", "consecutive_failures", "last_error"]


class AlertEventInline(admin.TabularInline):
    model = AlertEvent
    extra = 0
    can_delete = False
    readonly_fields = ["at", "kind", "user", "channel", "detail"]


@admin.register(Alert)
class AlertAdmin(admin.ModelAdmin):
    list_display = ["summary", "agency", "kind", "state", "severity", "started_at", "tier", "affected_count"]
    list_filter = ["state", "kind", "severity", "agency"]
    search_fields = ["summary", "asset__name"]
    readonly_fields = [f.name for f in Alert._meta.fields] + ["affected"]
    inlines = [AlertEventInline]


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    list_display = ["alert", "kind", "channel", "recipient", "status", "attempts", "next_attempt_at", "sent_at"]
    list_filter = ["status", "kind", "channel__kind"]
    search_fields = ["address", "alert__summary"]
    readonly_fields = [f.name for f in Message._meta.fields]
