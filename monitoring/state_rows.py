"""Assets' current states as the recorder reads and writes them: plain rows, read and written in bulk.

A batch (the central poller's cycle or a remote poller's POST) reads the states of thousands of assets and
writes back the ones it changed. Read as model instances and written one UPDATE per asset, that was two
thirds of a batch's time (bench/ingest.py); here they are tuples from `values_list`, and the changed ones go
back in one UPDATE (see write_states). `next_poll_at` is not among the columns: the claim
(monitoring.targets) owns it.
"""

from collections.abc import Iterable
from datetime import datetime
from operator import attrgetter, itemgetter

import psycopg
from django.db import connection

from monitoring.lookups import array_text, chunks
from monitoring.models import AssetState

COLUMNS = (
    "state",
    "since",
    "reason",
    "caused_by_id",
    "pending_state",
    "pending_count",
    "pending_since",
    "monitored_since",
    "last_polled_at",
    "last_answered_at",
    "last_rtt_ms",
    "last_loss",
    "sys_uptime",
    "sys_name",
)


# What every poll of an answering asset moves; the other columns change with its state, seldom.
HOT = ("last_polled_at", "last_answered_at", "last_rtt_ms", "last_loss", "sys_uptime")
_ALL, _HOT = attrgetter(*COLUMNS), attrgetter(*HOT)  # a row's values as one tuple, built in C
_COLD = itemgetter(*(i for i, column in enumerate(COLUMNS) if column not in HOT))  # of such a tuple
# PostgreSQL: the changed rows of a batch on their way to AssetState, whole or their HOT columns only.
_SCRATCH, _HOT_SCRATCH = "simpul_state_rows", "simpul_state_hot"


def _only_hot_moved(values: tuple, read: tuple) -> bool:
    return _COLD(values) == _COLD(read)


class StateRow:
    """One AssetState's columns as read, changed in place; write_states compares them with what was read."""

    __slots__ = ("asset_id", *COLUMNS, "_read")

    def __init__(self, asset_id: int, *values) -> None:
        self.asset_id = asset_id
        for column, value in zip(COLUMNS, values, strict=True):
            setattr(self, column, value)
        self._read = values

    def values(self) -> tuple:
        return _ALL(self)

    @property
    def only_hot_changed(self) -> bool:
        return _only_hot_moved(_ALL(self), self._read)


def read_states(asset_ids: Iterable[int]) -> dict[int, StateRow]:
    """The state rows of those of `asset_ids` that have one. PostgreSQL sends them in its binary format,
    loaded in C: a poll cycle reads 100,000 rows of five datetimes each (bench/cycle.py)."""
    if connection.vendor == "postgresql":
        return {values[0]: StateRow(*values) for values in _binary_rows(list(asset_ids))}
    rows = {}
    for chunk in chunks(asset_ids):
        query = AssetState.objects.filter(asset_id__among=chunk).order_by().values_list("asset_id", *COLUMNS)
        for asset_id, *values in query:
            rows[asset_id] = StateRow(asset_id, *values)
    return rows


def _binary_rows(asset_ids: list[int]) -> list[tuple]:
    if not asset_ids:
        return []
    quote = connection.ops.quote_name
    columns = ", ".join(quote(c) for c in ("asset_id", *COLUMNS))
    sql = f"SELECT {columns} FROM {AssetState._meta.db_table} WHERE asset_id = ANY(%s::bigint[])"
    connection.ensure_connection()
    # A server-side binding cursor of psycopg's: Django's client-side cursors have no binary results.
    with connection.wrap_database_errors, psycopg.Cursor(connection.connection) as cursor:
        cursor.execute(sql, [array_text(asset_ids)], binary=True)
        return cursor.fetchall()


def ensure_states(asset_ids: Iterable[int], rows: dict[int, StateRow]) -> None:
    """Give every one of `asset_ids` missing from `rows` a state row: created (a new asset), then read."""
    missing = set(asset_ids) - set(rows)
    if missing:
        AssetState.objects.bulk_create([AssetState(asset_id=pk) for pk in missing], ignore_conflicts=True)
        rows.update(read_states(missing))


def write_states(rows: Iterable[StateRow]) -> int:
    """Write the changed ones of `rows`; how many were. On PostgreSQL they are copied (COPY, in C) into a
    session's temporary table and applied by one UPDATE ... FROM: binding 15 columns of thousands of rows as
    parameters costs more in Python than the update itself. A row that only moved what every poll moves
    (HOT) is copied with those columns alone, a third of the text. Elsewhere one executemany."""
    now = ((row, _ALL(row)) for row in rows)  # each row's values, taken once
    changed = sorted(((row, values) for row, values in now if values != row._read), key=lambda pair: pair[0].asset_id)
    if not changed:  # sorted by asset id: a fixed lock order
        return 0
    table, quote = AssetState._meta.db_table, connection.ops.quote_name
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            hot, full = [], []
            for row, values in changed:
                if _only_hot_moved(values, row._read):
                    hot.append((row.asset_id, *_HOT(row)))
                else:
                    full.append((row.asset_id, *values))
            _copy_update(cursor, _HOT_SCRATCH, HOT, hot)
            _copy_update(cursor, _SCRATCH, COLUMNS, full)
        else:
            adapt = connection.ops.adapt_datetimefield_value
            assignments = ", ".join(f"{quote(c)} = %s" for c in COLUMNS)
            cursor.executemany(
                f"UPDATE {table} SET {assignments} WHERE asset_id = %s",
                [
                    [adapt(v) if isinstance(v, datetime) else v for v in values] + [row.asset_id]
                    for row, values in changed
                ],
            )
    for row, values in changed:
        row._read = values
    return len(changed)


def _copy_update(cursor, scratch: str, columns: tuple[str, ...], rows: list[tuple]) -> None:
    """COPY (asset_id, *columns) rows into the session's scratch table, then one UPDATE ... FROM it."""
    if not rows:
        return
    table, quote = AssetState._meta.db_table, connection.ops.quote_name
    names = ", ".join(quote(c) for c in ("asset_id", *columns))
    cursor.execute(f"CREATE TEMPORARY TABLE IF NOT EXISTS {scratch} AS SELECT {names} FROM {table} WITH NO DATA")
    with cursor.cursor.copy(f"COPY {scratch} ({names}) FROM STDIN") as copy:
        for values in rows:
            copy.write_row(values)
    assignments = ", ".join(f"{quote(c)} = v.{quote(c)}" for c in columns)
    cursor.execute(f"UPDATE {table} AS s SET {assignments} FROM {scratch} AS v WHERE s.asset_id = v.asset_id")
    cursor.execute(f"TRUNCATE {scratch}")  # empty again for the next batch of this transaction
