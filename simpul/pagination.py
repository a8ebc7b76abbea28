"""API pagination; its own module because DRF imports it while loading its generic views."""

from datetime import date, datetime
from decimal import Decimal

from django.core import signing
from django.db.models import F, Q
from django.utils.translation import gettext as _
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import BasePagination, PageNumberPagination
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from simpul.ordering import NullsLastOrderingFilter

MAX_PAGE_SIZE = 500


def _keys_of(row, keys) -> list:
    """The edge row's keyset values: a model instance's attributes, or a values() row's items (simpul.rows)."""
    return [row[key] for key in keys] if isinstance(row, dict) else [getattr(row, key) for key in keys]


def page_size(request, default: int) -> int:
    """`page_size` chosen by the client up to a bound that keeps a page cheap: a value that is no whole number
    from 1 to MAX_PAGE_SIZE is a 400 naming it (DRF would silently use the default or the bound)."""
    raw = request.query_params.get("page_size")
    if not raw:  # absent, or empty as a form sends it
        return default
    if not raw.isascii() or not raw.isdigit() or not 1 <= int(raw) <= MAX_PAGE_SIZE:
        raise ValidationError({"page_size": [_("Bilangan bulat 1 sampai %(max)d.") % {"max": MAX_PAGE_SIZE}]})
    return int(raw)


def _page_size_parameter() -> dict:
    return {
        "name": "page_size",
        "required": False,
        "in": "query",
        "description": "Number of results to return per page.",
        "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE},
    }


class Pagination(PageNumberPagination):
    """Page numbers and a count, for lists that stay small (an agency's licences, work orders...); a page that
    does not exist is DRF's 404."""

    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE

    def get_page_size(self, request):
        return page_size(request, self.page_size)

    def check_query(self, request) -> None:
        """Refuse a malformed page as the JSON list would (a file export reads no page but still checks it)."""
        self.get_page_size(request)
        page = request.query_params.get(self.page_query_param, "1") or "1"
        if not (page.isascii() and page.isdigit() and int(page) >= 1):
            raise NotFound(_("Halaman tidak ada."))

    def get_schema_operation_parameters(self, view):
        page, _size = super().get_schema_operation_parameters(view)
        page["schema"]["minimum"] = 1
        return [page, _page_size_parameter()]


class KeysetPagination(BasePagination):
    """Pages of the large lists (assets, samples, outages) by keyset: each page starts after the last row of the
    one before, on the list's ordering with the id as the last tie-breaker, so page 600 costs what page 1 costs
    (an offset reads and drops every row before it) and no page counts the whole list.

    The cursor names the edge row's ordering values, signed (a forged one is a 404, never a query error), and the
    ordering it was made for. Empty values sort last in both directions, as NullsLastOrderingFilter sorts them.
    """

    page_size = 50
    cursor_query_param = "cursor"
    salt = "simpul.pagination.keyset"

    def paginate_queryset(self, queryset, request, view=None):
        self.request, self.size = request, page_size(request, self.page_size)
        terms = _terms(request, queryset, view)
        raw = request.query_params.get(self.cursor_query_param)
        values, backwards = self._decode(raw, terms) if raw else (None, False)
        keys = {f"_keyset_{i}": F(name) for i, (name, _desc) in enumerate(terms)}
        queryset = queryset.annotate(**keys).order_by(*_order(terms, backwards))
        if values is not None:
            queryset = queryset.filter(_beyond(terms, values, backwards))
        rows = list(queryset[: self.size + 1])
        return self._page(rows, terms, values, backwards, lambda row: _keys_of(row, keys))

    def _page(self, rows: list, terms, values, backwards: bool, keys_of) -> list:
        """The page out of `size + 1` rows read from the cursor on, with its links."""
        more, rows = len(rows) > self.size, rows[: self.size]
        if backwards:
            rows.reverse()
        edge = {"next": more or backwards, "previous": more if backwards else values is not None}
        self.links = {
            side: self._link(keys_of(rows[-1 if side == "next" else 0]), terms, side == "previous")
            if edge[side] and rows
            else None
            for side in ("next", "previous")
        }
        if not rows and values is not None:  # past either end: the way back is the other side
            self.links["previous" if not backwards else "next"] = remove_query_param(
                self.request.build_absolute_uri(), self.cursor_query_param
            )
        return rows

    def check_query(self, request) -> None:
        """Refuse a malformed page size or cursor as the JSON list would (a file export reads no page)."""
        page_size(request, self.page_size)
        raw = request.query_params.get(self.cursor_query_param)
        if raw:
            self._decode(raw, None)

    def get_paginated_response(self, data):
        return Response({"next": self.links["next"], "previous": self.links["previous"], "results": data})

    def _link(self, keys: list, terms, backwards: bool) -> str:
        values = [_plain(key) for key in keys]
        cursor = signing.dumps({"o": _names(terms), "v": values, "b": backwards}, salt=self.salt, compress=True)
        return replace_query_param(self.request.build_absolute_uri(), self.cursor_query_param, cursor)

    def _decode(self, raw: str, terms) -> tuple[list, bool]:
        try:
            cursor = signing.loads(raw, salt=self.salt)
        except signing.BadSignature:
            raise NotFound(_("Kursor halaman tidak sah.")) from None
        if terms is not None and cursor["o"] != _names(terms):  # made for another ordering
            raise NotFound(_("Kursor halaman tidak sah."))
        return cursor["v"], cursor["b"]

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": "The page: the `next` or `previous` link's cursor, as given (none for the first).",
                "schema": {"type": "string"},
            },
            _page_size_parameter(),
        ]

    def get_paginated_response_schema(self, schema):
        link = {"type": "string", "nullable": True, "format": "uri"}
        return {
            "type": "object",
            "required": ["results"],
            "properties": {"next": link, "previous": link, "results": schema},
        }


class MomentKeysetPagination(KeysetPagination):
    """Keyset pages of one asset's history, which is read outside the ORM (monitoring.history): the cursor is
    the edge result's moment, microsecond-exact, so a page costs the same however deep it is."""

    def paginate_results(self, read, request, newest_first: bool) -> list:
        """`read(newest_first=, beyond=, limit=)` gives results in that order after the moment `beyond`."""
        self.request, self.size = request, page_size(request, self.page_size)
        terms = [("at", newest_first)]
        raw = request.query_params.get(self.cursor_query_param)
        values, backwards = self._decode(raw, terms) if raw else (None, False)
        beyond = datetime.fromisoformat(values[0]) if values else None
        rows = read(newest_first=newest_first != backwards, beyond=beyond, limit=self.size + 1)
        return self._page(rows, terms, values, backwards, lambda row: [row.at])


def _terms(request, queryset, view) -> list[tuple[str, bool]]:
    """The ordering asked for (?ordering=), else the view's or the model's, with the id as the last tie-breaker:
    (field path, descending) pairs."""
    ordering = NullsLastOrderingFilter().get_ordering(request, queryset, view) if view is not None else None
    ordering = list(ordering or queryset.model._meta.ordering or [])
    terms = [(term.lstrip("-"), term.startswith("-")) for term in ordering]
    terms = [("pk" if name == "id" else name, desc) for name, desc in terms]
    if not any(name == "pk" for name, _desc in terms):
        terms.append(("pk", False))
    return terms[: [name for name, _desc in terms].index("pk") + 1]  # nothing after a unique key orders anything


def _names(terms) -> list[str]:
    return [("-" if desc else "") + name for name, desc in terms]


def _order(terms, backwards: bool) -> list:
    """Empty values last; read backwards, the exact reverse (so first)."""
    nulls = {"nulls_first": True} if backwards else {"nulls_last": True}
    return [F(name).desc(**nulls) if desc != backwards else F(name).asc(**nulls) for name, desc in terms]


def _beyond(terms, values: list, backwards: bool) -> Q:
    """The rows after the edge row (before it, backwards), in lexicographic order with empty values last."""
    condition, equal = Q(pk__in=[]), Q()
    for (name, desc), value in zip(terms, values, strict=True):
        if value is None:  # empty values come last: after one, only more empties; before one, every value
            step = Q(**{f"{name}__isnull": False}) if backwards else Q(pk__in=[])
        else:
            step = Q(**{f"{name}__{'gt' if desc == backwards else 'lt'}": value})
            if not backwards:
                step |= Q(**{f"{name}__isnull": True})
        condition |= equal & step
        equal &= Q(**{f"{name}__isnull": True}) if value is None else Q(**{name: value})
    return condition


def _plain(value):
    """An ordering value as the signed cursor keeps it (JSON), and as a filter reads it back."""
    if isinstance(value, date):
        return value.isoformat()  # full precision: a moment cut to milliseconds would repeat or skip rows
    if isinstance(value, Decimal):
        return str(value)
    return value
