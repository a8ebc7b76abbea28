"""Technician pages, phone first: my work orders, one order, tick, log, attach, finish; the photos.

Every write goes through maintenance.services, like the API; scoping through accounts.scoping.
"""

from functools import wraps

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Case, IntegerField, Q, Value, When
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST
from rest_framework.authentication import TokenAuthentication
from rest_framework.exceptions import AuthenticationFailed

from accounts.scoping import may_write_agency, scope
from assets.choices import AssetStatus
from maintenance import services
from maintenance.choices import WorkOrderStatus as S
from maintenance.models import Attachment, WorkOrder
from maintenance.transitions import ACTIVE
from maintenance.uploads import EXTENSIONS, ensure_thumbnail
from simpul.private_media import private_file_response


class WorkLogForm(forms.Form):
    hours = forms.DecimalField(label=gettext_lazy("Jam kerja"), min_value=0, max_value=1000, decimal_places=2)
    description = forms.CharField(label=gettext_lazy("Yang dikerjakan"), widget=forms.Textarea(attrs={"rows": 3}))


class AttachmentForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Foto"),
        widget=forms.ClearableFileInput(attrs={"accept": "image/*", "capture": "environment"}),
    )
    caption = forms.CharField(label=gettext_lazy("Keterangan"), required=False, max_length=200)


class FinishForm(forms.Form):
    resolution = forms.CharField(label=gettext_lazy("Penyelesaian"), widget=forms.Textarea(attrs={"rows": 3}))
    asset_status = forms.ChoiceField(
        label=gettext_lazy("Status aset sesudahnya"),
        required=False,
        choices=[("", gettext_lazy("(tidak diubah)")), *AssetStatus.choices],
    )


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
    return render(request, "maintenance/my_orders.html", {"orders": orders, "today": timezone.localdate()})


def _order_for(request, pk: int) -> WorkOrder:
    return get_object_or_404(
        scope(WorkOrder.objects.select_related("agency", "asset", "site", "assignee"), request.user), pk=pk
    )


@login_required
def order_detail(request, pk: int):
    order = _order_for(request, pk)
    context = {
        "order": order,
        "can_write": may_write_agency(request.user, order.agency_id),
        "log_form": WorkLogForm(),
        "attachment_form": AttachmentForm(),
        "finish_form": FinishForm(),
        "today": timezone.localdate(),
    }
    return render(request, "maintenance/order_detail.html", context)


# action -> (target status, form class or None)
ACTIONS = {
    "start": (S.IN_PROGRESS, None),
    "hold": (S.ON_HOLD, None),
    "finish": (S.DONE, FinishForm),
}


@login_required
@require_POST
def order_action(request, pk: int, action: str):
    order = _order_for(request, pk)
    if not may_write_agency(request.user, order.agency_id):
        raise PermissionDenied
    try:
        if action == "tick":
            item = get_object_or_404(order.checklist, pk=request.POST.get("item"))
            services.checklist_tick(item=item, by=request.user, done=request.POST.get("done") == "1")
        elif action == "log":
            form = WorkLogForm(request.POST)
            if not form.is_valid():
                raise DjangoValidationError(form.errors.get_json_data())
            services.work_log_add(order=order, technician=request.user, **form.cleaned_data)
            messages.success(request, _("Catatan kerja disimpan."))
        elif action == "attach":
            form = AttachmentForm(request.POST, request.FILES)
            if not form.is_valid():
                raise DjangoValidationError(_("Pilih foto."))
            services.attachment_add(
                order=order, upload=form.cleaned_data["file"], by=request.user, caption=form.cleaned_data["caption"]
            )
            messages.success(request, _("Foto dilampirkan."))
        elif action in ACTIONS:
            to_status, form_class = ACTIONS[action]
            extra = {}
            if form_class is not None:
                form = form_class(request.POST)
                if not form.is_valid():
                    raise DjangoValidationError(_("Isi penyelesaian."))
                extra = {
                    "resolution": form.cleaned_data["resolution"],
                    "asset_status": form.cleaned_data["asset_status"] or None,
                }
            services.work_order_transition(order=order, to_status=to_status, by=request.user, **extra)
            messages.success(request, _("Status: %(s)s.") % {"s": S(to_status).label})
        else:
            raise PermissionDenied
    except DjangoValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("maintenance-order", pk=order.pk)


def _session_or_token(view):
    """A logged-in session (the pages), or an API token (integrators follow the API's attachment URLs)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            try:
                found = TokenAuthentication().authenticate(request)
            except AuthenticationFailed:
                found = None
            if found is None:
                return redirect_to_login(request.get_full_path())
            request.user = found[0]
        return view(request, *args, **kwargs)

    return wrapped


def _attachment_for(request, pk: int) -> Attachment:
    """Scoped like its work order: another agency's photo is 404."""
    return get_object_or_404(scope(Attachment.objects.all(), request.user, "work_order__agency"), pk=pk)


@require_GET
@_session_or_token
def attachment_file(request, pk: int):
    attachment = _attachment_for(request, pk)
    extension = EXTENSIONS[attachment.content_type]
    return private_file_response(
        attachment.file.name, content_type=attachment.content_type, download_name=f"foto-{attachment.pk}.{extension}"
    )


@require_GET
@_session_or_token
def attachment_thumbnail(request, pk: int):
    attachment = _attachment_for(request, pk)
    name = ensure_thumbnail(attachment.file.name)
    if name is None:
        raise Http404
    return private_file_response(name, content_type="image/jpeg", download_name=f"foto-{attachment.pk}-kecil.jpg")
