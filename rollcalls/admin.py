from django import forms
from django.contrib import admin

from rollcalls.models import RollCallSchedule, ScheduledCall, validate_stations
from simpul.admin import ScopedAdmin


class RollCallScheduleForm(forms.ModelForm):
    class Meta:
        model = RollCallSchedule
        fields = ["agency", "net", "band", "times", "days", "window_minutes", "stations", "active"]

    def clean(self):
        cleaned = super().clean()
        agency = cleaned.get("agency")
        if agency is not None:
            validate_stations(agency.pk, cleaned.get("stations") or [])
        return cleaned


@admin.register(RollCallSchedule)
class RollCallScheduleAdmin(ScopedAdmin, admin.ModelAdmin):
    form = RollCallScheduleForm
    list_display = ["net", "agency", "band", "times", "days", "window_minutes", "active"]
    list_filter = ["agency", "band", "active"]
    search_fields = ["net"]
    autocomplete_fields = ["stations"]


@admin.register(ScheduledCall)
class ScheduledCallAdmin(ScopedAdmin, admin.ModelAdmin):
    list_display = ["schedule", "agency", "due_at", "outcome", "radio_check", "recorded_at"]
    list_filter = ["agency", "outcome"]
    search_fields = ["schedule__net"]
    raw_id_fields = ["radio_check"]
