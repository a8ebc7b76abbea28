from django.contrib import admin

from monitoring.models import (
    AssetState,
    Event,
    HourlyRollup,
    KindPolicy,
    MaintenanceWindow,
    Outage,
    ProbeConfig,
    RadioCheck,
    RadioCheckEntry,
    Sample,
)
from simpul.admin import ScopedAdmin, ScopedInline, write_only_form


@admin.register(KindPolicy)
class KindPolicyAdmin(ScopedAdmin, admin.ModelAdmin):
    list_display = ["kind", "interval_s", "confirm_count", "loss_degraded", "rtt_degraded_ms"]
    list_filter = ["confirm_count"]
    search_fields = ["kind"]


@admin.register(ProbeConfig)
class ProbeConfigAdmin(ScopedAdmin, admin.ModelAdmin):
    # Secrets (community, v3 keys) are never listed, and only set or replaced on the change page.
    form = write_only_form(ProbeConfig, "snmp_community", "snmp_auth_key", "snmp_priv_key")
    list_display = ["asset", "enabled", "icmp", "snmp", "snmp_version", "interval_s", "depends_on"]
    list_filter = ["enabled", "icmp", "snmp", "snmp_version"]
    search_fields = ["asset__name", "asset__management_address", "snmp_username"]
    autocomplete_fields = ["asset", "depends_on"]


@admin.register(AssetState)
class AssetStateAdmin(ScopedAdmin, admin.ModelAdmin):
    list_display = ["asset", "state", "since", "last_polled_at", "last_rtt_ms", "last_loss", "reason"]
    list_filter = ["state", "asset__kind", "asset__agency"]
    search_fields = ["asset__name", "asset__management_address", "sys_name"]
    list_select_related = ["asset"]
    readonly_fields = [f.name for f in AssetState._meta.fields]


@admin.register(Outage)
class OutageAdmin(ScopedAdmin, admin.ModelAdmin):
    list_display = ["asset", "started_at", "ended_at", "cause", "took_down"]
    list_filter = [("ended_at", admin.EmptyFieldListFilter), "asset__kind", "asset__agency"]
    search_fields = ["asset__name", "cause"]
    list_select_related = ["asset"]
    date_hierarchy = "started_at"


@admin.register(Sample)
class SampleAdmin(ScopedAdmin, admin.ModelAdmin):
    """The recent results not yet packed into hour blocks; the whole history is the samples API's."""

    list_display = ["asset", "at", "source", "verdict", "rtt_ms", "loss", "reason"]
    list_filter = ["source", "verdict"]
    search_fields = ["asset__name", "reason"]
    list_select_related = ["asset"]
    show_full_result_count = False


@admin.register(HourlyRollup)
class HourlyRollupAdmin(ScopedAdmin, admin.ModelAdmin):
    list_display = ["asset", "hour", "samples", "up", "rtt_avg_ms", "rtt_max_ms", "loss_avg"]
    list_filter = ["asset__kind"]
    search_fields = ["asset__name"]
    list_select_related = ["asset"]


@admin.register(Event)
class EventAdmin(ScopedAdmin, admin.ModelAdmin):
    list_display = ["asset", "at", "kind", "detail"]
    list_filter = ["kind"]
    search_fields = ["asset__name", "detail"]
    list_select_related = ["asset"]


@admin.register(MaintenanceWindow)
class MaintenanceWindowAdmin(ScopedAdmin, admin.ModelAdmin):
    list_display = ["reason", "agency", "site", "asset", "starts_at", "ends_at"]
    list_filter = ["agency"]
    search_fields = ["reason", "asset__name", "site__name"]
    autocomplete_fields = ["site", "asset"]


class RadioCheckEntryInline(ScopedInline, admin.TabularInline):
    model = RadioCheckEntry
    autocomplete_fields = ["asset"]
    extra = 0


@admin.register(RadioCheck)
class RadioCheckAdmin(ScopedAdmin, admin.ModelAdmin):
    list_display = ["net", "agency", "held_at", "operator"]
    list_filter = ["agency"]
    search_fields = ["net", "notes"]
    inlines = [RadioCheckEntryInline]
