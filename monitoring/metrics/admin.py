from django.contrib import admin

from monitoring.metrics.models import MetricProfile
from simpul.admin import ScopedAdmin


@admin.register(MetricProfile)
class MetricProfileAdmin(ScopedAdmin, admin.ModelAdmin):
    list_display = ["kind", "groups", "on_battery_degraded", "charge_below_pct", "throughput_above_pct"]
    list_filter = ["kind", "on_battery_degraded"]
    search_fields = ["kind"]
