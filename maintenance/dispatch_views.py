"""Dispatch pages: a new work order (blank, or from an asset, a site, an outage or an alert), the board of
open orders, and preventive plans. Who may dispatch is maintenance.dispatch's rule; writes go through
maintenance.services or the model's full_clean, like the API's."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import dateformat, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.scoping import scope, visible_agencies
from assets.models import Asset, Site
from maintenance import services
from maintenance.choices import Priority, WorkOrderKind
from maintenance.dispatch import board, default_assignee, may_dispatch
from maintenance.forms import DispatchForm, PlanForm, place_errors
from maintenance.models import PreventivePlan, WorkOrder
from maintenance.scheduler import next_due
from monitoring.models import Outage


def _scoped_get(queryset, user, raw: str, agency_field: str = "agency"):
    """The row `raw` names among those `user` sees: another agency's, an unknown one and a malformed id are 404."""
    if not raw.isdigit():
        raise Http404
    return get_object_or_404(scope(queryset, user, agency_field), pk=int(raw))


def _source(request) -> dict:
    """What the query names (?asset=, ?site=, ?outage=, ?alert=, ?agency=): the agency, the prefill, the outage."""
    from alerts.models import Alert  # alerts reads maintenance's serializers; import at use

    user, query = request.user, request.GET
    found = {"agency": None, "initial": {}, "outages": [], "origin": ""}
    initial = found["initial"]
    if raw := query.get("outage"):
        outage = _scoped_get(Outage.objects.select_related("asset__site", "asset__agency"), user, raw, "asset__agency")
        since = timezone.localtime(outage.started_at)
        found.update(agency=outage.asset.agency, outages=[outage], origin=_("gangguan"))
        initial.update(
            asset=outage.asset,
            site=outage.asset.site,
            kind=WorkOrderKind.CORRECTIVE,
            priority=Priority.HIGH,
            title=_("Gangguan: %(name)s") % {"name": outage.asset.name},
            description=(
                _("Mati sejak %(when)s WITA.") % {"when": dateformat.format(since, "j F Y H.i")} + f" {outage.cause}"
            ).strip(),
        )
    elif raw := query.get("alert"):
        alert = _scoped_get(Alert.objects.select_related("agency", "asset__site"), user, raw)
        found.update(agency=alert.agency, origin=_("peringatan"))
        initial.update(
            kind=WorkOrderKind.CORRECTIVE,
            priority=Priority.HIGH,
            title=alert.summary[:150],
            description=alert.reason,
        )
        if alert.asset is not None:
            initial.update(asset=alert.asset, site=alert.asset.site)
            found["outages"] = list(alert.asset.outages.filter(ended_at__isnull=True))
    elif raw := query.get("asset"):
        asset = _scoped_get(Asset.objects.select_related("site", "agency"), user, raw)
        found.update(agency=asset.agency, origin=_("aset"))
        initial.update(asset=asset, site=asset.site, kind=WorkOrderKind.INSPECTION)
    elif raw := query.get("site"):
        site = _scoped_get(Site.objects.select_related("agency"), user, raw)
        found.update(agency=site.agency, origin=_("lokasi"))
        initial.update(site=site, kind=WorkOrderKind.INSPECTION)
    elif code := query.get("agency"):
        found["agency"] = get_object_or_404(visible_agencies(user), code=code)
    else:
        found["agency"] = user.agency
    if found["agency"] is None:
        raise Http404
    return found


@login_required
def order_new(request):
    source = _source(request)
    agency = source["agency"]
    if not may_dispatch(request.user, agency.pk):
        raise PermissionDenied
    form = DispatchForm(request.POST or None, agency=agency, initial=source["initial"])
    if request.method == "POST" and form.is_valid():
        try:
            order = services.work_order_create(
                reporter=request.user, outages=source["outages"], **_with_default_assignee(form.work_order_fields())
            )
        except DjangoValidationError as error:
            place_errors(form, error)
        else:
            messages.success(request, _("Perintah kerja #%(id)s dibuat.") % {"id": order.pk})
            return redirect("maintenance-order", pk=order.pk)
    existing = (
        WorkOrder.objects.filter(outages__in=source["outages"]).distinct().order_by("pk") if source["outages"] else []
    )
    context = {
        "form": form,
        "agency": agency,
        "origin": source["origin"],
        "existing": existing,
        "default_assignee": default_assignee(agency.pk),
    }
    return render(request, "maintenance/order_new.html", context, status=400 if form.errors else 200)


def _with_default_assignee(fields: dict) -> dict:
    """An order nobody assigned goes to the agency's default assignee, as corrective work from outages does."""
    if fields["assignee"] is None:
        fields["assignee"] = default_assignee(fields["agency"].pk)
    return fields


def _agencies(request):
    """The agencies a dispatch page shows: those the user sees, or the one `?agency=` names among them."""
    agencies = visible_agencies(request.user)
    if code := request.GET.get("agency"):
        agencies = agencies.filter(code=code)
    return agencies


@login_required
def order_board(request):
    agencies = _agencies(request)
    orders = scope(WorkOrder.objects.all(), request.user).filter(agency__in=agencies)
    today = timezone.localdate()
    dispatchable = [a for a in agencies.order_by("code") if may_dispatch(request.user, a.pk)]
    context = {
        "board": board(orders, today=today),
        "today": today,
        "agency_code": request.GET.get("agency", ""),
        "dispatchable": dispatchable,
    }
    return render(request, "maintenance/board.html", context)


@login_required
def plan_list(request):
    agencies = _agencies(request)
    plans = (
        scope(PreventivePlan.objects.select_related("agency", "asset"), request.user)
        .filter(agency__in=agencies)
        .annotate(generated=Count("work_orders"))
        .order_by("-active", "agency__code", "title")
    )
    today = timezone.localdate()
    rows = [{"plan": plan, "next_due": next_due(plan, today) if plan.active else None} for plan in plans]
    dispatchable = [a for a in agencies.order_by("code") if may_dispatch(request.user, a.pk)]
    context = {
        "rows": rows,
        "active": sum(1 for row in rows if row["plan"].active),
        "dispatchable": dispatchable,
    }
    return render(request, "maintenance/plans.html", context)


@login_required
def plan_new(request):
    code = request.GET.get("agency")
    agency = get_object_or_404(visible_agencies(request.user), code=code) if code else request.user.agency
    if agency is None:
        raise Http404
    if not may_dispatch(request.user, agency.pk):
        raise PermissionDenied
    form = PlanForm(request.POST or None, instance=PreventivePlan(agency=agency))
    if request.method == "POST" and form.is_valid():
        plan = form.save()
        messages.success(request, _("Rencana “%(title)s” disimpan.") % {"title": plan.title})
        return redirect("maintenance-plan", pk=plan.pk)
    return render(
        request, "maintenance/plan_new.html", {"form": form, "agency": agency}, status=400 if form.errors else 200
    )


def _plan_for(request, pk: int) -> PreventivePlan:
    return get_object_or_404(scope(PreventivePlan.objects.select_related("agency", "asset"), request.user), pk=pk)


@login_required
def plan_detail(request, pk: int):
    plan = _plan_for(request, pk)
    orders = plan.work_orders.select_related("asset", "assignee").order_by("-due_date", "-pk")
    context = {
        "plan": plan,
        "orders": orders,
        "next_due": next_due(plan, timezone.localdate()) if plan.active else None,
        "can_dispatch": may_dispatch(request.user, plan.agency_id),
        "today": timezone.localdate(),
    }
    return render(request, "maintenance/plan_detail.html", context)


@login_required
@require_POST
def plan_toggle(request, pk: int):
    """Pause a plan (no new orders; those already made stay) or resume it."""
    plan = _plan_for(request, pk)
    if not may_dispatch(request.user, plan.agency_id):
        raise PermissionDenied
    plan.active = not plan.active
    plan.save(update_fields=["active"])
    messages.success(request, _("Rencana dilanjutkan.") if plan.active else _("Rencana dihentikan sementara."))
    return redirect("maintenance-plan", pk=plan.pk)
