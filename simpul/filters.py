"""Query filters as every list reads them: a value the schema does not allow is a 400 naming the filter.

django-filter would quietly ignore a boolean it cannot read (`?open=maybe` lists everything) and answer
"does not exist" for an id of no row, but not for another agency's row (an empty list): the filters here
read `true`/`false` or refuse, and match ids as numbers without looking the row up, so a filter never
tells whether another agency's row exists. Empty values (`?open=`) mean "not given", as in HTML forms.
"""

import django_filters
import django_filters.fields
from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema_field

ID_MAX = 2**63 - 1  # BigAutoField


@extend_schema_field({"type": "integer", "format": "int64", "minimum": 1, "maximum": ID_MAX})
class IdFilter(django_filters.NumberFilter):
    """A row's id: a whole number from 1, compared as is."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        super().__init__(*args, min_value=1, max_value=ID_MAX, **kwargs)


class TrueFalseField(forms.Field):
    WORDS = {"true": True, "1": True, "false": False, "0": False}

    def to_python(self, value):
        if value in (None, ""):
            return None
        if (word := self.WORDS.get(str(value).lower())) is None:
            raise forms.ValidationError(_("Tulis true atau false."), code="invalid")
        return word


class BooleanFilter(django_filters.BooleanFilter):
    field_class = TrueFalseField


class MultipleChoiceField(django_filters.fields.MultipleChoiceField):
    def to_python(self, value):
        return [item for item in super().to_python(value) if item != ""]


class MultipleChoiceFilter(django_filters.MultipleChoiceFilter):
    """`?kind=a&kind=b`; an empty `?kind=` is "not given", not a choice nobody has."""

    field_class = MultipleChoiceField


class FilterSet(django_filters.FilterSet):
    FILTER_DEFAULTS = {
        **django_filters.FilterSet.FILTER_DEFAULTS,
        models.BooleanField: {"filter_class": BooleanFilter},
        models.ForeignKey: {"filter_class": IdFilter},
        models.OneToOneField: {"filter_class": IdFilter},
    }


class FilterBackend(DjangoFilterBackend):
    """Builds a view's `filterset_fields` on the FilterSet above, as every declared filterset is."""

    filterset_base = FilterSet

    def filter_queryset(self, request, queryset, view):
        """A request that names none of the filters (no parameter starts with a filter's name) and a filterset
        that requires none: the queryset as it is, without building the filterset, which would change nothing and
        costs ~1.5 ms for the assets' (django-filter deep-copies every filter, then builds and cleans a form)."""
        filterset_class = self.get_filterset_class(view, queryset)
        if filterset_class is not None and not _names_a_filter(filterset_class, request.query_params):
            return queryset
        return super().filter_queryset(request, queryset, view)


def _names_a_filter(filterset_class, params) -> bool:
    filters = filterset_class.base_filters
    if any(f.extra.get("required") for f in filters.values()):
        return True
    return any(key.startswith(name) for key in params for name in filters)
