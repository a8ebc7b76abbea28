"""Pages of the monthly report: one agency's month (read, note, submit; accept or return), and the month's
statuses of every agency the user receives reports from."""

import re
from datetime import date

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.pages import in_operations, page_for
from accounts.scoping import may_acknowledge_report, may_submit_report, scope
from assets.models import Agency
from reports.choices import ReportState
from reports.content import monthly_report_data, report_statuses
from reports.deadlines import due_on, previous_month
from reports.documents import section_tables, summary_lines
from reports.services import (
    NOTES_MAX,
    REASON_MAX,
    report_acknowledge,
    report_return,
    report_save_notes,
    report_submit,
)
from simpul import formats
from simpul.months import MONTH_PATTERN, next_month

# Trouble first on the province's page.
STATE_ORDER = [
    ReportState.LATE,
    ReportState.RETURNED,
    ReportState.NOT_STARTED,
    ReportState.DRAFT,
    ReportState.SUBMITTED,
    ReportState.ACCEPTED,
]


class NotesForm(forms.Form):
    notes = forms.CharField(
        label=gettext_lazy("Catatan instansi"), required=False, max_length=NOTES_MAX, widget=forms.Textarea
    )


class ReturnForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Alasan dikembalikan"), max_length=REASON_MAX, widget=forms.Textarea)


def asked_month(request) -> date:
    """The month a page's `?month=YYYY-MM` names, else last month (WITA): what a month's pages show first."""
    text = request.GET.get("month", "")
    return _month(text) if re.match(MONTH_PATTERN, text) else previous_month(timezone.localdate())


def _month(text: str) -> date:
    return date.fromisoformat(f"{text}-01")


@login_required
def report_page(request, code: str, month: str):
    agency = get_object_or_404(scope(Agency.objects.all(), request.user, agency_field=""), code=code)
    month_date = _month(month)
    notes_form, return_form, status = None, None, 200
    if request.method == "POST":
        notes_form, return_form, done = _act(request, agency, month_date)
        if done:
            return redirect("monthly-report-page", code=agency.code, month=month)
        status = 400
    data = monthly_report_data(agency, month_date)
    editable = may_submit_report(request.user, agency.pk) and data["submitted_at"] is None
    receiving = (
        may_acknowledge_report(request.user, agency)
        and data["submitted_at"] is not None
        and data["acknowledged_at"] is None
    )
    return render(
        request,
        "reports/monthly_report.html",
        {
            "agency": agency,
            "data": data,
            "month_label": formats.month(month_date),
            "month": month,
            "previous": previous_month(month_date).strftime("%Y-%m"),
            "next": next_month(month_date).strftime("%Y-%m"),
            "due": formats.day(data["due_on"]),
            "submitted": formats.moment(data["submitted_at"]),
            "acknowledged": formats.moment(data["acknowledged_at"]),
            "returned": formats.moment(data["returned_at"]),
            "summary": summary_lines(data),
            "sections": [
                {**section, "cells": [list(zip(section["headers"], row, strict=True)) for row in section["rows"]]}
                for section in section_tables(data)
            ],
            "editable": editable,
            "may_submit_month": month_date < timezone.localdate().replace(day=1),
            "receiving": receiving,
            "notes_form": notes_form or NotesForm(initial={"notes": data["notes"]}),
            "return_form": return_form or ReturnForm(),
        },
        status=status,
    )


def _act(request, agency: Agency, month: date):
    """Carry out the posted action; returns the forms to show again and whether it succeeded."""
    action = request.POST.get("action")
    notes_form = return_form = None
    try:
        if action in {"save", "submit"}:
            notes_form = NotesForm(request.POST)
            if not notes_form.is_valid():
                return notes_form, None, False
            notes = notes_form.cleaned_data["notes"]
            if action == "save":
                report_save_notes(agency=agency, month=month, by=request.user, notes=notes)
                messages.success(request, _("Catatan disimpan sebagai draf."))
            else:
                report_submit(agency=agency, month=month, by=request.user, notes=notes)
                messages.success(request, _("Laporan dikirim ke provinsi."))
        elif action == "accept":
            report_acknowledge(agency=agency, month=month, by=request.user)
            messages.success(request, _("Laporan diterima."))
        elif action == "return":
            return_form = ReturnForm(request.POST)
            if not return_form.is_valid():
                return None, return_form, False
            report_return(agency=agency, month=month, by=request.user, reason=return_form.cleaned_data["reason"])
            messages.success(request, _("Laporan dikembalikan ke instansi."))
        else:
            messages.error(request, _("Tindakan tidak dikenal."))
            return None, None, False
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return notes_form, return_form, False
    return None, None, True


@page_for(in_operations)
def status_page(request):
    """Every report the user receives for a month (a regency sees its own), trouble first."""
    month = asked_month(request)
    agencies = scope(Agency.objects.all(), request.user, agency_field="")
    received = agencies.exclude(pk=request.user.agency_id)
    if received.exists():
        agencies = received
    rows = report_statuses(agencies, month)
    for row in rows:
        row["submitted_text"] = formats.moment(row["submitted_at"]) if row["submitted_at"] else _("belum dikirim")
        row["acknowledged_text"] = formats.moment(row["acknowledged_at"])
    rows.sort(key=lambda row: STATE_ORDER.index(row["state"]))
    counts = {state: sum(1 for row in rows if row["state"] == state) for state in ReportState.values}
    return render(
        request,
        "reports/monthly_status.html",
        {
            "rows": rows,
            "month": month.strftime("%Y-%m"),
            "month_label": formats.month(month),
            "previous": previous_month(month).strftime("%Y-%m"),
            "next": next_month(month).strftime("%Y-%m"),
            "due": formats.day(due_on(month)),
            "total": len(rows),
            "sent": sum(1 for row in rows if row["submitted_at"]),
            "late": counts[ReportState.LATE],
            "accepted": counts[ReportState.ACCEPTED],
        },
    )
