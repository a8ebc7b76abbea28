"""Choices of the roll-call schedules. Values are stable API strings; labels are Bahasa Indonesia (translatable)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Outcome(models.TextChoices):
    HELD = "held", _("Terlaksana")
    MISSED = "missed", _("Terlewat")


class Heard(models.TextChoices):
    """What the operator taps for a station during the call; each is an answer with a default RS report."""

    CLEAR = "clear", _("Terdengar jelas")
    WEAK = "weak", _("Lemah")
    NONE = "none", _("Tidak menjawab")


# ISO weekdays, Monday first, as the API writes them.
WEEKDAYS = [
    (1, _("Senin")),
    (2, _("Selasa")),
    (3, _("Rabu")),
    (4, _("Kamis")),
    (5, _("Jumat")),
    (6, _("Sabtu")),
    (7, _("Minggu")),
]
