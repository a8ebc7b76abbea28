"""Roll-call schedule pages: create, change, pause and resume a net's schedule. Who may is the API's rule: an
agency's writers (accounts.scoping), for schedules of agencies they see; the form scopes the stations."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.pages import in_operations, page_for
from accounts.scoping import may_write_agency, scope, visible_agencies
from rollcalls.forms import ScheduleForm
from rollcalls.models import RollCallSchedule
from rollcalls.services import schedule_set_active


def _writable(request, agency_id: int) -> None:
    if not may_write_agency(request.user, agency_id):
        raise PermissionDenied(_("Hanya teknisi dan administrator instansi ini yang mengatur jadwal apel."))


def _saved_or_form(request, form: ScheduleForm, title: str):
    if request.method == "POST" and form.is_valid():
        schedule = form.save()
        messages.success(request, _("Jadwal %(net)s disimpan.") % {"net": schedule.net})
        return redirect("rollcalls-board")
    context = {"form": form, "schedule": form.instance, "title": title}
    return render(request, "rollcalls/schedule_form.html", context, status=400 if form.errors else 200)


@page_for(in_operations)
def schedule_new(request):
    """A new schedule of the user's agency, or of the agency `?agency=` names among those they write."""
    code = request.GET.get("agency")
    agency = get_object_or_404(visible_agencies(request.user), code=code) if code else request.user.agency
    if agency is None:
        raise PermissionDenied(_("Akun Anda belum terhubung ke instansi."))
    _writable(request, agency.pk)
    form = ScheduleForm(request.POST or None, instance=RollCallSchedule(agency=agency), user=request.user)
    return _saved_or_form(request, form, _("Jadwal apel baru"))


def _schedule_for(request, pk: int) -> RollCallSchedule:
    schedule = get_object_or_404(scope(RollCallSchedule.objects.select_related("agency"), request.user), pk=pk)
    _writable(request, schedule.agency_id)
    return schedule


@page_for(in_operations)
def schedule_edit(request, pk: int):
    schedule = _schedule_for(request, pk)
    form = ScheduleForm(request.POST or None, instance=schedule, user=request.user)
    return _saved_or_form(request, form, _("Ubah jadwal apel"))


@page_for(in_operations)
@require_POST
def schedule_toggle(request, pk: int):
    """Pause a schedule (no calls owed, none flagged missed; its history stays) or resume it."""
    schedule = _schedule_for(request, pk)
    schedule_set_active(schedule=schedule, active=not schedule.active, now=timezone.now())
    text = _("Jadwal %(net)s dilanjutkan.") if schedule.active else _("Jadwal %(net)s dijeda.")
    messages.success(request, text % {"net": schedule.net})
    return redirect("rollcalls-schedule-edit", pk=schedule.pk)
