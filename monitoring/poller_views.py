"""The remote pollers page: each poller's health, last contact, backlog, version and assets, trouble first;
administrators make one (its token shown once), rotate its token, or revoke it (monitoring.remote.services)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts.pages import in_operations, page_for
from accounts.scoping import visible_agencies
from assets.models import Site
from monitoring.remote.health import PollerHealth, silent_after
from monitoring.remote.selectors import may_manage_pollers, poller_rows, visible_pollers
from monitoring.remote.services import poller_create, poller_revoke, poller_rotate
from simpul import formats


class PollerForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Nama poller"), max_length=100)
    agency = forms.ModelChoiceField(label=gettext_lazy("Instansi"), queryset=None, to_field_name="code")
    sites = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Hanya lokasi ini"),
        help_text=gettext_lazy("Kosongkan agar poller memantau seluruh aset instansi."),
        queryset=None,
        required=False,
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        agencies = visible_agencies(user)
        self.fields["agency"].queryset = agencies.order_by("code")
        self.fields["sites"].queryset = Site.objects.filter(agency__in=agencies).select_related("agency")
        self.fields["sites"].label_from_instance = lambda site: f"{site.agency.code} · {site.name}"

    def clean(self):
        data = super().clean()
        agency, sites = data.get("agency"), data.get("sites") or ()
        foreign = [site.name for site in sites if agency is not None and site.agency_id != agency.pk]
        if foreign:
            self.add_error("sites", _("Lokasi bukan milik instansi ini: %(sites)s.") % {"sites": ", ".join(foreign)})
        return data


def _page(request, form: PollerForm, *, token: str = "", token_for: str = "", status: int = 200):
    now = timezone.now()
    rows = [
        {
            **row,
            "last_contact": formats.moment(row["last_contact_at"]),
            "backlog_text": formats.thousands(row["backlog"]),
        }
        for row in poller_rows(visible_pollers(request.user), now)
    ]
    silent = sum(1 for row in rows if row["health"] == PollerHealth.SILENT)
    return render(
        request,
        "monitoring/pollers.html",
        {
            "rows": rows,
            "silent": silent,
            "active": sum(1 for row in rows if row["health"] != PollerHealth.REVOKED),
            "silent_after": formats.duration(silent_after().total_seconds()),
            "may_manage": may_manage_pollers(request.user),
            "form": form,
            "token": token,
            "token_for": token_for,
        },
        status=status,
    )


@page_for(in_operations)
@never_cache  # a token shown once must not come back from a cache
def poller_list(request):
    return _page(request, PollerForm(user=request.user))


@login_required
@never_cache
@require_POST
def poller_new(request):
    form = PollerForm(request.POST, user=request.user)
    if not form.is_valid():
        return _page(request, form, status=400)
    agency = form.cleaned_data["agency"]
    if not may_manage_pollers(request.user, agency.pk):
        raise PermissionDenied(_("Hanya administrator yang membuat poller."))
    try:
        poller, token = poller_create(name=form.cleaned_data["name"], agency=agency, sites=form.cleaned_data["sites"])
    except ValidationError as error:
        for field, problems in error.message_dict.items():
            field = "sites" if field == "site" else field  # a PollerSite's site: one of the chosen sites
            form.add_error(field if field in form.fields else None, problems)
        return _page(request, form, status=400)
    return _page(request, PollerForm(user=request.user), token=token, token_for=poller.name)


def _managed(request, pk: int):
    poller = get_object_or_404(visible_pollers(request.user), pk=pk)
    if not may_manage_pollers(request.user, poller.agency_id):
        raise PermissionDenied(_("Hanya administrator yang mengelola poller."))
    return poller


@login_required
@never_cache
@require_POST
def poller_rotate_token(request, pk: int):
    poller = _managed(request, pk)
    token = poller_rotate(poller=poller)
    return _page(request, PollerForm(user=request.user), token=token, token_for=poller.name)


@login_required
@require_POST
def poller_revoke_token(request, pk: int):
    poller = _managed(request, pk)
    poller_revoke(poller=poller)
    messages.success(request, _("Token %(name)s dicabut; asetnya kembali dipantau pusat.") % {"name": poller.name})
    return redirect("pollers-page")
