"""A large list's page written from `values()` rows, byte for byte as its ModelSerializer writes it, at a fraction of
the cost: DRF builds the serializer's fields on every request and walks every field of every row through
`get_attribute` and `to_representation` (~15 ms for 50 assets of 46 fields); here the plan is made once per
serializer, the database returns the columns, and a field whose value needs no conversion is copied.

The serializer stays the one description of a row: the columns, their order and their conversions are taken
from its fields (a DecimalField quantized and written as text, a date as ISO 8601, a moment in WITA by the
field's own `to_representation`). A field that is no column of the model (a method, a property) is computed from
columns by the serializer's `row_readers(today)`, with the same function the model uses.
"""

from collections.abc import Callable, Iterable
from datetime import date
from functools import cache

from django.core.exceptions import FieldDoesNotExist, ImproperlyConfigured
from django.db.models import QuerySet
from django.utils import timezone
from rest_framework import ISO_8601, serializers
from rest_framework.response import Response
from rest_framework.settings import api_settings

# Fields whose representation of a value read from the database is that value (str for text and choices, int for
# numbers and ids, bool); exact types, as a subclass may convert (MultipleChoiceField returns a set).
_AS_IS = (
    serializers.CharField,
    serializers.ChoiceField,
    serializers.IntegerField,
    serializers.BooleanField,
    serializers.PrimaryKeyRelatedField,
    serializers.SlugRelatedField,
)


class RowPlan:
    """What a row is made of: per field, its name, the columns it reads and how the value becomes its representation."""

    def __init__(self, serializer_class: type[serializers.ModelSerializer]):
        self.serializer_class = serializer_class
        model = serializer_class.Meta.model
        readable = [f for f in serializer_class().fields.values() if not f.write_only]
        self.has_readers = hasattr(serializer_class, "row_readers")
        readers = serializer_class.row_readers(date.today()) if self.has_readers else {}  # for their columns
        self.columns: list[str] = []
        self.fields: list[tuple[str, str | None, Callable | None, bool]] = []
        for field in readable:
            name = field.field_name
            if name in readers:
                columns, _reader = readers[name]
                self.columns += [c for c in columns if c not in self.columns]
                converter = None if isinstance(field, serializers.SerializerMethodField) else _converter(field)
                self.fields.append((name, None, converter, True))
                continue
            if isinstance(field, serializers.SerializerMethodField):
                raise ImproperlyConfigured(f"{serializer_class.__name__}.{name}: a method field needs a row reader")
            column = _column(model, field)
            if column is None:
                raise ImproperlyConfigured(f"{serializer_class.__name__}.{name} is no column: give it a row reader")
            if column not in self.columns:
                self.columns.append(column)
            self.fields.append((name, column, _converter(field), False))

    def values(self, queryset: QuerySet) -> QuerySet:
        """The rows' columns, as dicts; filters, scope and ordering stay the queryset's."""
        return queryset.values(*self.columns)

    def write(self, rows: Iterable[dict]) -> list[dict]:
        """The rows as the serializer's `many=True` data: in its field order, None as None, values converted."""
        readers = self.serializer_class.row_readers(timezone.localdate()) if self.has_readers else {}
        fields = [
            (name, column, convert.for_page() if isinstance(convert, _Moments) else convert, computed)
            for name, column, convert, computed in self.fields
        ]
        out = []
        for row in rows:
            item = {}
            for name, column, convert, computed in fields:
                if computed:
                    columns, reader = readers[name]
                    value = reader(*[row[c] for c in columns])
                else:
                    value = row[column]
                item[name] = value if value is None or convert is None else convert(value)
            out.append(item)
        return out


@cache
def row_plan(serializer_class: type[serializers.ModelSerializer]) -> RowPlan:
    return RowPlan(serializer_class)


def _column(model, field) -> str | None:
    """The values() path of a field's value: its source, and for a slug the related row's slug column."""
    attrs = list(field.source_attrs)
    if type(field) is serializers.SlugRelatedField:
        attrs.append(field.slug_field)
    current = model
    for attr in attrs:
        if current is None:
            return None
        try:
            model_field = current._meta.get_field(attr)
        except FieldDoesNotExist:
            return None
        if not model_field.concrete:
            return None
        current = model_field.related_model
    return "__".join(attrs)


def _converter(field) -> Callable | None:
    """None where the value is its representation, else the field's own conversion (or its exact equivalent)."""
    kind = type(field)
    if kind in _AS_IS:
        return None
    if kind is serializers.BigIntegerField:  # an int, or as text where the field or the settings coerce it
        return str if getattr(field, "coerce_to_string", api_settings.COERCE_BIGINT_TO_STRING) else None
    if kind is serializers.DateField and str(getattr(field, "format", api_settings.DATE_FORMAT)).lower() == ISO_8601:
        return date.isoformat  # what DateField.to_representation does for ISO 8601, without its checks
    if (
        kind is serializers.DateTimeField
        and str(getattr(field, "format", api_settings.DATETIME_FORMAT)).lower() == ISO_8601
    ):
        return _Moments(field)
    if kind in (serializers.DateField, serializers.DateTimeField, serializers.DecimalField):
        return field.to_representation
    raise ImproperlyConfigured(f"{field.parent.__class__.__name__}.{field.field_name}: no row conversion for {kind}")


class _Moments:
    """DateTimeField.to_representation in ISO 8601 with the field's time zone looked up once a page, not per value
    (the current zone, WITA unless a request activated another)."""

    def __init__(self, field: serializers.DateTimeField):
        self.field = field

    def for_page(self) -> Callable:
        field = self.field
        zone = field.timezone if hasattr(field, "timezone") else field.default_timezone()
        if zone is None:
            return field.to_representation

        def write(value):
            if isinstance(value, str) or value.utcoffset() is None:  # naive: the field's own way, and its errors
                return field.to_representation(value)
            try:
                text = value.astimezone(zone).isoformat()
            except OverflowError:  # the field's own error
                return field.to_representation(value)
            return text[:-6] + "Z" if text.endswith("+00:00") else text

        return write


class RowsListMixin:
    """`list` writes its JSON page from values() rows by the serializer's plan; a file export (ExportMixin) still
    reads model instances through the serializer, as its columns expect. A view whose pages may be kept names
    `page_cache(request, build)`: it answers from the kept body, or from `build()`'s bytes."""

    page_cache: Callable | None = None

    def list(self, request, *args, **kwargs):
        exporting = getattr(self, "exporting", None)
        if exporting is not None and exporting():
            return super().list(request, *args, **kwargs)
        if self.page_cache is not None and request.accepted_renderer.format == "json":
            return self.page_cache(request, lambda: self._rendered(self._rows_response(), request))
        return self._rows_response()

    def _rows_response(self) -> Response:
        plan = row_plan(self.get_serializer_class())
        rows = plan.values(self.filter_queryset(self.get_queryset()))
        page = self.paginate_queryset(rows)
        if page is None:
            return Response(plan.write(rows))
        return self.get_paginated_response(plan.write(page))

    def _rendered(self, response: Response, request) -> bytes:
        return request.accepted_renderer.render(response.data, request.accepted_media_type, self.get_renderer_context())
