from django.db import models
from django.utils.translation import gettext_lazy as _


class ReportState(models.TextChoices):
    """Where a month's report stands in its journey to the province (reports.content.report_state)."""

    LATE = "late", _("terlambat")
    RETURNED = "returned", _("dikembalikan")
    NOT_STARTED = "not_started", _("belum dibuat")
    DRAFT = "draft", _("draf")
    SUBMITTED = "submitted", _("dikirim")
    ACCEPTED = "accepted", _("diterima")
