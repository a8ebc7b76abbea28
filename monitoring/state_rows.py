"""Assets' current states as the recorder reads and writes them: plain rows, read and written in bulk.

A batch (the central poller's cycle or a remote poller's POST) reads the states of thousands of assets and
writes back the ones it changed. Read as model instances and written one UPDATE per asset, that was two
thirds of a batch's time (bench/ingest.py); here they are tuples from `values_list`, and the changed ones go
back in one UPDATE (see write_states). `next_poll_at` is not among the columns: the claim
(monitoring.targets) owns it.
"""

from collections.abc import Iterable
from datetime import datetime

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


_SCRATCH = "simpul_state_rows"  # PostgreSQL: the changed rows of a batch on their way to AssetState


class StateRow:
    """One AssetState's columns as read, changed in place; `changed` compares them with what was read."""

    __slots__ = ("asset_id", *COLUMNS, "_read")

    def __init__(self, asset_id: int, *values) -> None:
        self.asset_id = asset_id
        for column, value in zip(COLUMNS, values, strict=True):
            setattr(self, column, value)
        self._read = values

    def values(self) -> tuple:
        return tuple(getattr(self, column) for column in COLUMNS)

    @property
    def changed(self) -> bool:
        return self.values() != self._read


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
    parameters costs more in Python than the update itself. Elsewhere one executemany."""
    changed = sorted((row for row in rows if row.changed), key=lambda row: row.asset_id)  # a fixed lock order
    if not changed:
        return 0
    table, quote = AssetState._meta.db_table, connection.ops.quote_name
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            columns = ", ".join(quote(c) for c in ("asset_id", *COLUMNS))
            cursor.execute(f"CREATE TEMPORARY TABLE IF NOT EXISTS {_SCRATCH} (LIKE {table})")
            with cursor.cursor.copy(f"COPY {_SCRATCH} ({columns}) FROM STDIN") as copy:
                for row in changed:
                    copy.write_row((row.asset_id, *row.values()))
            assignments = ", ".join(f"{quote(c)} = v.{quote(c)}" for c in COLUMNS)
            cursor.execute(f"UPDATE {table} AS s SET {assignments} FROM {_SCRATCH} AS v WHERE s.asset_id = v.asset_id")
            cursor.execute(f"TRUNCATE {_SCRATCH}")  # empty again for the next batch of this transaction
        else:
            adapt = connection.ops.adapt_datetimefield_value
            assignments = ", ".join(f"{quote(c)} = %s" for c in COLUMNS)
            cursor.executemany(
                f"UPDATE {table} SET {assignments} WHERE asset_id = %s",
                [
                    [adapt(v) if isinstance(v, datetime) else v for v in row.values()] + [row.asset_id]
                    for row in changed
                ],
            )
    for row in changed:
        row._read = row.values()
    return len(changed)
