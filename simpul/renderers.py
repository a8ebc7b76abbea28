"""JSON as the API writes it: every moment in one form, and never a failure because of one character;
and which renderer answers."""

import copy
from datetime import datetime

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import renderers
from rest_framework.exceptions import NotAcceptable
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.utils import encoders


def api_moment(value: datetime) -> str:
    """The one form of a moment in the API: ISO 8601 in WITA with its offset, e.g. 2026-11-03T14:05:00+08:00.

    The same as a serializer's DateTimeField writes (it converts to the current time zone, WITA), so
    hand-built payloads and serializers agree.
    """
    return timezone.localtime(value).isoformat() if timezone.is_aware(value) else value.isoformat()


class Encoder(encoders.JSONEncoder):
    def default(self, obj):
        if isinstance(obj, datetime):
            return api_moment(obj)  # DRF's own would keep the value's zone: UTC from the database, as `Z`
        return super().default(obj)


class JSONRenderer(renderers.JSONRenderer):
    encoder_class = Encoder

    def render(self, data, accepted_media_type=None, renderer_context=None):
        try:
            return super().render(data, accepted_media_type, renderer_context)
        except UnicodeEncodeError:
            # A lone surrogate (stored, or echoed by an error) has no UTF-8 form: write the body as ASCII
            # with JSON escapes, which says the same thing, rather than fail.
            escaped = copy.copy(self)
            escaped.ensure_ascii = True
            return escaped.render(data, accepted_media_type, renderer_context)


class ContentNegotiation(DefaultContentNegotiation):
    """DRF's, except that a method the view does not handle gets its 405 (in JSON), not a refusal because
    `?format=csv` names a renderer only the view's GET offers: negotiation runs before the method check;
    and a `?format=` the route does not offer is a 406 naming those it does (DRF's is a bare 404)."""

    def select_renderer(self, request, renderers, format_suffix=None):
        view = request.parser_context.get("view")
        method = request.method.lower()
        if view is not None and not (method in view.http_method_names and hasattr(view, method)):
            return renderers[0], renderers[0].media_type
        try:
            return super().select_renderer(request, renderers, format_suffix)
        except Http404:
            asked = format_suffix or request.query_params.get(self.settings.URL_FORMAT_OVERRIDE)
            offered = ", ".join(r.format for r in renderers if r.format != "api")
            raise NotAcceptable(
                _("Format %(format)s tidak tersedia di sini; yang tersedia: %(formats)s.")
                % {"format": asked, "formats": offered}
            ) from None
