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

    class Meta:
        ordering = ["username"]
        verbose_name = _("pengguna")
        verbose_name_plural = _("pengguna")
