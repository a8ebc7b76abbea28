"""Technician pages, phone first: my work orders, one order, tick, log, attach, hold, finish; the photos.
Dispatchers reopen and assign from the same order page (maintenance.dispatch decides who they are).

Every write goes through maintenance.services, like the API; scoping through accounts.scoping.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Case, IntegerField, Q, Value, When
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.scoping import may_write_agency, scope
from alerts.texts import duration
from maintenance import services
from maintenance.choices import WorkOrderStatus as S
from maintenance.dispatch import may_dispatch
from maintenance.forms import (
    AssignForm,
    AttachmentForm,
    FinishForm,
    HoldForm,
    ReopenForm,
    WorkLogForm,
    place_errors,
)
from maintenance.models import Attachment, WorkOrder
from maintenance.transitions import ACTIVE, FINISHED
from simpul.private_media import photo_response, session_or_token, thumbnail_response

RECENT_OUTAGES = 5


@login_required
def my_orders(request):
    orders = (
        scope(WorkOrder.objects.all(), request.user)
        .filter(status__in=ACTIVE)
        .filter(Q(assignee=request.user) | Q(assignee__isnull=True, agency_id=request.user.agency_id))
        .select_related("asset", "site")
        .annotate(mine=Case(When(assignee=request.user, then=Value(0)), default=Value(1), output_field=IntegerField()))
        .order_by("mine", "due_date", "-priority", "pk")
    )
    context = {
        "orders": orders,
        "today": timezone.localdate(),
        "may_dispatch": may_dispatch(request.user, request.user.agency_id),
    }
    return render(request, "maintenance/my_orders.html", context)


def _order_for(request, pk: int) -> WorkOrder:
    return get_object_or_404(
        scope(
            WorkOrder.objects.select_related("agency", "asset__site", "site", "assignee").prefetch_related(
                "checklist__done_by"
            ),
            request.user,
        ),
        pk=pk,
    )


def _detail(request, order: WorkOrder, *, status: int = 200, **bound) -> HttpResponse:
    """The order page; `bound` forms (with their errors) replace the empty ones."""
    finished = order.status in FINISHED
    dispatcher = may_dispatch(request.user, order.agency_id)
    forms_ = {
        "log_form": WorkLogForm(),
        "attachment_form": AttachmentForm(),
        "finish_form": FinishForm(order=order),
        "hold_form": HoldForm(),
        "reopen_form": ReopenForm(),
        "assign_form": AssignForm(order=order),
        **bound,
    }
    place = order.site or (order.asset.site if order.asset else None)
    context = {
        "order": order,
        "finished": finished,
        "can_work": may_write_agency(request.user, order.agency_id) and not finished,
        "can_reopen": dispatcher and order.status == S.DONE,
        "can_assign": dispatcher and order.status in {S.OPEN, S.ASSIGNED},
        "place": place,
        "recent_outages": _recent_outages(order),
        "transitions": order.transitions.select_related("by"),
        "today": timezone.localdate(),
        **forms_,
    }
    return render(request, "maintenance/order_detail.html", context, status=status)


def _recent_outages(order: WorkOrder) -> list[dict]:
    """The asset's last outages, newest first, with how long each lasted (None while it goes on)."""
    if order.asset is None:
        return []
    return [
        {"outage": outage, "lasted": duration(outage.ended_at - outage.started_at) if outage.ended_at else None}
        for outage in order.asset.outages.all()[:RECENT_OUTAGES]
    ]


@login_required
def order_detail(request, pk: int):
    return _detail(request, _order_for(request, pk))


# action -> (target status, form class); a form's note becomes the transition's note
TRANSITIONS = {"start": (S.IN_PROGRESS, None), "hold": (S.ON_HOLD, HoldForm), "reopen": (S.OPEN, ReopenForm)}
DISPATCH_ACTIONS = {"reopen", "assign"}
FORM_NAMES = {"hold": "hold_form", "reopen": "reopen_form", "assign": "assign_form"}


@login_required
@require_POST
def order_action(request, pk: int, action: str):
    order = _order_for(request, pk)
    allowed = may_dispatch if action in DISPATCH_ACTIONS else may_write_agency
    if not allowed(request.user, order.agency_id):
        raise PermissionDenied
    try:
        if action == "tick":
            item = get_object_or_404(order.checklist, pk=request.POST.get("item"))
            services.checklist_tick(item=item, by=request.user, done=request.POST.get("done") == "1")
        elif action == "log":
            return _with_form(request, order, "log_form", WorkLogForm(request.POST), _log)
        elif action == "attach":
            return _with_form(request, order, "attachment_form", AttachmentForm(request.POST, request.FILES), _attach)
        elif action == "finish":
            return _finish(request, order)
        elif action == "assign":
            return _with_form(request, order, "assign_form", AssignForm(request.POST, order=order), _assign)
        elif action in TRANSITIONS:
            to_status, form_class = TRANSITIONS[action]
            if form_class is not None:
                return _with_form(request, order, FORM_NAMES[action], form_class(request.POST), _move(to_status))
            _move(to_status)(request, order, {})
        else:
            raise Http404
    except DjangoValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("maintenance-order", pk=order.pk)


def _with_form(request, order, name: str, form, write) -> HttpResponse:
    """Validate `form`, then `write`; any error (the form's or the service's) is shown beside its field."""
    if form.is_valid():
        try:
            write(request, order, form.cleaned_data)
        except DjangoValidationError as error:
            place_errors(form, error)
    if form.errors:
        return _detail(request, order, status=400, **{name: form})
    return redirect("maintenance-order", pk=order.pk)


def _move(to_status: str):
    """A write for `_with_form`: the transition, with the form's note (the reason) when it has one."""

    def write(request, order, data) -> None:
        note = data.get("note", "")
        services.work_order_transition(order=order, to_status=to_status, by=request.user, note=note)
        messages.success(request, _("Status: %(s)s.") % {"s": S(to_status).label})

    return write


def _log(request, order, data) -> None:
    services.work_log_add(order=order, technician=request.user, **data)
    messages.success(request, _("Catatan kerja disimpan."))


def _attach(request, order, data) -> None:
    services.attachment_add(order=order, upload=data["file"], by=request.user, caption=data["caption"])
    messages.success(request, _("Foto dilampirkan."))


def _assign(request, order, data) -> None:
    services.work_order_transition(order=order, to_status=S.ASSIGNED, by=request.user, assignee=data["assignee"])
    messages.success(request, _("Ditugaskan ke %(name)s.") % {"name": data["assignee"].username})


def _finish(request, order) -> HttpResponse:
    form = FinishForm(request.POST, order=order)
    if form.is_valid():
        try:
            services.work_order_transition(
                order=order,
                to_status=S.DONE,
                by=request.user,
                resolution=form.cleaned_data["resolution"],
                asset_status=form.cleaned_data["asset_status"] or None,
                skipped=form.skipped(),
            )
        except DjangoValidationError as error:
            if not form.place_skipped(error):
                place_errors(form, error)
    if form.errors:
        return _detail(request, order, status=400, finish_form=form)
    messages.success(request, _("Status: %(s)s.") % {"s": S.DONE.label})
    return redirect("maintenance-order", pk=order.pk)


def _attachment_for(request, pk: int) -> Attachment:
    """Scoped like its work order: another agency's photo is 404."""
    return get_object_or_404(scope(Attachment.objects.all(), request.user, "work_order__agency"), pk=pk)


@session_or_token
def attachment_file(request, pk: int):
    attachment = _attachment_for(request, pk)
    return photo_response(attachment.file.name, content_type=attachment.content_type, stem=f"foto-{attachment.pk}")


@session_or_token
def attachment_thumbnail(request, pk: int):
    attachment = _attachment_for(request, pk)
    return thumbnail_response(attachment.file.name, stem=f"foto-{attachment.pk}")
