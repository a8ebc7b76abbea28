from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Akun dan peran")

    def ready(self) -> None:
        from accounts import language  # noqa: F401  (connects the login signal)
