"""Roll-call pages: the board of scheduled calls with the month's compliance, and the phone page of one call."""

from datetime import date

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from rest_framework import serializers

from accounts.pages import in_operations, page_for
from accounts.scoping import may_write_agency, scope, writable_agencies
from rollcalls.choices import Outcome
from rollcalls.forms import ScheduledCallForm
from rollcalls.models import RollCallSchedule, ScheduledCall
from rollcalls.occurrences import Call, open_call
from rollcalls.selectors import call_board, compliance, trouble_first
from rollcalls.services import scheduled_call_record
from simpul.months import MonthField


@page_for(in_operations)
def board(request):
    schedules = scope(RollCallSchedule.objects.all(), request.user)
    writable = set(writable_agencies(request.user).values_list("pk", flat=True))
    now = timezone.now()
    month = _month(request.GET.get("month")) or timezone.localdate().replace(day=1)
    figures = trouble_first(compliance(schedules, month))
    missed = (
        scope(ScheduledCall.objects.filter(outcome=Outcome.MISSED), request.user)
        .select_related("schedule", "agency")
        .order_by("-due_at")[:20]
    )
    rows = call_board(schedules, now)
    return render(
        request,
        "rollcalls/board.html",
        {
            "rows": rows,
            "open_count": sum(1 for row in rows if row.open and not row.held),
            "month": month,
            "figures": figures,
            "missed": missed,
            "writable": writable,
            "paused": schedules.filter(active=False).select_related("agency").order_by("agency__code", "net"),
            "may_create": request.user.agency_id in writable,
        },
    )


@page_for(in_operations)
def record(request, pk: int):
    schedule = get_object_or_404(scope(RollCallSchedule.objects.select_related("agency"), request.user), pk=pk)
    now = timezone.now()
    call = _call_of(schedule, request.POST.get("due")) if request.method == "POST" else None
    call = call or open_call(schedule.clock_times, schedule.days, schedule.window, now)
    writable = may_write_agency(request.user, schedule.agency_id)
    stations = list(schedule.stations.select_related("agency", "state").order_by("agency__code", "name"))
    form = ScheduledCallForm(request.POST or None, stations=stations)
    if request.method == "POST" and call is not None and writable and form.is_valid():
        try:
            recorded = scheduled_call_record(
                schedule=schedule,
                call=call,
                operator=request.user,
                answers=form.answers(),
                notes=form.cleaned_data["notes"],
                now=now,
            )
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            answered = sum(entry.answered for entry in recorded.radio_check.entries.all())
            text = _("Apel %(net)s tercatat: %(answered)s dari %(total)s stasiun menjawab.") % {
                "net": schedule.net,
                "answered": answered,
                "total": len(stations),
            }
            if recorded.in_window:
                messages.success(request, text)
            else:
                messages.warning(request, text + " " + _("Jendela apel sudah tutup: apel terjadwal tetap terlewat."))
            return redirect("rollcalls-board")
    held = (
        call is not None
        and ScheduledCall.objects.filter(schedule=schedule, due_at=call.due_at, outcome=Outcome.HELD).exists()
    )
    return render(
        request,
        "rollcalls/record.html",
        {"schedule": schedule, "call": call, "held": held, "writable": writable, "form": form},
    )


def _call_of(schedule: RollCallSchedule, due: str | None) -> Call | None:
    """The call the form was opened for (it may have closed since), if `due` is one of the schedule's calls."""
    moment = parse_datetime(due or "")
    if moment is None or moment.tzinfo is None:
        raise Http404
    call = open_call(schedule.clock_times, schedule.days, schedule.window, moment)
    if call is None or call.due_at != moment:
        raise Http404
    return call


def _month(value: str | None) -> date | None:
    """The month asked for, or None (this month) for one the page cannot read."""
    try:
        return MonthField().to_internal_value(value) if value else None
    except serializers.ValidationError:
        return None
