"""API plumbing every app shares: model validation in serializers, scoped viewsets, errors as 4xx."""

import copy
from datetime import date, datetime

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError, IntegrityError
from django.db.models import ProtectedError, RestrictedError
from django.http import Http404, JsonResponse
from django.urls import NoReverseMatch, get_resolver, reverse
from django.utils.translation import gettext as _
from django.views import defaults
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import renderers, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.exceptions import server_error as drf_server_error
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView, set_rollback
from rest_framework.views import exception_handler as drf_exception_handler

from accounts.authentication import apply_token_language
from accounts.scoping import may_write_agency, scope, visible_agencies
from simpul.parsers import JSONObject
from simpul.renderers import JSONRenderer, api_moment


def exception_handler(exc, context):
    """DRF's handler, plus a model's or service's ValidationError as a 400 per field, and database refusals
    as 409, instead of a 500: views call services directly and let these errors through.

    An error is always JSON, also when a CSV, XLSX or PDF file was asked for: a file renderer has no
    rows to write from an error, and a client reads the reason the same way on every route.
    """
    _answer_in_json(context.get("request"))
    if isinstance(exc, Http404):
        # Django's text ("No Site matches the given query.") is English and names the model: say only
        # "not found", in the user's language, for an unknown id and another agency's alike.
        exc = NotFound()
    if isinstance(exc, DjangoValidationError):
        exc = serializers.ValidationError(django_errors_to_drf(exc))
    if isinstance(exc, ProtectedError | RestrictedError):
        set_rollback()
        names = sorted({str(obj._meta.verbose_name) for obj in exc.protected_objects if obj is not None})
        return Response(
            {"detail": _("Masih dipakai oleh: %(names)s.") % {"names": ", ".join(names)}},
            status=status.HTTP_409_CONFLICT,
        )
    if isinstance(exc, OverflowError | DataError):
        # An id or number far beyond any column (e.g. ?asset=1e300) is bad input, not a server fault.
        set_rollback()
        return Response({"detail": _("Angka di luar jangkauan.")}, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, IntegrityError):
        set_rollback()
        return Response(
            {"detail": _("Bertentangan dengan data yang sudah ada; muat ulang lalu coba lagi.")},
            status=status.HTTP_409_CONFLICT,
        )
    return drf_exception_handler(exc, context)


def page_not_found(request, exception):
    """A URL no route matches: under /api/ a JSON 404 like every other API error, elsewhere Django's page."""
    if request.path.startswith("/api/"):
        apply_token_language(request)
        return JsonResponse({"detail": str(NotFound.default_detail)}, status=status.HTTP_404_NOT_FOUND)
    return defaults.page_not_found(request, exception)


def server_error(request):
    if request.path.startswith("/api/"):
        return drf_server_error(request)
    return defaults.server_error(request)


def _answer_in_json(request) -> None:
    renderer = getattr(request, "accepted_renderer", None)
    if renderer is not None and not isinstance(renderer, renderers.JSONRenderer | renderers.BrowsableAPIRenderer):
        request.accepted_renderer, request.accepted_media_type = JSONRenderer(), JSONRenderer.media_type


def django_errors_to_drf(error: DjangoValidationError) -> dict[str, list[str]]:
    """Key Django's errors by field; a uniqueness error over several fields goes to the last of them."""
    result: dict[str, list[str]] = {}
    if not hasattr(error, "error_dict"):
        return {api_settings_non_field_key(): list(error.messages)}
    for field, errors in error.error_dict.items():
        for err in errors:
            key = field
            if field == NON_FIELD_ERRORS:
                unique_check = (err.params or {}).get("unique_check") if err.code == "unique_together" else None
                key = unique_check[-1] if unique_check else api_settings_non_field_key()
            result.setdefault(key, []).extend(err.messages)
    return result


def api_settings_non_field_key() -> str:
    return serializers.api_settings.NON_FIELD_ERRORS_KEY


def json_type_of(field) -> tuple[tuple[type, ...], str] | None:
    """The JSON types a field takes in a JSON body, as the schema documents it, and their name for people."""
    many = serializers.ListSerializer | serializers.ListField | serializers.ManyRelatedField
    if isinstance(field, many | serializers.MultipleChoiceField):
        return (list,), _("daftar")
    if isinstance(field, serializers.Serializer | serializers.DictField):
        return (dict,), _("objek")
    if isinstance(field, serializers.BooleanField):
        return (bool,), _("true atau false")
    if isinstance(field, serializers.IntegerField | serializers.PrimaryKeyRelatedField):
        return (int,), _("bilangan bulat")
    if isinstance(field, serializers.FloatField):
        return (int, float), _("angka")
    if isinstance(
        field,
        serializers.CharField
        | serializers.ChoiceField
        | serializers.SlugRelatedField
        | serializers.DecimalField
        | serializers.DateField
        | serializers.DateTimeField,
    ):
        return (str,), _("teks")
    return None


class StrictJSONMixin:
    """In a JSON body every value has the JSON type the schema gives it, or the field gets a 400.

    DRF would read 5 as a name, "5" or 5.0 as a count and false as a number; the schema calls those
    invalid, and so does the server. Forms send text for everything and are read as DRF reads them.
    """

    def to_internal_value(self, data):
        if isinstance(data, JSONObject):
            errors = {}
            for field in self._writable_fields:
                value = data.get(field.field_name)
                expected = json_type_of(field)
                if value is None or expected is None:
                    continue
                types, name = expected
                if not isinstance(value, types) or (isinstance(value, bool) and bool not in types):
                    errors[field.field_name] = [_("Harus %(type)s.") % {"type": name}]
            if errors:
                raise serializers.ValidationError(errors)
        return super().to_internal_value(data)


class ModelCleanSerializer(StrictJSONMixin, serializers.ModelSerializer):
    """Validates through the model's own `full_clean()`, so each rule lives once, in the model.

    The changed copy of the instance is validated before anything is written; values that `clean()`
    normalises (empty serial to NULL, a radio's band from its kind) flow back into the data saved.
    """

    def get_validators(self):
        return []  # uniqueness and constraints are checked by full_clean(), with errors keyed by field

    def validate(self, attrs):
        instance = copy.copy(self.instance) if self.instance is not None else self.Meta.model()
        for name, value in attrs.items():
            setattr(instance, name, value)
        try:
            instance.full_clean()
        except DjangoValidationError as error:
            raise serializers.ValidationError(django_errors_to_drf(error)) from None
        concrete = {field.name for field in instance._meta.concrete_fields}
        writable = [f.source for f in self.fields.values() if not f.read_only and f.source in concrete]
        return {name: getattr(instance, name) for name in writable}


class CurrentUserAgency:
    """Default for an `agency` field: the agency of the user making the request."""

    requires_context = True

    def __call__(self, serializer_field):
        agency = serializer_field.context["request"].user.agency
        if agency is None:
            raise serializers.ValidationError(_("Wajib diisi."))
        return agency


class ScopedSerializer(ModelCleanSerializer):
    """A serializer whose related choices are limited to what the requesting user may see.

    Another agency's object named in a field reads as "does not exist" (400), never as a leak;
    an agency the user sees but may not write is refused by `validate_agency`.
    """

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        if request is None:
            return fields
        for field in fields.values():
            related = getattr(field, "child_relation", field)
            queryset = getattr(related, "queryset", None)
            if queryset is None:
                continue
            model = queryset.model
            if model._meta.label == "assets.Agency":
                related.queryset = queryset.filter(pk__in=visible_agencies(request.user).values("pk"))
            elif any(f.name == "agency" for f in model._meta.fields):
                related.queryset = scope(queryset, request.user)
        return fields

    def validate_agency(self, agency):
        if not may_write_agency(self.context["request"].user, agency.pk):
            raise serializers.ValidationError(
                _("Anda tidak berhak menulis data instansi %(code)s.") % {"code": agency.code}
            )
        return agency


class HistoryEntrySerializer(serializers.Serializer):
    history_date = serializers.DateTimeField()
    history_type = serializers.CharField(help_text="+ created, ~ changed, - deleted")
    history_user = serializers.CharField(allow_null=True)
    changes = serializers.ListField(child=serializers.DictField(), help_text="[{field, old, new}]")


class ScopedQuerysetMixin:
    """Only ever sees rows of agencies visible to the user (404 for the rest); `agency_field` leads to the agency."""

    agency_field = "agency"

    def get_queryset(self):
        return scope(super().get_queryset(), self.request.user, self.agency_field)


class HistoryMixin:
    """A `history` action for models that keep their change history (simple_history)."""

    @extend_schema(responses=HistoryEntrySerializer(many=True))
    @action(
        detail=True, methods=["get"], serializer_class=HistoryEntrySerializer, pagination_class=None, filter_backends=[]
    )
    def history(self, request, *args, **kwargs):
        """Who changed what, and when: the object's change history, newest first."""
        obj = self.get_object()
        records = list(obj.history.select_related("history_user").order_by("-history_date", "-history_id"))
        entries = []
        for newer, older in zip(records, [*records[1:], None], strict=True):
            changes = []
            if older is not None:
                changes = [
                    {"field": c.field, "old": _plain(c.old), "new": _plain(c.new)}
                    for c in newer.diff_against(older).changes
                ]
            entries.append(
                {
                    "history_date": newer.history_date,
                    "history_type": newer.history_type,
                    "history_user": newer.history_user.username if newer.history_user else None,
                    "changes": changes,
                }
            )
        return Response(HistoryEntrySerializer(entries, many=True).data)


class ScopedModelViewSet(ScopedQuerysetMixin, HistoryMixin, viewsets.ModelViewSet):
    """The usual viewset of agency data: scoped, with its change history."""


def _plain(value):
    """A changed value as JSON holds it: moments in the API's one form, dates as YYYY-MM-DD, the rest as text."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, datetime):
        return api_moment(value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


class APIRootView(APIView):
    """Every route of the API that needs no id, by its path under /api/: the inventory, monitoring,
    maintenance, alerts and reports alike (each app's router lists only its own)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(operation_id="api_root", responses={200: OpenApiTypes.OBJECT})
    def get(self, request):
        return Response(
            {path.removeprefix("/api/").rstrip("/"): request.build_absolute_uri(path) for path in api_routes()}
        )


def api_routes() -> list[str]:
    """The paths of the named routes under /api/ without parameters, sorted; the roots and logins left out."""
    paths = set()
    for name in [key for key in get_resolver().reverse_dict if isinstance(key, str)]:
        try:
            path = reverse(name)
        except NoReverseMatch:
            continue
        listed = path.startswith("/api/") and path != "/api/" and not name.endswith("api-root")
        if listed and (not path.startswith("/api/auth/") or name == "api-token"):
            paths.add(path)
    return sorted(paths)
