"""The offline technician app, server side: the service worker and manifest it installs from, and the conflict
rule for work queued on a phone (README, "Bekerja tanpa sinyal").

The pages and their script (static maintenance/offline.js) do the rest: the queue lives on the phone, each
action is sent to the API with an Idempotency-Key (maintenance.idempotency) once the connection returns.
"""

from django.contrib.staticfiles import finders
from django.http import FileResponse, Http404, JsonResponse
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from drf_spectacular.utils import OpenApiParameter
from rest_framework import status
from rest_framework.exceptions import APIException

from simpul import formats

EXPECTED_ASSIGNEE = "X-Expected-Assignee"
EXPECTED_ASSIGNEE_PARAMETER = OpenApiParameter(
    EXPECTED_ASSIGNEE,
    str,
    OpenApiParameter.HEADER,
    description="Work queued offline: the id of the order's assignee when it was queued (empty: nobody). "
    "If the order went to somebody else since, 409 and nothing is applied.",
)
ICON_SIZES = (192, 512)


class Reassigned(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "reassigned"


def refuse_if_reassigned(order, request) -> None:
    """Work queued on a phone names the order's assignee as the phone saw it (header, a user id, empty for
    nobody). If the order has since gone to somebody else, the dispatcher's decision wins: 409, nothing applied."""
    if EXPECTED_ASSIGNEE not in request.headers or order.assignee_id in (None, request.user.pk):
        return
    if request.headers[EXPECTED_ASSIGNEE].strip() == str(order.assignee_id):
        return
    raise Reassigned(
        _("Perintah kerja #%(id)s sudah dialihkan ke %(name)s; tindakan ini tidak diterapkan.")
        % {"id": order.pk, "name": formats.person(order.assignee)}
    )


def scope() -> str:
    """The folder the worker is served from (/maintenance/): its scope, the pages it may answer offline."""
    return reverse("maintenance-sw").rsplit("/", 1)[0] + "/"


@require_GET
@never_cache
def service_worker(request):
    """The worker's script, served from /maintenance/ so that its scope covers the technician pages. Public like
    any script (it holds no data): a browser fetches it without following a login redirect."""
    path = finders.find("maintenance/sw.js")
    if path is None:
        raise Http404
    return FileResponse(open(path, "rb"), content_type="text/javascript; charset=utf-8")


@require_GET
def manifest(request):
    """The web app manifest: "add to home screen" opens my work orders, standalone, in the user's language."""
    body = {
        "name": _("Simpul Teknisi"),
        "short_name": "Simpul",
        "description": _("Perintah kerja di lapangan, juga tanpa sinyal."),
        "start_url": reverse("maintenance-my-orders"),
        "scope": scope(),
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#0b6e4f",
        "icons": [
            {"src": static(f"maintenance/icons/icon-{size}.png"), "sizes": f"{size}x{size}", "type": "image/png"}
            for size in ICON_SIZES
        ],
    }
    response = JsonResponse(body, json_dumps_params={"ensure_ascii": False})
    response["Content-Type"] = "application/manifest+json"
    return response
