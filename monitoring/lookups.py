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


def chunks(ids: Iterable[int], size: int = CHUNK) -> Iterable[list[int]]:
    ids = list(ids)
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


class _AnyArray:
    lookup_name = "among"

    def as_postgresql(self, compiler, connection):
        if not self.rhs_is_direct_value():  # a subquery: IN (SELECT ...) is already one parameter list
            return super().as_sql(compiler, connection)
        field = self.lhs.output_field
        values = [field.get_db_prep_value(v, connection, prepared=True) for v in set(self.rhs) if v is not None]
        if not values:
            raise EmptyResultSet  # as IN () would: nothing matches
        lhs, lhs_params = self.process_lhs(compiler, connection)
        return f"{lhs} = ANY(%s::{field.db_type(connection)}[])", (*lhs_params, values)


@Field.register_lookup
class Among(_AnyArray, In):
    pass


@ForeignObject.register_lookup  # a relation's own lookups: model instances or ids, checked by the target field
class RelatedAmong(_AnyArray, RelatedIn):
    pass
