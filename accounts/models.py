from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.choices import Role


class User(AbstractUser):
    """A person working for one agency (BPBD); what they see and may change follows from agency and role.

    A user without an agency sees nothing through the API, unless they are a superuser (the operator of
    the whole deployment).
    """

    agency = models.ForeignKey(
        "assets.Agency",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("instansi"),
    )
    role = models.CharField(_("peran"), max_length=20, choices=Role.choices, default=Role.TECHNICIAN)
    # The language of their pages, API answers, alerts and emails (accounts.language); empty until they choose,
    # which means the browser's language for pages and Indonesian for alerts.
    language = models.CharField(_("bahasa"), max_length=5, choices=settings.LANGUAGES, blank=True)

    class Meta:
        ordering = ["username"]
        verbose_name = _("pengguna")
        verbose_name_plural = _("pengguna")

    @property
    def message_language(self) -> str:
        """The language of what Simpul sends them (alerts, emails): their choice, else Indonesian."""
        return self.language or settings.LANGUAGE_CODE
