from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from assets.models import Agency, Asset, Partner, RadioLicence, Site, StandardItem
from simpul.admin import ScopedAdmin


@admin.register(Agency)
class AgencyAdmin(ScopedAdmin, SimpleHistoryAdmin):
    list_display = ["code", "name", "level", "parent", "pusdalops_decree_number", "phone", "licence_renewal_lead_days"]
    list_filter = ["level", "parent", "own_building", "operators_committed", "maintenance_committed"]
    search_fields = ["code", "name", "pusdalops_decree_number"]


@admin.register(Partner)
class PartnerAdmin(ScopedAdmin, SimpleHistoryAdmin):
    list_display = ["name", "kind", "contact"]
    list_filter = ["kind"]
    search_fields = ["name", "contact"]


@admin.register(Site)
class SiteAdmin(ScopedAdmin, SimpleHistoryAdmin):
    list_display = ["name", "agency", "kind", "latitude", "longitude", "power_source"]
    list_filter = ["kind", "power_source", "agency"]
    search_fields = ["name", "address", "agency__code", "agency__name"]
    list_select_related = ["agency"]


@admin.register(Asset)
class AssetAdmin(ScopedAdmin, SimpleHistoryAdmin):
    list_display = ["name", "tag", "agency", "site", "kind", "status", "management_address", "warranty_end"]
    list_filter = ["kind", "status", "band", "medium", "sat_network", "funding_source", "agency"]
    search_fields = ["name", "tag", "serial_number", "manufacturer", "model", "management_address", "provider"]
    list_select_related = ["agency", "site"]
    autocomplete_fields = ["site", "owner_partner", "licence"]
    date_hierarchy = "acquisition_date"


@admin.register(RadioLicence)
class RadioLicenceAdmin(ScopedAdmin, SimpleHistoryAdmin):
    list_display = ["number", "agency", "callsign", "emission", "power_w", "valid_until", "fee_due_date"]
    list_filter = ["agency"]
    search_fields = ["number", "callsign", "holder", "location", "agency__code", "agency__name"]
    list_select_related = ["agency"]
    autocomplete_fields = ["site"]
    date_hierarchy = "valid_until"


@admin.register(StandardItem)
class StandardItemAdmin(ScopedAdmin, SimpleHistoryAdmin):
    list_display = ["level", "kind", "link_role", "required", "unit_cost_idr", "note"]
    list_filter = ["level", "kind"]
    search_fields = ["kind", "note"]
