from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    TECHNICIAN = "technician", _("Teknisi")
    MANAGER = "manager", _("Manajer")
    PROCUREMENT = "procurement", _("Perencanaan/pengadaan")
    ADMINISTRATOR = "administrator", _("Administrator")
