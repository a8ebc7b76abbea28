from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.scoping import may_acknowledge_report, may_submit_report
from reports.models import MonthlyReport


@transaction.atomic
def report_submit(*, agency, month: date, by, notes: str = "") -> MonthlyReport:
    """Mark `agency`'s report for `month` submitted (again, if it is re-sent: the first time counts)."""
    if not may_submit_report(by, agency.pk):
        raise PermissionDenied
    if month >= timezone.localdate().replace(day=1):
        raise ValidationError({"month": _("Bulan berjalan belum selesai.")})
    report, _created = MonthlyReport.objects.select_for_update().get_or_create(agency=agency, month=month)
    if report.submitted_at is None:
        report.submitted_at, report.submitted_by = timezone.now(), by
    report.notes = notes or report.notes
    report.save()
    return report


@transaction.atomic
def report_acknowledge(*, agency, month: date, by) -> MonthlyReport:
    if not may_acknowledge_report(by, agency):
        raise PermissionDenied
    report = MonthlyReport.objects.select_for_update().filter(agency=agency, month=month).first()
    if report is None or report.submitted_at is None:
        raise ValidationError({"month": _("Laporan belum dikirim.")})
    if report.acknowledged_at is None:
        report.acknowledged_at, report.acknowledged_by = timezone.now(), by
        report.save()
    return report
