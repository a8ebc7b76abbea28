from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class MonthlyReport(models.Model):
    """An agency's report for one month: its submission to the province, and the province's acknowledgement.

    The figures themselves are computed when asked (reports.content), so they always match the data.
    """

    agency = models.ForeignKey("assets.Agency", on_delete=models.CASCADE, related_name="monthly_reports")
    month = models.DateField(_("bulan"), help_text=_("Hari pertama bulan."))
    submitted_at = models.DateTimeField(_("dikirim"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    notes = models.TextField(_("catatan"), blank=True)
    acknowledged_at = models.DateTimeField(_("diterima provinsi"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The province's last return: the agency reads why, corrects and submits again.
    returned_at = models.DateTimeField(_("dikembalikan"), null=True, blank=True)
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    return_reason = models.TextField(_("alasan dikembalikan"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-month", "agency__code"]
        verbose_name = _("laporan bulanan")
        verbose_name_plural = _("laporan bulanan")
        constraints = [
            models.UniqueConstraint(fields=["agency", "month"], name="monthly_report_once"),
            models.CheckConstraint(condition=Q(month__day=1), name="monthly_report_first_of_month"),
            models.CheckConstraint(
                condition=Q(acknowledged_at__isnull=True) | Q(submitted_at__isnull=False),
                name="monthly_report_ack_after_submission",
            ),
            models.CheckConstraint(
                condition=Q(returned_at__isnull=True) | ~Q(return_reason=""),
                name="monthly_report_return_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agency.code} {self.month:%Y-%m}"
