"""Lookups by many ids: an IN (...) list at a time, well under every backend's parameter limit.

`field__among=ids` is `field__in=ids` that PostgreSQL receives as `field = ANY(%s)` with one array
parameter: a batch's 5,000 ids are one value to send and one statement text, not 5,000 placeholders
(the recorder's reads, bench/ingest.py). Other databases get the IN list.
"""

from collections.abc import Iterable

from django.core.exceptions import EmptyResultSet
from django.db.models import Field, ForeignObject
from django.db.models.fields.related_lookups import RelatedIn
from django.db.models.lookups import In

CHUNK = 5000  # ids per IN (...) lookup


def chunks(ids: Iterable[int], size: int = CHUNK) -> Iterable[frozenset[int]]:
    """`ids` a lookup's worth at a time, as sets: Django hands a set to the lookup as it is, where it would
    resolve a list's ids one by one (a few µs an id, 100,000 ids a poll cycle)."""
    ids = list(ids)
    for start in range(0, len(ids), size):
        yield frozenset(ids[start : start + size])


def array_text(values: Iterable) -> str:
    """A PostgreSQL array literal of plain values (ids, quoted timestamps): one parameter, written in C."""
    return f"{{{','.join(map(str, values))}}}"


def _plain_ints(values) -> bool:
    return isinstance(values, list | tuple | set | frozenset) and all(type(v) is int for v in values)


class _AnyArray:
    lookup_name = "among"

    def get_prep_lookup(self):
        if _plain_ints(self.rhs):  # ids already: nothing to prepare one by one (100,000 of them a poll cycle)
            return self.rhs
        return super().get_prep_lookup()

    def as_postgresql(self, compiler, connection):
        if not self.rhs_is_direct_value():  # a subquery: IN (SELECT ...) is already one parameter list
            return super().as_sql(compiler, connection)
        field = self.lhs.output_field
        lhs, lhs_params = self.process_lhs(compiler, connection)
        if _plain_ints(self.rhs):  # sent as the array's text, written in C, not dumped element by element
            if not self.rhs:
                raise EmptyResultSet
            return f"{lhs} = ANY(%s::{field.db_type(connection)}[])", (*lhs_params, array_text(self.rhs))
        values = [field.get_db_prep_value(v, connection, prepared=True) for v in set(self.rhs) if v is not None]
        if not values:
            raise EmptyResultSet  # as IN () would: nothing matches
        return f"{lhs} = ANY(%s::{field.db_type(connection)}[])", (*lhs_params, values)


@Field.register_lookup
class Among(_AnyArray, In):
    pass


@ForeignObject.register_lookup  # a relation's own lookups: model instances or ids, checked by the target field
class RelatedAmong(_AnyArray, RelatedIn):
    pass
