from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RollcallsConfig(AppConfig):
    name = "rollcalls"
    verbose_name = _("Apel radio terjadwal")
