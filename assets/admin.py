from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from assets.models import (
    Agency,
    Asset,
    Partner,
    RadioLicence,
    Site,
    StandardItem,
    StockItem,
    StockMovement,
    Stocktake,
    StocktakeLine,
)
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


class ReadOnlyAdmin(ScopedAdmin, admin.ModelAdmin):
    """Records written only by the services (stock movements, stocktake lines): the back office reads them."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(StockItem)
class StockItemAdmin(ScopedAdmin, admin.ModelAdmin):
    """The quantity is read only here: it changes through movements (API), which keep its history."""

    list_display = ["name", "agency", "site", "quantity", "minimum", "unit", "unit_cost_idr"]
    list_filter = ["agency", "kind"]
    search_fields = ["name", "notes", "site__name", "agency__code"]
    list_select_related = ["agency", "site"]
    autocomplete_fields = ["site"]
    readonly_fields = ["quantity"]


@admin.register(StockMovement)
class StockMovementAdmin(ReadOnlyAdmin):
    list_display = ["at", "item", "kind", "quantity", "balance", "by", "work_order", "asset"]
    list_filter = ["kind"]
    search_fields = ["item__name", "reason"]
    list_select_related = ["item__site", "by", "work_order", "asset"]
    date_hierarchy = "at"


@admin.register(Stocktake)
class StocktakeAdmin(ScopedAdmin, admin.ModelAdmin):
    """Opened and closed through the pages or the API (assets.stocktake), which build and apply the lines."""

    list_display = ["__str__", "agency", "site", "status", "opened_at", "closed_at", "signed_at"]
    list_filter = ["status", "agency"]
    search_fields = ["note", "site__name", "agency__code"]
    list_select_related = ["agency", "site"]
    readonly_fields = [
        "agency",
        "site",
        "status",
        "opened_by",
        "opened_at",
        "closed_by",
        "closed_at",
        "signed_by",
        "signed_at",
    ]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(StocktakeLine)
class StocktakeLineAdmin(ReadOnlyAdmin):
    list_display = ["asset", "stocktake", "result", "condition", "found_site", "marked_by", "marked_at"]
    list_filter = ["result", "condition"]
    search_fields = ["asset__name", "asset__tag", "note"]
    list_select_related = ["asset", "stocktake__site", "found_site", "marked_by"]
    exclude = ["photo"]  # a MEDIA_URL link would lead nowhere: photos leave only through the scoped view
    readonly_fields = ["photo_view"]

    @admin.display(description=_("foto"))
    def photo_view(self, line) -> str:
        if not line.photo:
            return "-"
        return format_html(
            '<a href="{}"><img src="{}" width="80" alt=""></a>',
            reverse("stocktake-line-photo", args=[line.stocktake_id, line.pk]),
            reverse("stocktake-line-thumb", args=[line.stocktake_id, line.pk]),
        )
