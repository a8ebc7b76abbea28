"""The asset page's choice of watched interfaces (the form under its charts), saved as the API saves it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.scoping import may_write_agency, scope
from assets.models import Asset
from monitoring.metrics.watch import choose_watched


@login_required
@require_POST
def watch_interfaces(request, pk: int):
    asset = get_object_or_404(scope(Asset.objects.all(), request.user), pk=pk)
    if not may_write_agency(request.user, asset.agency_id):
        raise PermissionDenied(_("Hanya petugas yang boleh mengubah aset instansi ini yang dapat memilih antarmuka."))
    try:
        watched = choose_watched(asset, request.POST.getlist("watch"))
        messages.success(request, _("Antarmuka dipantau: %(count)s.") % {"count": len(watched)})
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("asset-page", pk=asset.pk)
