"""Writes on monthly reports: the agency's notes and submission, the province's acceptance or return.

A submitted report is the agency's word to the province: it stays as sent until the province returns it.
"""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.scoping import may_acknowledge_report, may_submit_report
from reports.models import MonthlyReport

NOTES_MAX = 2000
REASON_MAX = 1000


def _editable(*, agency, month: date, by) -> MonthlyReport:
    if not may_submit_report(by, agency.pk):
        raise PermissionDenied
    report, _created = MonthlyReport.objects.select_for_update().get_or_create(agency=agency, month=month)
    if report.submitted_at is not None:
        raise ValidationError({"notes": _("Laporan sudah dikirim; hanya bisa diubah setelah dikembalikan provinsi.")})
    return report


@transaction.atomic
def report_save_notes(*, agency, month: date, by, notes: str) -> MonthlyReport:
    """Keep the agency's draft notes (from the month's first day on); the report becomes a draft."""
    if month > timezone.localdate():
        raise ValidationError({"month": _("Bulan ini belum dimulai.")})
    report = _editable(agency=agency, month=month, by=by)
    report.notes = notes
    report.save()
    return report


@transaction.atomic
def report_submit(*, agency, month: date, by, notes: str | None = None) -> MonthlyReport:
    """Submit `agency`'s report for `month` to the province, with `notes` if given (else the draft's)."""
    if not may_submit_report(by, agency.pk):
        raise PermissionDenied
    if month >= timezone.localdate().replace(day=1):
        raise ValidationError({"month": _("Bulan berjalan belum selesai.")})
    report = _editable(agency=agency, month=month, by=by)
    if notes is not None:
        report.notes = notes
    report.submitted_at, report.submitted_by = timezone.now(), by
    report.save()
    return report


def _received(*, agency, month: date, by) -> MonthlyReport:
    if not may_acknowledge_report(by, agency):
        raise PermissionDenied
    report = MonthlyReport.objects.select_for_update().filter(agency=agency, month=month).first()
    if report is None or report.submitted_at is None:
        raise ValidationError({"month": _("Laporan belum dikirim.")})
    return report


@transaction.atomic
def report_acknowledge(*, agency, month: date, by) -> MonthlyReport:
    """The province accepts the submitted report (once: accepting again changes nothing)."""
    report = _received(agency=agency, month=month, by=by)
    if report.acknowledged_at is None:
        report.acknowledged_at, report.acknowledged_by = timezone.now(), by
        report.save()
    return report


@transaction.atomic
def report_return(*, agency, month: date, by, reason: str) -> MonthlyReport:
    """The province sends the report back with a reason; the agency may edit and submit it again."""
    if not reason.strip():
        raise ValidationError({"reason": _("Tulis alasan laporan dikembalikan.")})
    report = _received(agency=agency, month=month, by=by)
    if report.acknowledged_at is not None:
        raise ValidationError({"reason": _("Laporan sudah diterima; tidak bisa dikembalikan.")})
    report.submitted_at = report.submitted_by = None
    report.returned_at, report.returned_by, report.return_reason = timezone.now(), by, reason.strip()
    report.save()
    return report
