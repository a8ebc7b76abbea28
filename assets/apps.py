from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssetsConfig(AppConfig):
    name = "assets"
    verbose_name = _("Inventaris")

    def ready(self) -> None:
        from assets.list_cache import watch_inventory_writes

        watch_inventory_writes()
